"""Privacy masks on the wire: polygons of 0–1 picture points."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from vigil.api.schemas.common import Strict, printable

__all__ = ["MaskIn", "MaskList", "MaskOut", "MasksIn", "UnmaskApproval"]

UnmaskApproval = Annotated[
    int | None,
    Field(
        ge=1,
        le=2**31 - 1,
        description="The caller's approved unmask request for the channel: the privacy masks "
        "(all but the permanent ones) are then not blurred into the video",
    ),
]
"""Which approved unmask request a view or an export is asked under (none: masked)."""

Fraction01 = Annotated[float, Field(ge=0.0, le=1.0)]
PointIn = Annotated[list[Fraction01], Field(min_length=2, max_length=2)]


class MaskIn(Strict):
    """One mask: a label, 3 to 64 points ``[x, y]`` (picture fractions, 0, 0 top-left), whether
    it stays on even for an approved unmask (``permanent``: what must never be seen, such as a
    banned place), and the PTZ preset it belongs to (none: every view)."""

    label: Annotated[str, printable(64, 1)]
    points: list[PointIn] = Field(min_length=3, max_length=64)
    permanent: bool = False
    preset: int | None = Field(None, ge=0, le=255)


class MasksIn(Strict):
    """A channel's masks, all of them: they replace what the channel had."""

    masks: list[MaskIn] = Field(max_length=32)


class MaskOut(BaseModel):
    """One mask as stored."""

    label: str
    points: list[list[float]]
    permanent: bool
    preset: int | None


class MaskList(BaseModel):
    """A channel's masks."""

    channel_id: str
    masks: list[MaskOut]
