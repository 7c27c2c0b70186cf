// WCAG 2.x contrast of every visible piece of text on the page against what is painted behind it.
//
// Evaluated in the page; returns one finding per text below its threshold (4.5:1, or 3:1 for
// large text: at least 24px, or 18.66px and bold) and how many texts were measured. The
// background is found where the text is drawn: the elements stacked at its centre
// (elementsFromPoint), from the text's own element down, composited until one is opaque. Video,
// canvas or image under a translucent layer may show anything: the text is measured over both
// black and white there and the worse ratio counts. Disabled controls are exempt (WCAG 1.4.3).
() => {
  const parse = (value) => {
    const m = /^rgba?\(([^)]+)\)$/.exec(value.trim());
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const BLACK = { r: 0, g: 0, b: 0, a: 1 };
  const WHITE = { r: 255, g: 255, b: 255, a: 1 };
  const MEDIA = new Set(["VIDEO", "CANVAS", "IMG", "SVG"]);

  /** The backdrops under a point, starting at `el`: one colour, or black and white over media. */
  const backdrops = (el, x, y) => {
    const stack = document.elementsFromPoint(x, y);
    const start = stack.indexOf(el);
    if (start < 0) return null; // covered by something else: not visible here
    const layers = [];
    for (const layer of stack.slice(start)) {
      if (MEDIA.has(layer.tagName.toUpperCase())) return [BLACK, WHITE].map((b) => layers.reduceRight((acc, l) => over(l, acc), b));
      const style = getComputedStyle(layer);
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        const opacity = Number(style.opacity);
        layers.push({ ...colour, a: colour.a * opacity });
        if (colour.a * opacity >= 1) return [layers.reduceRight((acc, l) => over(l, acc))];
      }
    }
    return [layers.reduceRight((acc, l) => over(l, acc), WHITE)]; // the canvas default
  };

  const opacityOf = (el) => {
    let value = 1;
    for (let node = el; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
    return value;
  };
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };

  const texts = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("[disabled], [aria-disabled=true], [aria-hidden=true], script, style, option")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const field = el.matches("input:not([type=checkbox]):not([type=radio]):not([type=color]):not([type=range]):not([type=hidden]), select, textarea");
    if (own || field) texts.push({ el, pseudo: null, text: own ? el.textContent.trim() : el.value });
    if (field && el.placeholder && !el.value) texts.push({ el, pseudo: "::placeholder", text: el.placeholder });
  }

  const failures = [];
  let measured = 0;
  for (const { el, pseudo, text } of texts) {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility !== "visible" || style.display === "none" || rect.width < 1 || rect.height < 1) continue;
    const x = Math.min(Math.max(rect.left + Math.min(rect.width / 2, 12), 0), innerWidth - 1);
    const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
    if (rect.right < 0 || rect.bottom < 0 || rect.left >= innerWidth || rect.top >= innerHeight) continue;
    const under = backdrops(el, x, y);
    if (!under) continue;
    const colour = parse(getComputedStyle(el, pseudo).color);
    if (!colour) {
      failures.push({ element: describe(el), text: text.slice(0, 60), problem: `colour ${getComputedStyle(el, pseudo).color}` });
      continue;
    }
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const needed = large ? 3 : 4.5;
    const fg = { ...colour, a: colour.a * opacityOf(el) };
    const worst = Math.min(...under.map((bg) => ratio(over(fg, bg), bg)));
    measured += 1;
    if (worst < needed) {
      failures.push({
        element: describe(el) + (pseudo ?? ""),
        text: text.slice(0, 60),
        colour: getComputedStyle(el, pseudo).color,
        background: under.map((c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`).join(" / "),
        ratio: Math.round(worst * 100) / 100,
        needed,
      });
    }
  }
  return { measured, failures };
}
