"""Field types shared by every schema: bounded printable text, IDs as the catalog keeps them."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "CursorQuery",
    "DigitsId",
    "IdPath",
    "IntIdPath",
    "LimitQuery",
    "Name",
    "Page",
    "Public",
    "Text64",
    "Text255",
    "printable",
]

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def printable(max_length: int, min_length: int = 0) -> StringConstraints:
    """Text that fits its column and has no control characters (PostgreSQL refuses NUL)."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=PRINTABLE)


Name = Annotated[str, printable(128, 1)]
Text64 = Annotated[str, printable(64)]
Text255 = Annotated[str, printable(255)]


DigitsId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,20}$")]
IdPath = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="GB/T 28181 or civil code ID")]
IntIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Page size")]
CursorQuery = Annotated[
    str | None, Query(max_length=128, pattern=r"^[A-Za-z0-9_-]*$", description="From `next`")
]

T = TypeVar("T")


class Public(BaseModel):
    """Base of response models read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """A page of a list and the cursor of the next one (null at the end)."""

    items: list[T]
    next: str | None = Field(None, description="Pass as `cursor` for the next page")
