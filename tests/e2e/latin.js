// Every text a user reads on the page, with where it is: the visible text nodes, the options of
// visible selects, the placeholders, titles, labels and alt texts of visible elements, and the
// document's title. Each says whether it lies inside `translate="no"` (data kept as recorded:
// names, IDs, addresses, codes) or inside an element whose `lang` is not Chinese (the language
// switch names English in English); the checker treats both as kept, not as the console's words.
() => {
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const visible = (el) => el.checkVisibility({ checkVisibilityCSS: true });
  const kept = (el) =>
    el.closest('[translate="no"]') !== null || !/^zh/i.test(el.closest("[lang]")?.getAttribute("lang") ?? "zh");
  const where = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const test = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
    return `${el.tagName.toLowerCase()}${id}${test}`;
  };
  const texts = [];
  const add = (text, el, suffix = "") => {
    if (text && text.trim()) texts.push({ text: text.trim(), kept: kept(el), where: where(el) + suffix });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || SKIP.has(el.tagName)) continue;
    const select = el.closest("select");
    if (select ? visible(select) : visible(el)) add(node.textContent, el);
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], [alt]")) {
    if (!visible(el)) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) add(el.getAttribute(name), el, `@${name}`);
  }
  texts.push({ text: document.title, kept: false, where: "title" });
  return texts;
}
