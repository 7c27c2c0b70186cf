"""The approval workflow's rules: who may ask and decide each kind, never one's own request,
the moves allowed from each state, expiry, and what a grant must match to be used."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from vigil.errors import Conflict, Forbidden
from vigil.governance.approval_rules import (
    ApprovalKind,
    ApprovalState,
    Grant,
    check_decider,
    check_grant,
    check_move,
    check_requester,
    check_revoker,
    effective_state,
    may_decide,
)
from vigil.governance.permissions import ROLE_PERMISSIONS, SYSTEM, Permission, Principal, Role

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
CHANNEL = "34010000001320000001"


def user(user_id: int, role: Role) -> Principal:
    return Principal(user_id, f"user{user_id}", role, ROLE_PERMISSIONS[role], None)


def grant(**changes: object) -> Grant:
    base = Grant(
        7,
        "export",
        CHANNEL,
        1,
        "approved",
        NOW - timedelta(hours=1),
        NOW,
        NOW + timedelta(minutes=30),
        "user2",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_operators_and_admins_decide_exports_viewers_and_auditors_do_not() -> None:
    assert Permission.approvals_decide in ROLE_PERMISSIONS[Role.operator]
    assert Permission.approvals_decide in ROLE_PERMISSIONS[Role.admin]
    assert may_decide(user(2, Role.operator), "export")
    assert not may_decide(user(2, Role.viewer), "export")
    assert not may_decide(user(2, Role.auditor), "export")
    # A viewer may play back but not decide: unmask needs playback and approvals:decide.
    assert not may_decide(user(2, Role.viewer), "unmask")
    assert not may_decide(user(2, Role.admin), "biometric_search")


def test_the_requester_can_never_decide_their_own_request() -> None:
    pending = grant(state="pending", requester_id=2)
    with pytest.raises(Forbidden) as refused:
        check_decider(user(2, Role.admin), pending)
    assert refused.value.code == "approval.own_request"
    assert "cannot decide it: another user must" in str(refused.value)
    check_decider(user(3, Role.operator), pending)
    with pytest.raises(Forbidden) as viewer:
        check_decider(user(3, Role.viewer), pending)
    assert viewer.value.params == {"permission": "approvals:decide"}


def test_requests_need_a_person_with_the_kinds_right_and_biometric_search_is_reserved() -> None:
    check_requester(user(1, Role.operator), "export")
    with pytest.raises(Forbidden) as viewer:
        check_requester(user(1, Role.viewer), "export")
    assert viewer.value.params == {"permission": "video:export"}
    check_requester(user(1, Role.viewer), "unmask")
    with pytest.raises(Forbidden) as platform:
        check_requester(SYSTEM, "export")
    assert platform.value.code == "approval.no_user"
    with pytest.raises(Conflict) as reserved:
        check_requester(user(1, Role.admin), ApprovalKind.biometric_search)
    assert reserved.value.code == "approval.kind_reserved"


def test_states_move_only_along_the_table_and_an_old_approval_reads_expired() -> None:
    check_move(grant(state="pending"), "approve", NOW)
    check_move(grant(state="pending"), "reject", NOW)
    check_move(grant(), "revoke", NOW)
    for state, action in [("approved", "approve"), ("rejected", "approve"), ("pending", "revoke")]:
        with pytest.raises(Conflict) as moved:
            check_move(grant(state=state), action, NOW)
        assert moved.value.params["state"] == state
    expired = grant(expires_at=NOW)
    assert effective_state(expired, NOW) is ApprovalState.expired
    assert effective_state(expired, NOW - timedelta(seconds=1)) is ApprovalState.approved
    with pytest.raises(Conflict, match="is expired; it cannot be revoked"):
        check_move(expired, "revoke", NOW)


def test_an_admin_revokes_without_the_deciding_rights_check_others_need_them() -> None:
    admin = Principal(9, "root", Role.admin, frozenset(), None)
    check_revoker(admin, grant())
    with pytest.raises(Forbidden):
        check_revoker(user(5, Role.viewer), grant())
    check_revoker(user(5, Role.operator), grant())


@pytest.mark.parametrize(
    ("changes", "who", "span", "code"),
    [
        ({}, 1, (NOW - timedelta(minutes=30), NOW), None),
        ({"kind": "unmask"}, 1, None, "approval.kind"),
        ({}, 2, None, "approval.not_yours"),
        ({"channel_id": "34010000001320000002"}, 1, None, "approval.channel"),
        ({"state": "pending"}, 1, None, "approval.pending"),
        ({"state": "rejected"}, 1, None, "approval.rejected"),
        ({"state": "revoked"}, 1, None, "approval.revoked"),
        ({"expires_at": NOW}, 1, None, "approval.expired"),
        ({}, 1, (NOW - timedelta(hours=2), NOW), "approval.range"),
        ({}, 1, (NOW - timedelta(minutes=5), NOW + timedelta(seconds=1)), "approval.range"),
    ],
)
def test_a_grant_is_used_only_by_its_requester_for_its_kind_channel_and_range(
    changes: dict[str, object],
    who: int,
    span: tuple[datetime, datetime] | None,
    code: str | None,
) -> None:
    def use() -> None:
        check_grant(
            grant(**changes), user(who, Role.operator), ApprovalKind.export, CHANNEL, span, NOW
        )

    if code is None:
        use()
        return
    with pytest.raises(Forbidden) as refused:
        use()
    assert refused.value.code == code
    assert str(refused.value).startswith("approval 7 ")
