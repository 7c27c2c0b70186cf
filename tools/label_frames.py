"""Hand labels for vtest.avi: a draft from moving blobs, pictures to check it by eye, corrections.

Three steps, each repeatable::

    python tools/label_frames.py draft   # MOG2 blobs at the labelled frames, linked into ids
    python tools/label_frames.py render --frames 200,210 [--zoom 300,100,500,300]
    python tools/label_frames.py strip --id 3            # one object's crops across all frames
    python tools/label_frames.py apply   # draft + edits -> tests/data/analytics/vtest_labels.json

``draft`` writes ``vtest_draft.json`` (blobs of :mod:`accuracylib.blobs`, linked frame to frame by
IoU into numbered objects); ``render`` draws the current labels (or the draft) on frames with a
50-pixel grid, numbered boxes and, with ``--zoom``, a 2× crop; ``strip`` tiles one object's 2×
crops frame after frame, to check its box and its number; ``apply`` plays the edit list
(``vtest_label_edits.json``) over the draft and writes the labels. Edits, applied in order:

- ``{"op": "delete", "id": 4, "from": 200, "to": 230}``: drop the object (bounds optional);
- ``{"op": "renumber", "id": 9, "to_id": 3, "from": 240}``: give it another number;
- ``{"op": "track", "id": 3, "label": "person", "keys": {"200": [x1, y1, x2, y2], ...}}``: the
  object's box at each labelled frame between its first and last key, interpolated linearly
  between keys (one key with ``"to"``: the same box up to that frame); replaces what was there;
- ``{"op": "set", "frame": 210, "id": 3, "box": [...], "label": "person"}``: one box;
- ``{"op": "ignore", "id": 3, "from": 200, "to": 230}``: mark it ignored (too small to detect).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from accuracylib.blobs import moving_blobs  # noqa: E402
from vigil.analytics.detect.boxes import iou_matrix  # noqa: E402

DATA = ROOT / "tests" / "data" / "analytics"
FOOTAGE = ROOT / "footage" / "vtest.avi"
FIRST, COUNT, STEP = 200, 50, 2  # 50 frames at 5 fps of the 10 fps source: 200, 202, ... 298
FRAMES = [FIRST + STEP * k for k in range(COUNT)]
Objects = list[dict[str, Any]]


def draft() -> None:
    """MOG2 blobs at the labelled frames, each linked to the previous frame's best IoU ≥ 0.3."""
    frames: dict[str, Objects] = {}
    previous: Objects = []
    next_id = 1
    for index, _, blobs in moving_blobs(FOOTAGE, frozenset(FRAMES)):
        current: Objects = []
        iou = iou_matrix(
            np.array([b.box for b in blobs], float).reshape(-1, 4),
            np.array([p["box"] for p in previous], float).reshape(-1, 4),
        )
        taken: set[int] = set()
        for i, blob in enumerate(blobs):
            j = int(np.argmax(iou[i])) if previous else -1
            if j >= 0 and iou[i, j] >= 0.3 and j not in taken:
                taken.add(j)
                number = previous[j]["id"]
            else:
                number, next_id = next_id, next_id + 1
            current.append({"id": number, "label": "person", "box": [round(v) for v in blob.box]})
        frames[str(index)] = current
        previous = current
    write(DATA / "vtest_draft.json", {"source": FOOTAGE.name, "frames": frames})


def write(path: Path, value: dict[str, Any]) -> None:
    lines = [f'  "{k}": {json.dumps(v)}' for k, v in value["frames"].items()]
    head = {k: v for k, v in value.items() if k != "frames"}
    body = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    path.write_text(body + ',\n  "frames": {\n  ' + ",\n  ".join(lines) + "\n  }\n}\n")
    print(f"{path}: {sum(len(v) for v in value['frames'].values())} boxes")  # noqa: T201


def _within(edit: dict[str, Any], frame: int) -> bool:
    return int(edit.get("from", FIRST)) <= frame <= int(edit.get("to", FRAMES[-1]))


def _track(frames: dict[int, Objects], edit: dict[str, Any]) -> None:
    keys = sorted((int(k), np.array(v, float)) for k, v in edit["keys"].items())
    last = int(edit.get("to", keys[-1][0]))
    for frame in FRAMES:
        if not keys[0][0] <= frame <= last:
            continue
        frames[frame] = [o for o in frames[frame] if o["id"] != edit["id"]]
        after = next((k for k in keys if k[0] >= frame), keys[-1])
        before = next((k for k in reversed(keys) if k[0] <= frame), keys[0])
        share = 0.0 if after[0] == before[0] else (frame - before[0]) / (after[0] - before[0])
        box = before[1] + share * (after[1] - before[1])
        item = {"id": edit["id"], "label": edit.get("label", "person")}
        frames[frame].append({**item, "box": [round(float(v)) for v in box]})


