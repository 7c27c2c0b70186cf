"""The alarm centre: alarms listed and counted by filters, acknowledged and closed with a note;
the linkage rules read and replaced.

The alarm centre checks permissions and scope (``catalog:read`` to read, ``alarms:handle`` to
acknowledge and close, ``catalog:write`` for linkage) and audits every step. An alarm's snapshot
is video access (``video:live``), audited there as ``video.snapshot``; this router only finds the
file under the data directory and streams it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse

from vigil.alarms import AlarmFilter
from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.alarms import (
    AlarmCountsOut,
    AlarmOut,
    LinkageRuleOut,
    LinkageRulesIn,
    NoteIn,
)
from vigil.api.schemas.common import CursorQuery, Instant, IntIdPath, LimitQuery, Page
from vigil.api.services import Alarms
from vigil.api.stored_files import stored_file
from vigil.errors import Invalid, NotFound

router = APIRouter(prefix="/alarms", tags=["alarms"])

Digits = Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")]
StateQuery = Annotated[str | None, Query(pattern=r"^(new|acknowledged|closed)$")]
SourceQuery = Annotated[str | None, Query(pattern=r"^(device|analytics|availability)$")]
KindQuery = Annotated[str | None, Query(max_length=64, pattern=r"^[\w.:-]+$")]
FromQuery = Annotated[Instant | None, Query(alias="from")]
ToQuery = Annotated[Instant | None, Query(alias="to")]


@dataclass(frozen=True, slots=True)
class _Asked:
    """The filters a list or a count is asked for, as the query gives them."""

    source: str | None
    kind: str | None
    channel: str | None
    org: str | None
    start: datetime | None
    end: datetime | None

    def kept(self, state: str | None = None) -> AlarmFilter:
        """The filter, once the handler runs (every parameter valid): the period in order."""
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise Invalid("'to' must be after 'from'", code="period.order")
        return AlarmFilter(state, self.source, self.kind, self.channel, None, self.start, self.end)


def _asked(
    source: SourceQuery = None,
    kind: KindQuery = None,
    channel: Digits = None,
    org: Digits = None,
    start: FromQuery = None,
    end: ToQuery = None,
) -> _Asked:
    return _Asked(source, kind, channel, org, start, end)


def _state(state: StateQuery = None) -> str | None:
    return state


def _paging(limit: LimitQuery = 100, cursor: CursorQuery = None) -> tuple[int, str | None]:
    return limit, cursor


# Each a dependency of its own, in the order of the list's parameters: FastAPI validates a
# route's own parameters after its dependencies', and lists them before.
Filters = Annotated[_Asked, Depends(_asked)]
State = Annotated[str | None, Depends(_state)]
Paging = Annotated[tuple[int, str | None], Depends(_paging)]


@router.get("", response_model=Page[AlarmOut])
async def list_alarms(
    principal: CurrentPrincipal, alarms: Alarms, state: State, asked: Filters, paging: Paging
) -> Page[AlarmOut]:
    limit, cursor = paging
    kept = asked.kept(state)
    rows = await alarms.page(principal, kept, decode_cursor(cursor, int), limit + 1, asked.org)
    return page_of(rows, limit, AlarmOut.model_validate, lambda a: a.id)


@router.get("/counts", response_model=AlarmCountsOut)
async def alarm_counts(
    principal: CurrentPrincipal, alarms: Alarms, asked: Filters
) -> AlarmCountsOut:
    return AlarmCountsOut(**await alarms.counts(principal, asked.kept(), asked.org))


@router.get("/linkage", response_model=list[LinkageRuleOut])
async def get_linkage(principal: CurrentPrincipal, alarms: Alarms) -> list[LinkageRuleOut]:
    return [LinkageRuleOut.model_validate(r) for r in await alarms.linkages(principal)]


@router.put("/linkage", response_model=list[LinkageRuleOut])
async def put_linkage(
    body: LinkageRulesIn, caller: CurrentCaller, alarms: Alarms
) -> list[LinkageRuleOut]:
    rules = [rule.model_dump() for rule in body.rules]
    stored = await alarms.replace_linkages(caller, rules)
    return [LinkageRuleOut.model_validate(r) for r in stored]


@router.get("/{alarm_id}", response_model=AlarmOut)
async def get_alarm(alarm_id: IntIdPath, principal: CurrentPrincipal, alarms: Alarms) -> AlarmOut:
    return AlarmOut.model_validate(await alarms.get(principal, alarm_id))


@router.get(
    "/{alarm_id}/snapshot",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}},
)
async def alarm_snapshot(
    alarm_id: IntIdPath, caller: CurrentCaller, alarms: Alarms, node: Node
) -> FileResponse:
    stored = await alarms.snapshot(caller, alarm_id)
    missing = NotFound(
        f"the snapshot of alarm {alarm_id} is missing", code="alarm.snapshot_missing"
    )
    return stored_file(node.settings.data_dir, stored, missing)


def _note(body: NoteIn | None) -> str | None:
    """The operator's note on a step, if the request has a body and the body a note."""
    return body.note if body is not None else None


@router.post("/{alarm_id}/acknowledge", response_model=AlarmOut)
async def acknowledge_alarm(
    alarm_id: IntIdPath, caller: CurrentCaller, alarms: Alarms, body: NoteIn | None = None
) -> AlarmOut:
    return AlarmOut.model_validate(await alarms.acknowledge(caller, alarm_id, _note(body)))


@router.post("/{alarm_id}/close", response_model=AlarmOut)
async def close_alarm(
    alarm_id: IntIdPath, caller: CurrentCaller, alarms: Alarms, body: NoteIn | None = None
) -> AlarmOut:
    return AlarmOut.model_validate(await alarms.close(caller, alarm_id, _note(body)))
