"""Refusals carry a stable code and its params beside the English detail, so that the console
words them in its language: the reasons of the forms and actions the console offers."""

from __future__ import annotations

import httpx

from tests.conftest import ADMIN_PASSWORD

PROBLEM = "application/problem+json"
RULE = {"min_length": 10, "min_kinds": 3, "long_length": 16, "min_distinct": 6, "run": 3}


def coded(response: httpx.Response, status: int) -> tuple[str, dict[str, object]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["detail"]  # the English stays, for API users
    return body["code"], body["params"]


async def test_a_weak_password_is_refused_with_what_is_wrong_and_the_rule(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    weak = {"username": "zhao.lei", "password": "abcdefghij", "role": "viewer"}
    code, params = coded(await client.post("/api/v1/users", headers=admin, json=weak), 422)
    assert (code, params) == ("password.too_short", {"counted": 1, **RULE})
    body = {"current_password": ADMIN_PASSWORD, "new_password": "Password123!"}
    answer = await client.post("/api/v1/auth/password", headers=admin, json=body)
    assert coded(answer, 422) == ("password.guessable", RULE)
    policy = (await client.get("/api/v1/auth/password-policy")).json()
    assert (policy["code"], policy["params"]) == ("password.rule", RULE)
    assert "at least 10 characters" in policy["rule"]


async def test_own_account_refusals(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    myself = f"/api/v1/users/{me['id']}"
    disable = await client.patch(myself, headers=admin, json={"disabled": True})
    assert coded(disable, 403) == ("user.self_change", {})
    body = {"current_password": "not-the-password", "new_password": "Another-Long-Secret-9"}
    wrong = await client.post("/api/v1/auth/password", headers=admin, json=body)
    assert coded(wrong, 401) == ("password.current_wrong", {})


async def test_catalog_refusals_name_the_entity_and_its_id(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for org in ({"id": "34", "name": "安徽省"}, {"id": "3401", "name": "合肥市"}):
        assert (await client.post("/api/v1/organisations", headers=admin, json=org)).is_success
    device = {"id": "34010000001180000001", "name": "录像机", "organisation_id": "3401"}
    assert (await client.post("/api/v1/devices", headers=admin, json=device)).status_code == 201
    again = await client.post("/api/v1/devices", headers=admin, json=device)
    assert coded(again, 409) == ("exists", {"entity": "device", "id": device["id"]})
    platform = {**device, "id": "34010000002160000001"}
    refused = await client.post("/api/v1/devices", headers=admin, json=platform)
    assert coded(refused, 422) == ("id.device_type", {"type": "216"})
    short = await client.post("/api/v1/devices", headers=admin, json={**device, "id": "3401"})
    assert coded(short, 422) == ("id.length", {"n": 4})
    missing = await client.get("/api/v1/channels/34010000001320000099", headers=admin)
    assert coded(missing, 404) == (
        "not_found",
        {"entity": "channel", "id": "34010000001320000099"},
    )
    full = await client.delete("/api/v1/organisations/3401", headers=admin)
    assert coded(full, 409) == ("organisation.not_empty", {"id": "3401", "entity": "device"})


async def test_a_malformed_request_names_the_field_the_rule_and_its_figures(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    nameless = await client.post(
        "/api/v1/organisations", headers=admin, json={"id": "34", "name": ""}
    )
    code, params = coded(nameless, 422)
    assert (code, params) == (
        "request.invalid",
        {"field": "body.name", "type": "string_too_short", "min_length": 1},
    )
    first = nameless.json()["errors"][0]
    assert first["loc"] == ["body", "name"] and first["ctx"] == {"min_length": 1}
    ancient = await client.get(
        "/api/v1/kpis", headers=admin, params={"org": "34", "from": "1900-01-01T00:00:00Z"}
    )
    code, params = coded(ancient, 422)
    assert (code, params["type"]) == ("request.invalid", "day_out_of_range")
    assert (params["first"], params["last"]) == ("1970-01-01", "9998-12-31")
