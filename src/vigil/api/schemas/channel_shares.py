"""Channel shares on the wire: a share asked for, and shares as read (a share itself is
:class:`~vigil.governance.channel_shares.ShareView` as it is)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from vigil.api.schemas.access_policy import CaseNumber, Purpose
from vigil.api.schemas.common import Public, Strict
from vigil.governance.channel_shares import ShareView

__all__ = ["ShareList", "ShareRequest"]


class ShareRequest(Strict):
    """Lend the channel's live video to another organisation (department), under the caller's
    approved share request, for a stated purpose."""

    organisation_id: Annotated[str, Field(pattern=r"^[0-9]{1,20}$")]
    approval_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    purpose: Purpose
    case: CaseNumber | None = None


class ShareList(Public):
    """Shares of the caller's channels and shares lent to the caller's organisations."""

    items: list[ShareView]
