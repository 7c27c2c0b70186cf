"""decide(): every refusal reason, the order of the rules, and the windows' arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from vigil.errors import Forbidden
from vigil.governance.access_policy import (
    AccessAction,
    AccessWindow,
    ChannelFacts,
    Decision,
    Justification,
    Subject,
    decide,
    windows_for,
)
from vigil.governance.permissions import (
    ROLE_PERMISSIONS,
    SYSTEM,
    Credential,
    Permission,
    Principal,
    Role,
)

ZONE = ZoneInfo("Asia/Shanghai")
# Wednesday 2025-06-11, 10:30 in Shanghai (02:30 UTC).
MORNING = datetime(2025, 6, 11, 2, 30, tzinfo=UTC)
# The same Wednesday, 21:00 in Shanghai.
EVENING = datetime(2025, 6, 11, 13, 0, tzinfo=UTC)
WUHU = ChannelFacts("34020000001320000001", "34020000001180000001", "34.3402.")
SECRET = ChannelFacts("34010000001320000009", "34010000001180000001", "34.3401.", 2)
WHY = Justification("case review", "A-2025-17")


def user(role: Role, scopes: tuple[str, ...] | None = ("34.",), **kw: object) -> Principal:
    return Principal(7, f"{role.value}-user", role, ROLE_PERMISSIONS[role], scopes, **kw)  # type: ignore[arg-type]


def viewer_day() -> AccessWindow:
    return AccessWindow(AccessAction.live, time(8), time(20), role=Role.viewer)


def run(
    subject: Subject,
    action: AccessAction = AccessAction.live,
    channel: ChannelFacts = WUHU,
    now: datetime = MORNING,
    windows: tuple[AccessWindow, ...] = (),
    why: Justification = WHY,
) -> Decision:
    return decide(subject, channel, action, now, windows, why, zone=ZONE)


def test_allowed_when_every_rule_holds() -> None:
    decision = run(Subject(user(Role.viewer), 2), AccessAction.playback, SECRET)
    assert decision == Decision(True)
    decision.enforce()  # no raise


def test_role_without_the_permission_may_not() -> None:
    decision = run(Subject(user(Role.viewer)), AccessAction.export)
    assert not decision.allowed
    assert decision.reason == "role viewer may not export"
    assert decision.code == "permission"
    assert decision.params["permission"] == "video:export"
    assert run(Subject(user(Role.auditor)), AccessAction.live).reason == (
        "role auditor may not watch live video"
    )
    assert run(Subject(user(Role.viewer)), AccessAction.ptz).reason == (
        "role viewer may not control the camera"
    )


def test_api_token_lacking_a_permission_its_role_has() -> None:
    principal = Principal(
        7,
        "op",
        Role.operator,
        frozenset({Permission.catalog_read}),
        None,
        credential=Credential.api_token,
    )
    decision = run(Subject(principal), AccessAction.live)
    assert decision.reason == "this API token may not watch live video"
    without_catalog = Principal(7, "op", Role.operator, frozenset({Permission.video_live}), None)
    assert run(Subject(without_catalog)).params["permission"] == "catalog:read"


def test_channel_outside_the_organisations() -> None:
    decision = run(Subject(user(Role.operator, ("34.3401.",)), 3))
    assert decision.reason == f"channel {WUHU.id} is outside your organisations"
    assert decision.code == "out_of_scope"
    unfiled = ChannelFacts("34000000001320000001", "34000000001180000001", None)
    assert run(Subject(user(Role.operator)), channel=unfiled).code == "out_of_scope"
    assert run(Subject(user(Role.admin, None)), channel=unfiled).allowed


def test_sensitivity_above_clearance() -> None:
    decision = run(Subject(user(Role.admin, None), 1), AccessAction.live, SECRET)
    assert not decision.allowed
    assert f"channel {SECRET.id} needs clearance 2" in decision.reason
    assert decision.code == "access.clearance"
    assert (decision.params["needed"], decision.params["clearance"]) == (2, 1)
    assert run(Subject(user(Role.admin, None), 2), AccessAction.live, SECRET).allowed


def test_the_platform_itself_needs_no_clearance_and_keeps_no_hours() -> None:
    windows = (AccessWindow(AccessAction.live, time(8), time(9), role=Role.admin),)
    assert run(Subject(SYSTEM, 0), channel=SECRET, now=EVENING, windows=windows).allowed
    admin = Subject(user(Role.admin, None), 3)
    assert run(admin, channel=SECRET, now=EVENING, windows=windows).code == "access.window"


def test_outside_the_role_window() -> None:
    decision = run(Subject(user(Role.viewer)), now=EVENING, windows=(viewer_day(),))
    assert not decision.allowed
    assert decision.reason.startswith("outside 08:00–20:00 (Asia/Shanghai), when role viewer")
    assert decision.reason.endswith("now Wed 21:00")
    assert decision.code == "access.window"
    assert run(Subject(user(Role.viewer)), windows=(viewer_day(),)).allowed
    # Another role's window, or another action's, does not limit the viewer.
    assert run(Subject(user(Role.operator)), now=EVENING, windows=(viewer_day(),)).allowed
    playback = run(Subject(user(Role.viewer)), AccessAction.playback, now=EVENING)
    assert playback.allowed


def test_a_users_own_windows_replace_the_roles() -> None:
    own = AccessWindow(AccessAction.live, time(20), time(23), user_id=7)
    other = AccessWindow(AccessAction.live, time(0), time(1), user_id=8)
    subject = Subject(user(Role.viewer))
    windows = (viewer_day(), own, other)
    assert windows_for(subject, AccessAction.live, windows) == [own]
    assert run(subject, now=EVENING, windows=windows).allowed
    refused = run(subject, now=MORNING, windows=windows)
    assert refused.reason.startswith("outside 20:00–23:00 (Asia/Shanghai), when viewer-user")


def test_days_of_the_week() -> None:
    weekend = AccessWindow(AccessAction.live, time(8), time(20), frozenset({6, 7}), Role.viewer)
    decision = run(Subject(user(Role.viewer)), windows=(weekend,))
    assert decision.reason.startswith("outside 08:00–20:00 Sat,Sun (Asia/Shanghai)")
    saturday = datetime(2025, 6, 14, 2, 30, tzinfo=UTC)
    assert run(Subject(user(Role.viewer)), now=saturday, windows=(weekend,)).allowed


@pytest.mark.parametrize(
    ("local", "inside"),
    [
        (datetime(2025, 6, 13, 23, 0), True),  # Friday night: the window starts Friday
        (datetime(2025, 6, 14, 5, 59), True),  # Saturday early: still Friday's window
        (datetime(2025, 6, 14, 6, 0), False),  # its end is not in it
        (datetime(2025, 6, 14, 23, 0), False),  # Saturday night: no window starts Saturday
        (datetime(2025, 6, 13, 21, 59), False),
    ],
)
def test_a_window_past_midnight_belongs_to_the_day_it_starts(local: datetime, inside: bool) -> None:
    night = AccessWindow(AccessAction.live, time(22), time(6), frozenset({5}), Role.viewer)
    assert night.covers(local.replace(tzinfo=ZONE)) is inside


@pytest.mark.parametrize(
    "action", [AccessAction.playback, AccessAction.download, AccessAction.export]
)
def test_purpose_is_needed(action: AccessAction) -> None:
    subject = Subject(user(Role.admin, None))
    decision = run(subject, action, why=Justification(None))
    assert (
        decision.reason
        == f"to {action.value.replace('playback', 'play back')} you must state a purpose"
    )
    assert decision.code == "access.purpose"
    assert run(subject, action, why=Justification("   ")).code == "access.purpose"
    assert run(subject, AccessAction.live, why=Justification(None)).allowed


def test_purpose_of_at_most_200_characters() -> None:
    subject = Subject(user(Role.admin, None))
    decision = run(subject, AccessAction.export, why=Justification("x" * 201))
    assert decision.reason == "the purpose may be at most 200 characters"
    assert run(subject, AccessAction.export, why=Justification("x" * 200)).allowed


def test_case_number_on_sensitive_channels() -> None:
    subject = Subject(user(Role.admin, None), 3)
    decision = run(subject, AccessAction.export, SECRET, why=Justification("review"))
    assert decision.reason == (
        f"channel {SECRET.id} has sensitivity 2: to export you must give a case number"
    )
    assert decision.code == "access.case"
    assert run(subject, AccessAction.export, WUHU, why=Justification("review")).allowed
    assert run(subject, AccessAction.live, SECRET, why=Justification(None)).allowed
    lower = decide(
        subject,
        WUHU,
        AccessAction.export,
        MORNING,
        (),
        Justification("review"),
        zone=ZONE,
        case_from=0,
    )
    assert lower.code == "access.case"


def test_rules_are_checked_in_order() -> None:
    """Role first, then scope, clearance, window, purpose: the first failing rule is the reason."""
    scoped = user(Role.viewer, ("34.3401.",))
    everything_wrong = Subject(scoped, 0)
    windows = (AccessWindow(AccessAction.playback, time(8), time(12), role=Role.viewer),)
    channel = ChannelFacts(WUHU.id, WUHU.device_id, WUHU.org_path, 3)
    none = Justification()
    assert run(everything_wrong, AccessAction.export, channel, EVENING, windows, none).code == (
        "permission"
    )
    steps = [
        (Subject(scoped, 0), "out_of_scope"),
        (Subject(user(Role.viewer), 0), "access.clearance"),
        (Subject(user(Role.viewer), 3), "access.window"),
    ]
    for subject, code in steps:
        assert run(subject, AccessAction.playback, channel, EVENING, windows, none).code == code
    assert (
        run(
            Subject(user(Role.viewer), 3), AccessAction.playback, channel, MORNING, windows, none
        ).code
        == "access.purpose"
    )


def test_enforce_raises_forbidden_with_the_reason() -> None:
    decision = run(Subject(user(Role.viewer)), AccessAction.export)
    with pytest.raises(Forbidden, match="role viewer may not export") as raised:
        decision.enforce()
    assert raised.value.code == "permission"


def test_a_window_is_a_roles_or_a_users() -> None:
    with pytest.raises(ValueError, match="role or to a user"):
        AccessWindow(AccessAction.live, time(8), time(9))
    with pytest.raises(ValueError, match="role or to a user"):
        AccessWindow(AccessAction.live, time(8), time(9), role=Role.viewer, user_id=3)
    with pytest.raises(ValueError, match="differ"):
        AccessWindow(AccessAction.live, time(8), time(8), role=Role.viewer)
    with pytest.raises(ValueError, match="weekdays"):
        AccessWindow(AccessAction.live, time(8), time(9), frozenset({0}), Role.viewer)
