"""Export a time range as one MP4, in copy mode, with a manifest that pins every source segment.

The MP4 starts at the last keyframe at or before the range's start (so its first frame decodes)
and ends before the first frame at or after its end. Frames go into the file unchanged; only the
timestamps are rewritten onto one clock (see :mod:`vigil.media.recording.timeline`). Privacy
masks, a watermark or region finders (an anonymised export: faces, plates, each box held across
pictures, :mod:`vigil.media.masking.regions`) make it decode, blur and re-encode instead.

The manifest (JSON) says which channel and range, who exported it, when and why, the SHA-256 of
the MP4, and each source segment with the SHA-256 its index row holds (taken when the segment
closed); for an approved export also the case, requester, approver and approval, and the
sequence number of the export's audit record (the signed package, :mod:`vigil.governance.
export_package`, carries it). :func:`verify` re-hashes the files a manifest names and reports
every one that no longer matches: an edited segment, or an edited export, cannot pass unnoticed.

Blocking (PyAV, file I/O, hashing): run these in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vigil.errors import Conflict, NotFound
from vigil.media.masking import MaskingTranscoder
from vigil.media.masking.blur import Found, Polygon
from vigil.media.masking.regions import RegionFinder
from vigil.media.playback.reader import StoredSegment, read_range
from vigil.media.recording.segment_file import SegmentWriter, TimedFrame, file_sha256
from vigil.media.recording.timeline import Timeline

__all__ = [
    "ApprovalFacts",
    "ExportedFile",
    "SegmentEntry",
    "build_manifest",
    "verify",
    "write_export",
    "write_manifest",
]

MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """The MP4 an export wrote, with its hash and the times it spans."""

    path: Path
    frames: int
    size: int
    sha256: str
    first: float  # wall time of the first frame (a keyframe at or before the range's start)
    last: float
    found: dict[str, Found] = field(default_factory=dict)
    """What each region finder (by kind) found, when the export was anonymised."""


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    """A source segment as the manifest names it (``path`` relative to the recordings root)."""

    id: int
    path: str
    start: datetime
    end: datetime
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ApprovalFacts:
    """The approval an export was made under, as its manifest records it."""

    id: int
    requester: str
    approver: str | None
    approved_at: datetime | None
    case: str | None


def write_export(
    segments: Sequence[StoredSegment],
    start: float,
    end: float,
    out: Path,
    masks: Sequence[Polygon] = (),
    caption: str | None = None,
    finders: Mapping[str, RegionFinder] | None = None,
) -> ExportedFile:
    """Write ``[start, end)`` of ``segments`` to ``out``, ``masks`` (privacy masks) and what
    ``finders`` find (kind → finder: ``faces``…) blurred and ``caption`` (a watermark) burnt in —
    then re-encoded, else copied as recorded; NotFound when nothing was recorded."""
    writer: SegmentWriter | None = None
    timeline = Timeline()
    frames = 0
    first = last = 0.0
    edited = MaskingTranscoder(masks, caption, finders) if masks or caption or finders else None
    try:
        read = read_range(segments, start, end)
        for frame in edited.transcode(read) if edited else read:
            if writer is None:
                writer = SegmentWriter(out, frame.codec, frame.data, movflags="+faststart")
                codec, first = frame.codec, frame.arrival
            elif frame.codec != codec:
                raise Conflict(
                    "the codec changes within the range; export it in two parts",
                    code="export.codec_changes",
                )
            pts, dts = timeline.place(frame.pts, frame.dts)
            writer.write([TimedFrame(frame.data, pts, dts, frame.keyframe)])
            frames, last = frames + 1, frame.arrival
    except BaseException:
        if writer is not None:
            writer.abandon()
            out.unlink(missing_ok=True)
        raise
    if writer is None:
        raise NotFound("nothing was recorded in this range", code="export.nothing_recorded")
    size, digest = writer.close()
    found = dict(edited.masker.found) if edited else {}
    return ExportedFile(out, frames, size, digest, first, last, found)


def build_manifest(
    *,
    channel_id: str,
    start: datetime,
    end: datetime,
    segments: Sequence[SegmentEntry],
    exported: ExportedFile,
    who: str,
    when: datetime,
    purpose: str,
    approval: ApprovalFacts | None = None,
    audit: dict[str, Any] | None = None,
    privacy: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The export's manifest; ``privacy``: the privacy masks blurred into the MP4, the unmask
    approval that lifted others, if any, the watermark, and what was anonymised."""
    manifest: dict[str, Any] = {
        "version": MANIFEST_VERSION,
        "channel_id": channel_id,
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "who": who,
        "when": when.isoformat(),
        "purpose": purpose,
        "export": {
            "file": exported.path.name,
            "size": exported.size,
            "sha256": exported.sha256,
            "frames": exported.frames,
        },
        "segments": [
            {
                "id": s.id,
                "path": s.path,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "size": s.size,
                "sha256": s.sha256,
            }
            for s in segments
        ],
    }
    if approval is not None:
        approved_at = approval.approved_at.isoformat() if approval.approved_at else None
        manifest |= {
            "case": approval.case,
            "requester": approval.requester,
            "approver": approval.approver,
            "approval_id": approval.id,
            "approved_at": approved_at,
        }
    if audit is not None:
        manifest["audit"] = audit
    if privacy is not None:
        manifest["privacy"] = privacy
    return manifest


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def verify(manifest: dict[str, Any], recordings: Path, export_dir: Path | None) -> list[str]:
    """Re-hash what ``manifest`` names; one line per file that is missing or was changed.

    Segment paths are taken relative to ``recordings``; the exported MP4 is checked too when
    ``export_dir`` (where it lies) is given. An empty list means everything matches.
    """
    problems: list[str] = []
    checks = [
        (recordings, s["path"], s["sha256"], f"segment {s['path']}") for s in manifest["segments"]
    ]
    if export_dir is not None:
        export = manifest["export"]
        checks.append((export_dir, export["file"], export["sha256"], f"export {export['file']}"))
    for base, name, expected, what in checks:
        path = (base / name).resolve()
        if not path.is_relative_to(base.resolve()):
            problems.append(f"{what}: path leaves its directory")
        elif not path.is_file():
            problems.append(f"{what}: missing")
        elif file_sha256(path) != expected:
            problems.append(f"{what}: edited (SHA-256 differs from the manifest)")
    return problems