def _edit(frames: dict[int, Objects], edit: dict[str, Any]) -> None:
    op = edit["op"]
    if op == "track":
        _track(frames, edit)
        return
    for frame, objects in frames.items():
        if op == "set" and frame == edit["frame"]:
            objects[:] = [o for o in objects if o["id"] != edit["id"]]
            label = edit.get("label", "person")
            objects.append({"id": edit["id"], "label": label, "box": edit["box"]})
        elif op in ("delete", "renumber", "ignore") and _within(edit, frame):
            mine = [o for o in objects if o["id"] == edit["id"]]
            if op == "delete":
                objects[:] = [o for o in objects if o["id"] != edit["id"]]
            for o in mine:
                if op == "renumber":
                    o["id"] = edit["to_id"]
                elif op == "ignore":
                    o["ignore"] = True


def apply(target: Path) -> None:
    """The draft with the edit list played over it, written as the labels to ``target``."""
    stored = json.loads((DATA / "vtest_draft.json").read_text())
    edits = json.loads((DATA / "vtest_label_edits.json").read_text())
    frames = {int(k): v for k, v in stored["frames"].items()}
    for edit in edits["edits"]:
        _edit(frames, edit)
    for objects in frames.values():
        objects.sort(key=lambda o: o["id"])
        ids = [o["id"] for o in objects]
        if len(set(ids)) != len(ids):
            raise SystemExit(f"an id appears twice in one frame: {ids}")
    labels = {"source": FOOTAGE.name, "how": edits["how"]}
    write(target, {**labels, "frames": {str(k): frames[k] for k in FRAMES}})


