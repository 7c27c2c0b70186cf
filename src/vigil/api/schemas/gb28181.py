"""The GB/T 28181 server's own shapes: a device's SIP password, a catalog refresh's outcome."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from vigil.api.schemas.common import Strict, printable


class DevicePassword(Strict):
    """A device's own digest password, set by an operator."""

    password: Annotated[str, printable(128, 8)] = Field(
        description="Digest password the device registers with (8–128 characters); never returned"
    )


class CatalogRefreshPublic(Strict):
    """The outcome of asking a device for its catalog again."""

    received: int = Field(description="Catalog items the device sent")
    expected: int | None = Field(description="SumNum the device announced; null if none came")
    complete: bool = Field(description="Whether every announced item arrived before the timeout")
