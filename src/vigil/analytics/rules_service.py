"""Each channel's analytics rules, kept in the store: read and saved by operators, read by the
live analysis.

Reading a channel's rules needs ``catalog:read`` and the channel in the caller's organisation
scope; saving them needs ``catalog:write`` as well. A save replaces the channel's whole rule set:
every rule is parsed (:func:`rule_from_dict`, whose ``rule.*`` codes reach the console), IDs must
be unique within the channel and there are at most :data:`MAX_RULES`. The editor sends the version
it started from; a save over another version is a ``Conflict`` (someone saved in between). Each
save is audited as ``analytics.rules.update`` and, once committed, published on the bus as
``analytics.rules_changed`` (:class:`RulesChanged`).

The live analysis, acting as the system, reads :meth:`AnalyticsRules.enabled_channels` when it
starts and :meth:`AnalyticsRules.rules_for` for a channel whose rules changed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.analytics.events import RulesChanged
from vigil.analytics.rules import Rule, rule_from_dict, rule_to_dict
from vigil.bus import EventBus
from vigil.errors import Conflict, Invalid, missing
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, audited
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import AnalyticsRuleSet
from vigil.store.queries import analytics_rules as q
from vigil.store.types import utcnow

__all__ = ["MAX_RULES", "AnalyticsRules", "ChannelRuleSet"]

log = logging.getLogger(__name__)

#: The most rules one channel may have.
MAX_RULES = 32


@dataclass(frozen=True, slots=True)
class ChannelRuleSet:
    """A channel's rules as saved: version 0, no time and no author when none were saved."""

    channel_id: str
    version: int
    updated_at: datetime | None
    updated_by: str | None
    rules: tuple[Rule, ...]

    def rule_dicts(self) -> list[dict[str, Any]]:
        """The rules as JSON-ready dicts (as stored and as the console draws them)."""
        return [rule_to_dict(rule) for rule in self.rules]


def parse_rules(raw: Sequence[dict[str, Any]]) -> tuple[Rule, ...]:
    """Every rule of a channel, checked alone and together; ``Invalid`` naming the first broken
    one (its position from 1 and its code)."""
    if len(raw) > MAX_RULES:
        raise Invalid(
            f"a channel has at most {MAX_RULES} rules, got {len(raw)}",
            code="rule.too_many",
            max=MAX_RULES,
        )
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        try:
            rule = rule_from_dict(item)
        except Invalid as exc:
            raise Invalid(f"rule {position}: {exc}", code=exc.code, **exc.params) from None
        if rule.id in seen:
            raise Invalid(
                f"rule {position}: another rule of the channel has the ID {rule.id!r}",
                code="rule.duplicate_id",
                id=rule.id,
            )
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


class AnalyticsRules:
    """See the module docstring."""

    def __init__(self, db: Database, bus: EventBus, audit: AuditLog) -> None:
        self._db = db
        self._bus = bus
        self._audit = audit

    # --- operators -----------------------------------------------------------------------

    async def get(self, channel_id: str, who: Caller | Principal) -> ChannelRuleSet:
        """The channel's rules; ``catalog:read`` and the channel in scope."""
        principal = who.principal if isinstance(who, Caller) else who
        principal.require(Permission.catalog_read)
        await self._check_channel(principal, channel_id)
        return _rule_set(channel_id, await q.load_rule_set(self._db, channel_id))

    async def put(
        self,
        channel_id: str,
        rules: list[dict[str, Any]],
        who: Caller,
        expected_version: int | None,
    ) -> ChannelRuleSet:
        """Replace the channel's rules (see the module docstring); the rules as saved."""
        async with audited(
            self._audit,
            who,
            "analytics.rules.update",
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={"rules": len(rules), "expected_version": expected_version},
        ) as entry:
            principal = who.principal
            principal.require(Permission.catalog_write)
            await self._check_channel(principal, channel_id)
            parsed = parse_rules(rules)
            stored = [rule_to_dict(rule) for rule in parsed]
            row = await q.save_rule_set(
                self._db, channel_id, stored, expected_version, who.actor, utcnow()
            )
            if row is None:
                raise Conflict(
                    f"the rules of channel {channel_id} were saved by someone else since "
                    f"version {expected_version}",
                    code="rule.version_conflict",
                    expected=expected_version,
                )
            entry.detail["version"] = row.version
        log.info(
            "analytics rules saved",
            extra={"channel_id": channel_id, "rules": len(parsed), "version": row.version},
        )
        await self._bus.publish(RulesChanged(channel_id=channel_id))
        return ChannelRuleSet(channel_id, row.version, row.updated_at, row.updated_by, parsed)

    async def _check_channel(self, principal: Principal, channel_id: str) -> None:
        found, path = await q.channel_path(self._db, channel_id)
        if not found:
            raise missing("channel", channel_id)
        principal.check_org_path(path, "channel", channel_id)

    # --- the live analysis (the system; no caller) ---------------------------------------

    async def enabled_channels(self) -> dict[str, list[Rule]]:
        """Every channel with at least one enabled rule, and all its rules (the engine skips
        the disabled ones)."""
        found: dict[str, list[Rule]] = {}
        for row in await q.all_rule_sets(self._db):
            rules = _stored_rules(row)
            if any(rule.enabled for rule in rules):
                found[row.channel_id] = list(rules)
        return found

    async def rules_for(self, channel_id: str) -> list[Rule]:
        """All the channel's rules, enabled or not; none when none were saved."""
        row = await q.load_rule_set(self._db, channel_id)
        return list(_stored_rules(row)) if row is not None else []


def _stored_rules(row: AnalyticsRuleSet) -> tuple[Rule, ...]:
    """The rules of a stored set; one that no longer parses is logged and left out."""
    rules: list[Rule] = []
    for raw in row.rules:
        try:
            rules.append(rule_from_dict(raw))
        except Invalid as exc:
            log.warning(
                "a stored analytics rule is not valid; left out: %s",
                exc,
                extra={"channel_id": row.channel_id, "code": exc.code},
            )
    return tuple(rules)


def _rule_set(channel_id: str, row: AnalyticsRuleSet | None) -> ChannelRuleSet:
    if row is None:
        return ChannelRuleSet(channel_id, 0, None, None, ())
    return ChannelRuleSet(
        channel_id, row.version, row.updated_at, row.updated_by, _stored_rules(row)
    )
