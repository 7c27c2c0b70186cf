"""``audited`` records an action once whatever the block does: ok, refused, failed, answered."""

from __future__ import annotations

import json

import httpx
import pytest

from vigil.app import Vigil
from vigil.errors import Forbidden
from vigil.governance.audit import AuditFilter
from vigil.governance.audited import Caller, audited
from vigil.governance.permissions import SYSTEM, system_principal
from vigil.store.models import AuditRecord

ACTION = "test.action"


async def records(node: Vigil) -> list[AuditRecord]:
    return list(reversed(await node.audit.page(SYSTEM, AuditFilter(action=ACTION), None, 50)))


async def test_each_outcome_is_recorded_once_with_the_callers_address_and_purpose(
    node: Vigil,
) -> None:
    caller = Caller(system_principal("operator7"), "10.1.2.3", "incident 42")

    async with audited(node.audit, caller, ACTION, "thing/1", channel_id="34010000001320000001"):
        pass
    with pytest.raises(Forbidden):
        async with audited(node.audit, caller, ACTION, "thing/2"):
            raise Forbidden("not yours")
    with pytest.raises(RuntimeError):
        async with audited(node.audit, caller, ACTION, "thing/3", detail={"n": 3}) as entry:
            entry.detail["seen"] = True
            raise RuntimeError("disk on fire")

    found = await records(node)
    assert [(r.resource, r.outcome) for r in found] == [
        ("thing/1", "ok"),
        ("thing/2", "forbidden"),
        ("thing/3", "error"),
    ]
    assert {(r.actor, r.source) for r in found} == {("operator7", "10.1.2.3")}
    assert [json.loads(r.detail) for r in found] == [
        {"purpose": "incident 42"},
        {"purpose": "incident 42"},
        {"purpose": "incident 42", "n": 3, "seen": True},
    ]
    assert found[0].channel_id == "34010000001320000001"
    assert caller.recorded == [ACTION] * 3
    assert (await node.audit.verify()).ok


async def test_a_refusal_answered_instead_of_raised_keeps_its_outcome(node: Vigil) -> None:
    caller = Caller.peer("platform:34020000002000000001", "192.0.2.7")
    named = Caller.anonymous("192.0.2.8").named("someone")

    async with audited(node.audit, caller, ACTION, "channel:1") as entry:
        entry.outcome = "refused 503"
    with pytest.raises(TimeoutError):
        async with audited(node.audit, named, ACTION, "channel:2"):
            raise TimeoutError

    found = await records(node)
    assert [(r.actor, r.source, r.outcome) for r in found] == [
        ("platform:34020000002000000001", "192.0.2.7", "refused 503"),
        ("someone", "192.0.2.8", "timeout"),
    ]
    assert [json.loads(r.detail) for r in found] == [{}, {}]


async def test_a_request_its_service_recorded_gets_no_second_record(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    user = {"username": "op1", "password": "Operator-Pass-12345", "role": "operator", "scopes": []}
    assert (await client.post("/api/v1/users", headers=admin, json=user)).status_code == 201
    assert (await client.post("/api/v1/users", json=user)).status_code == 401

    found = reversed(await node.audit.page(SYSTEM, AuditFilter(), None, 100))
    assert [(r.actor, r.action, r.resource, r.outcome) for r in found] == [
        ("admin", "auth.login", "/api/v1/auth/token", "ok"),
        ("admin", "user.create", "user/op1", "ok"),
        ("anonymous", "http.post", "/api/v1/users", "http-401"),
    ]
