"""Text in linkage rules and alarm notes: a control character (PostgreSQL refuses NUL) is a 422
naming the field, never a server error (found by the OpenAPI fuzz test)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

NUL = "a\x00b"


def rule(**changes: Any) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "mqtt", "topic": "vigil/alarms", "host": "127.0.0.1"}
    body: dict[str, Any] = {"name": "door", "kind": None, "actions": [action]}
    for key, value in changes.items():
        if key in action:
            action[key] = value
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(
    "body",
    [
        rule(name=NUL),
        rule(kind=NUL),
        rule(topic=NUL),
        rule(host=NUL),
        {"name": "hook", "actions": [{"type": "webhook", "url": f"http://127.0.0.1/{NUL}"}]},
    ],
    ids=["name", "kind", "topic", "host", "url"],
)
async def test_a_control_character_in_a_linkage_rule_is_422(
    client: httpx.AsyncClient, admin: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.put("/api/v1/alarms/linkage", headers=admin, json={"rules": [body]})
    assert response.status_code == 422, response.text
    assert (await client.get("/api/v1/alarms/linkage", headers=admin)).json() == []
