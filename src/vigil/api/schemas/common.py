"""Field types shared by every schema: bounded printable text, IDs as the catalog keeps them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "CursorQuery",
    "Day",
    "DigitsId",
    "IdPath",
    "Instant",
    "IntIdPath",
    "LimitQuery",
    "Name",
    "Page",
    "Public",
    "Strict",
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

FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)
"""The days a time in the API may fall on. Nothing Vigil keeps is older than 1970, and a day
of margin at the end keeps every conversion to a local zone and every "next midnight" inside
the calendar: 9999-12-31T23:59:59Z is already the year 10000 in Beijing."""
_EARLIEST = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=UTC)
_LATEST = datetime(LAST_DAY.year + 1, 1, 1, tzinfo=UTC)
_RANGE = {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}


def _out_of_range() -> PydanticCustomError:
    """Its type is a code the console words (the 422's ``errors[].type``), with the days."""
    return PydanticCustomError("day_out_of_range", "must lie between {first} and {last}", _RANGE)


def _instant_in_range(value: datetime) -> datetime:
    if not _EARLIEST <= value < _LATEST:  # aware datetimes compare without converting
        raise _out_of_range()
    return value


def _day_in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise _out_of_range()
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_instant_in_range)]
"""A time with its UTC offset, within the days the API accepts (query parameters and bodies)."""
Day = Annotated[date, AfterValidator(_day_in_range)]
"""A calendar day within the days the API accepts."""

T = TypeVar("T")


class Strict(BaseModel):
    """A request body that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class Public(BaseModel):
    """Base of response models read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """A page of a list and the cursor of the next one (null at the end)."""

    items: list[T]
    next: str | None = Field(None, description="Pass as `cursor` for the next page")
