"""Analytics rules per channel: read and replaced as one versioned set.

The rules service checks permissions and scope (``catalog:read`` to read, ``catalog:write`` to
save), parses every rule and audits each save; this router only maps bodies.
"""

from __future__ import annotations

from fastapi import APIRouter

from vigil.analytics.rules_service import ChannelRuleSet
from vigil.api.deps import CurrentCaller
from vigil.api.schemas.analytics import ChannelRulesIn, ChannelRulesOut, RuleBody
from vigil.api.schemas.common import IdPath
from vigil.api.services import AnalyticsRuleSets

router = APIRouter(prefix="/channels/{channel_id}/analytics", tags=["analytics"])


def _out(saved: ChannelRuleSet) -> ChannelRulesOut:
    return ChannelRulesOut(
        channel_id=saved.channel_id,
        version=saved.version,
        updated_at=saved.updated_at,
        updated_by=saved.updated_by,
        rules=[RuleBody.model_validate(rule) for rule in saved.rule_dicts()],
    )


@router.get("/rules", response_model=ChannelRulesOut)
async def get_rules(
    channel_id: IdPath, caller: CurrentCaller, rules: AnalyticsRuleSets
) -> ChannelRulesOut:
    return _out(await rules.get(channel_id, caller))


@router.put("/rules", response_model=ChannelRulesOut)
async def put_rules(
    channel_id: IdPath, body: ChannelRulesIn, caller: CurrentCaller, rules: AnalyticsRuleSets
) -> ChannelRulesOut:
    raw = [rule.model_dump(exclude_none=True) for rule in body.rules]
    return _out(await rules.put(channel_id, raw, caller, body.version))
