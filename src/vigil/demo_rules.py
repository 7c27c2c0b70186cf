"""The demo's analytics on the footage camera: a zone on the lawn and a line across it.

``vtest.avi`` (OpenCV's sample, a street corner seen from above) loops every 79.5 s. Its people
keep to the paths but for a couple who cross the lawn; one of them, a woman, walks across the
lawn's lower left corner once a loop (source frames ~670–760): right to left and up the
picture, then, past the corner, back to the right and still up. So the zone there raises one
intrusion alarm a loop, with its snapshot and clip (the linkage below locks the clip and shows
the camera on the live wall), and the line across the corner (horizontal at y = 0.7, drawn left
to right: side A above, B below), set to raise only crossings downwards (A → B), counts her
crossing upwards and raises nothing: the wrong way. (Measured with the live pipeline at 5 fps: a
vertical line there is crossed both ways, as she turns back.)
Coordinates are fractions of the picture (x right, y down), as the console draws them.

Seeded once: an operator's later edits (a channel's rules of version ≥ 1, any linkage rule)
are never overwritten.
"""

from __future__ import annotations

from typing import Any

from vigil.app import Vigil
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM

__all__ = ["LAWN_RULE", "WRONG_WAY_RULE", "demo_linkage", "demo_rules", "seed_rules"]

#: The intrusion rule's id (a linkage kind ``rule:<id>`` names it).
LAWN_RULE = "demo-lawn"
#: The line crossing rule's id.
WRONG_WAY_RULE = "demo-lawn-line"


def demo_rules() -> list[dict[str, Any]]:
    """The footage camera's rules, as the API and the console hold them."""
    common = {"classes": ["person"], "min_score": 0.4, "enabled": True, "schedule": None}
    return [
        {
            **common,
            "id": LAWN_RULE,
            "name": "草坪禁入区",
            "kind": "intrusion",
            "zone": [[0.0, 0.55], [0.2, 0.55], [0.2, 0.9], [0.0, 0.9]],
            "cooldown_s": 20.0,
        },
        {
            **common,
            "id": WRONG_WAY_RULE,
            "name": "草坪边线（自上而下）",
            "kind": "line_crossing",
            "line": [[0.0, 0.7], [0.25, 0.7]],
            "direction": "a_to_b",
            "cooldown_s": 0.0,
        },
    ]


def demo_linkage() -> list[dict[str, Any]]:
    """The demo's linkage: the lawn's intrusion locks its clip and shows it on the live wall."""
    return [
        {
            "name": "草坪入侵联动",
            "source": "analytics",
            "kind": f"rule:{LAWN_RULE}",
            "enabled": True,
            "actions": [{"type": "evidence_lock"}, {"type": "wall"}],
        }
    ]


async def seed_rules(node: Vigil, channel_id: str) -> None:
    """Give the footage camera its rules and the demo its linkage, unless already set."""
    who = Caller(SYSTEM)
    current = await node.analytics_rules.get(channel_id, who)
    if current.version == 0:
        await node.analytics_rules.put(channel_id, demo_rules(), who, expected_version=0)
    if not await node.alarms.linkages(SYSTEM):
        await node.alarms.replace_linkages(who, demo_linkage())
