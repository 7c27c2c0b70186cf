"""Channel shares on the wire: a share asked for, and a share as read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from vigil.api.schemas.access_policy import CaseNumber, Purpose
from vigil.api.schemas.common import Public, Strict

__all__ = ["ShareList", "ShareOut", "ShareRequest"]


class ShareRequest(Strict):
    """Lend the channel's live video to another organisation (department), under the caller's
    approved share request, for a stated purpose."""

    organisation_id: Annotated[str, Field(pattern=r"^[0-9]{1,20}$")]
    approval_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    purpose: Purpose
    case: CaseNumber | None = None


class ShareOut(Public):
    """A share: what is lent to whom, on whose approval, until when, and whether it is in force."""

    id: int
    channel_id: str
    organisation_id: str
    organisation_name: str
    approval_id: int
    approver: str | None
    purpose: str
    case_number: str | None
    shared_by: str
    created_at: datetime
    until: datetime | None
    in_force: bool
    revoked_by: str | None
    revoked_at: datetime | None


class ShareList(Public):
    """Shares of the caller's channels and shares lent to the caller's organisations."""

    items: list[ShareOut]