def pictures(wanted: list[int]) -> dict[int, np.ndarray]:
    """The BGR pictures of the wanted source frames."""
    found: dict[int, np.ndarray] = {}
    with av.open(str(FOOTAGE)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                found[index] = frame.to_ndarray(format="bgr24")
            if index >= max(wanted):
                break
    return found


def current(use_draft: bool) -> dict[int, Objects]:
    name = "vtest_draft.json" if use_draft else "vtest_labels.json"
    return {int(k): v for k, v in json.loads((DATA / name).read_text())["frames"].items()}


def _colour(number: int) -> tuple[int, int, int]:
    hue = (number * 47) % 180
    bgr = cv2.cvtColor(np.array([[[hue, 255, 255]]], np.uint8), cv2.COLOR_HSV2BGR)[0, 0]
    return int(bgr[0]), int(bgr[1]), int(bgr[2])


def overlay(picture: np.ndarray, objects: Objects, grid: bool = True) -> np.ndarray:
    """The picture with a 50-pixel grid (numbered every 100) and the numbered boxes."""
    out = picture.copy()
    height, width = out.shape[:2]
    if grid:
        for x in range(0, width, 50):
            cv2.line(out, (x, 0), (x, height), (200, 200, 200) if x % 100 else (255, 255, 255), 1)
            if x % 100 == 0:
                cv2.putText(out, str(x), (x + 2, 10), 0, 0.35, (255, 255, 255), 1)
        for y in range(0, height, 50):
            cv2.line(out, (0, y), (width, y), (200, 200, 200) if y % 100 else (255, 255, 255), 1)
            if y % 100 == 0:
                cv2.putText(out, str(y), (2, y + 12), 0, 0.35, (255, 255, 255), 1)
    for o in objects:
        x1, y1, x2, y2 = (int(v) for v in o["box"])
        colour = (128, 128, 128) if o.get("ignore") else _colour(o["id"])
        cv2.rectangle(out, (x1, y1), (x2, y2), colour, 1)
        tag = f"{o['id']}" + ("" if o["label"] == "person" else o["label"][0])
        cv2.putText(out, tag, (x1, max(10, y1 - 2)), 0, 0.4, colour, 1)
    return out


def zoomed(picture: np.ndarray, objects: Objects, zoom: list[int], scale: int = 3) -> np.ndarray:
    """A 3× crop with a 10-pixel grid numbered every 20 source pixels, and the numbered boxes."""
    x0, y0, x9, y9 = zoom
    image = cv2.resize(
        picture[y0:y9, x0:x9], None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST
    )
    for x in range(x0 - x0 % 10 + 10, x9, 10):
        cv2.line(image, ((x - x0) * scale, 0), ((x - x0) * scale, image.shape[0]), (90, 90, 90), 1)
        if x % 20 == 0:
            cv2.putText(image, str(x), ((x - x0) * scale + 1, 10), 0, 0.3, (255, 255, 255), 1)
    for y in range(y0 - y0 % 10 + 10, y9, 10):
        cv2.line(image, (0, (y - y0) * scale), (image.shape[1], (y - y0) * scale), (90, 90, 90), 1)
        if y % 20 == 0:
            cv2.putText(image, str(y), (1, (y - y0) * scale - 2), 0, 0.3, (255, 255, 255), 1)
    for o in objects:
        x1, y1, x2, y2 = (
            (int(v) - d) * scale for v, d in zip(o["box"], (x0, y0, x0, y0), strict=True)
        )
        colour = (128, 128, 128) if o.get("ignore") else _colour(o["id"])
        cv2.rectangle(image, (x1, y1), (x2, y2), colour, 1)
        cv2.putText(image, str(o["id"]), (x1 + 2, y1 + 12), 0, 0.4, colour, 1)
    return image


def render(wanted: list[int], zoom: list[int] | None, use_draft: bool, out: Path) -> None:
    """Each frame whole with the grid (``frame<N>.png``), or, with ``zoom``, the crops of all
    of them tiled three to a row (``zoom.png``)."""
    labels = current(use_draft)
    tiles: list[np.ndarray] = []
    for index, picture in pictures(wanted).items():
        objects = labels.get(index, [])
        image = zoomed(picture, objects, zoom) if zoom else overlay(picture, objects)
        cv2.putText(image, str(index), (image.shape[1] - 40, 20), 0, 0.5, (0, 0, 255), 1)
        if zoom:
            tiles.append(cv2.copyMakeBorder(image, 0, 4, 0, 4, cv2.BORDER_CONSTANT))
        else:
            cv2.imwrite(str(out / f"frame{index}.png"), image)
    if tiles:
        tiles += [np.zeros_like(tiles[0])] * (-len(tiles) % 3)
        rows = [np.hstack(tiles[k : k + 3]) for k in range(0, len(tiles), 3)]
        cv2.imwrite(str(out / "zoom.png"), np.vstack(rows))


def strip(number: int, use_draft: bool, out: Path) -> None:
    """One object's 2× crops across the frames, ten to a row, each with its frame number."""
    labels = current(use_draft)
    tiles: list[np.ndarray] = []
    for index, picture in pictures(FRAMES).items():
        mine = [o for o in labels.get(index, []) if o["id"] == number]
        if not mine:
            tiles.append(np.zeros((240, 168, 3), np.uint8))
            continue
        x1, y1, x2, y2 = (int(v) for v in mine[0]["box"])
        left = max(0, min((x1 + x2) // 2 - 42, 768 - 84))
        top = max(0, min((y1 + y2) // 2 - 60, 576 - 120))
        image = overlay(picture, labels[index], grid=False)[top : top + 120, left : left + 84]
        tile = cv2.resize(image, (168, 240), interpolation=cv2.INTER_NEAREST)
        cv2.putText(tile, f"{index} {x1},{y1},{x2},{y2}", (2, 236), 0, 0.33, (0, 0, 255), 1)
        tiles.append(tile)
    rows = [np.hstack(tiles[k : k + 10]) for k in range(0, len(tiles), 10)]
    cv2.imwrite(str(out / f"id{number}.png"), np.vstack(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["draft", "render", "strip", "apply"])
    parser.add_argument("--frames", help="frame numbers, e.g. 200,210 (render)")
    parser.add_argument("--zoom", help="x1,y1,x2,y2 to crop and enlarge 2× (render)")
    parser.add_argument("--id", type=int, help="the object to follow (strip)")
    parser.add_argument("--draft", action="store_true", help="show the draft, not the labels")
    parser.add_argument(
        "--labels", type=Path, default=DATA / "vtest_labels.json", help="where labels go (apply)"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp"), help="where pictures go")
    args = parser.parse_args()
    if args.step == "draft":
        draft()
    elif args.step == "apply":
        apply(args.labels)
    elif args.step == "render":
        wanted = [int(v) for v in args.frames.split(",")] if args.frames else FRAMES
        zoom = [int(v) for v in args.zoom.split(",")] if args.zoom else None
        render(wanted, zoom, args.draft, args.out)
    else:
        strip(args.id, args.draft, args.out)


if __name__ == "__main__":
    main()
