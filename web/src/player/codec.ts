// The RFC 6381 codec string of an fMP4 init segment, read from its sample description boxes.
// MediaSource needs it before the first append, and it tells H.264 from H.265 for the message.

const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl"]);
const VIDEO_ENTRIES = new Set(["avc1", "avc3", "hvc1", "hev1"]);
const VISUAL_SAMPLE_ENTRY_HEADER = 78; // bytes before a visual sample entry's child boxes
const STSD_HEADER = 8; // version/flags + entry count

export interface InitInfo {
  /** e.g. `avc1.64001F`, `hvc1.1.6.L93.B0`, with `mp4a.40.2` appended when audio is present. */
  mime: string;
  video: string | null;
  hevc: boolean;
}

function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, "0");
}

function avcString(kind: string, config: DataView): string {
  return `${kind}.${hex2(config.getUint8(1))}${hex2(config.getUint8(2))}${hex2(config.getUint8(3))}`;
}

/** ISO/IEC 14496-15 Annex E: hvc1.<space><profile>.<compat>.<tier><level>[.<constraints>]. */
function hevcString(kind: string, config: DataView): string {
  const byte1 = config.getUint8(1);
  const space = ["", "A", "B", "C"][byte1 >> 6];
  const tier = byte1 & 0x20 ? "H" : "L";
  const profile = byte1 & 0x1f;
  let compat = config.getUint32(2);
  let reversed = 0;
  for (let bit = 0; bit < 32; bit += 1) {
    reversed = (reversed << 1) | (compat & 1);
    compat >>>= 1;
  }
  const constraints: string[] = [];
  for (let i = 6; i < 12; i += 1) constraints.push(hex2(config.getUint8(i)));
  while (constraints.length && constraints[constraints.length - 1] === "00") constraints.pop();
  const level = config.getUint8(12);
  const tail = constraints.length ? `.${constraints.join(".")}` : "";
  return `${kind}.${space}${profile}.${(reversed >>> 0).toString(16).toUpperCase()}.${tier}${level}${tail}`;
}

interface Box {
  type: string;
  start: number; // payload start
  end: number;
}

function* boxes(view: DataView, start: number, end: number): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = view.getUint32(offset);
    const type = String.fromCharCode(
      view.getUint8(offset + 4), view.getUint8(offset + 5), view.getUint8(offset + 6), view.getUint8(offset + 7),
    );
    let header = 8;
    if (size === 1 && offset + 16 <= end) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) return;
    yield { type, start: offset + header, end: offset + size };
    offset += size;
  }
}

/** Codec details of an init segment, or null when it holds no moov box. */
export function parseInit(buffer: ArrayBuffer): InitInfo | null {
  const view = new DataView(buffer);
  let video: string | null = null;
  let audio = false;
  let sawMoov = false;
  const walk = (start: number, end: number) => {
    for (const box of boxes(view, start, end)) {
      if (box.type === "moov") sawMoov = true;
      if (CONTAINERS.has(box.type)) walk(box.start, box.end);
      else if (box.type === "stsd") walk(box.start + STSD_HEADER, box.end);
      else if (box.type === "mp4a") audio = true;
      else if (VIDEO_ENTRIES.has(box.type)) {
        for (const child of boxes(view, box.start + VISUAL_SAMPLE_ENTRY_HEADER, box.end)) {
          const config = new DataView(buffer, child.start, child.end - child.start);
          if (child.type === "avcC" && config.byteLength >= 4) video = avcString(box.type, config);
          if (child.type === "hvcC" && config.byteLength >= 13) video = hevcString(box.type, config);
        }
      }
    }
  };
  walk(0, buffer.byteLength);
  if (!sawMoov) return null;
  const codecs = [video, audio ? "mp4a.40.2" : null].filter(Boolean).join(",");
  const hevc = video !== null && /^(hvc1|hev1)/.test(video);
  return { mime: `video/mp4; codecs="${codecs}"`, video, hevc };
}
