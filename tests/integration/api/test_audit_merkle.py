"""A third party holding only an old signed tree head catches a rewritten audit log.

The verifier below is written here with ``hashlib`` and ``cryptography`` alone (RFC 9162 §2.1.3.2
and §2.1.4.2, RFC 8032 signatures): nothing of Vigil's, so the test shows the API answers what an
outside auditor can check. The attacker can write the database: it edits one record and re-hashes
the chain and the leaf hashes forward, so that the hash chain alone still verifies.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import text

from tests.conftest import login
from tests.integration.api.helpers import add_user, build_tree
from tests.integration.live import VIGIL, vigil_env
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import Settings
from vigil.governance.audit import entry_of
from vigil.governance.audit_chain import GENESIS, canonical, chain_hash
from vigil.store.models import AuditRecord

# --- the outside verifier: hashlib and cryptography only --------------------------------------


def v_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def v_head(document: dict[str, Any], public_key: bytes) -> tuple[int, bytes]:
    """(size, root) of a tree head whose signature verifies under ``public_key``."""
    head = base64.b64decode(document["head"])
    Ed25519PublicKey.from_public_bytes(public_key).verify(
        base64.b64decode(document["signature"]), head
    )
    lines = head.decode("ascii").split("\n")
    assert lines[0] == "vigil-audit-tree-head v1" and lines[4] == ""
    size, root = int(lines[1].removeprefix("size ")), bytes.fromhex(lines[2].removeprefix("root "))
    assert (size, root.hex()) == (document["size"], document["root"])
    return size, root


def v_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, hashlib.sha256(b"\x00" + leaf).digest()
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = v_node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            r = v_node(r, p)
        fn, sn = fn // 2, sn // 2
    return sn == 0 and r == root


def v_consistency(m: int, n: int, old: bytes, new: bytes, proof: list[bytes]) -> bool:
    if m == n:
        return old == new and not proof
    if not proof or not 0 < m < n:
        return False
    path = [old, *proof] if m & (m - 1) == 0 else list(proof)
    fn, sn = m - 1, n - 1
    while fn % 2 == 1:
        fn, sn = fn // 2, sn // 2
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = v_node(c, fr), v_node(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn // 2, sn // 2
        else:
            sr = v_node(sr, c)
        fn, sn = fn // 2, sn // 2
    return fr == old and sr == new and sn == 0


# --- the node, the attacker and the command line ----------------------------------------------


async def inclusion(
    client: httpx.AsyncClient, auditor: dict[str, str], seq: int, size: int
) -> tuple[int, bytes, list[bytes]]:
    url = f"/api/v1/audit/records/{seq}/proof"
    response = await client.get(url, headers=auditor, params={"size": size})
    assert response.status_code == 200, response.text
    body = response.json()
    proof = [bytes.fromhex(node) for node in body["proof"]]
    return body["index"], base64.b64decode(body["leaf"]), proof


async def consistency(
    client: httpx.AsyncClient, auditor: dict[str, str], old: int, new: int
) -> list[bytes]:
    params = {"from": old, "to": new}
    response = await client.get("/api/v1/audit/consistency", headers=auditor, params=params)
    assert response.status_code == 200, response.text
    return [bytes.fromhex(node) for node in response.json()["proof"]]


async def rewrite_from(node: Vigil, seq: int) -> None:
    """Edit record ``seq``'s actor, then re-hash the chain and the leaf hashes from there on."""
    async with node.db.session() as session, session.begin():
        rows = (await session.execute(text("SELECT seq FROM audit_records ORDER BY seq"))).all()
        prev = GENESIS
        for (number,) in rows:
            record = await session.get(AuditRecord, number)
            assert record is not None
            entry = dataclasses.replace(entry_of(record), prev_hash=prev)
            if number == seq:
                entry = dataclasses.replace(entry, actor="someone-else")
            if number >= seq:
                record.actor, record.prev_hash = entry.actor, prev
                record.hash = chain_hash(prev, entry)
                record.leaf_hash = hashlib.sha256(b"\x00" + canonical(entry)).hexdigest()
            prev = record.hash


def verify_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    assert settings.database_url is not None
    env = vigil_env(settings.data_dir, database_url=settings.database_url)
    return subprocess.run(
        [*VIGIL, "audit", "verify", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_an_old_head_catches_a_rewritten_log(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    node: Vigil,
    settings: Settings,
    tmp_path: Path,
) -> None:
    await build_tree(client, admin)
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    early_json = (await client.get("/api/v1/audit/tree-head", headers=auditor)).json()
    key = base64.b64decode(early_json["public_key"])
    assert key == node.tree_heads.public_key()  # the key the auditor pins is the node's
    early_size, early_root = v_head(early_json, key)
    assert early_size >= 8
    forged = base64.b64decode(early_json["head"]).replace(b"size ", b"size 1")
    with pytest.raises(InvalidSignature):
        v_head({**early_json, "head": base64.b64encode(forged).decode()}, key)

    for code in ("11", "12", "13"):  # the log grows
        body = {"id": code, "name": code}
        response = await client.post("/api/v1/organisations", headers=admin, json=body)
        assert response.status_code == 201
    later_json = (await client.get("/api/v1/audit/tree-head", headers=auditor)).json()
    later_size, later_root = v_head(later_json, key)
    assert later_size >= early_size + 3

    chosen = 4
    index, leaf, proof = await inclusion(client, auditor, chosen, later_size)
    assert index == chosen - 1 and json.loads(leaf)["seq"] == chosen
    assert v_inclusion(index, later_size, leaf, proof, later_root)
    assert not v_inclusion(index, later_size, leaf.replace(b"admin", b"bdmin"), proof, later_root)
    proof = await consistency(client, auditor, early_size, later_size)
    assert v_consistency(early_size, later_size, early_root, later_root, proof)

    old_head = tmp_path / "old.json"
    old_head.write_text(json.dumps(early_json))
    intact = verify_cli(settings, "--head", str(old_head))
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert f"tree head of size {early_size} (" in intact.stdout and "holds" in intact.stdout

    await rewrite_from(node, chosen)
    assert (await node.audit.verify()).ok  # the hash chain alone no longer sees it

    # Under the running node: the record's leaf no longer leads to the head it signed.
    index, leaf, proof = await inclusion(client, auditor, chosen, later_size)
    assert json.loads(leaf)["actor"] == "someone-else"
    assert not v_inclusion(index, later_size, leaf, proof, later_root)

    # A node started on the rewritten database signs a head the old one is not a prefix of.
    await node.stop()
    restarted = Vigil(settings)
    await restarted.start()
    try:
        transport = httpx.ASGITransport(app=create_api(restarted), client=("127.0.0.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as again:
            auditor = await login(again, "inspector", "inspector-Pass-12345")
            new_json = (await again.get("/api/v1/audit/tree-head", headers=auditor)).json()
            new_size, new_root = v_head(new_json, key)
            assert new_size > later_size
            proof = await consistency(again, auditor, early_size, new_size)
            assert not v_consistency(early_size, new_size, early_root, new_root, proof)
            index, leaf, proof = await inclusion(again, auditor, chosen, new_size)
            assert v_inclusion(index, new_size, leaf, proof, new_root)  # consistent with itself
    finally:
        await restarted.stop()

    broken = verify_cli(settings, "--head", str(old_head))
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "audit chain intact" in broken.stdout
    assert (
        f"given head: the records' tree of size {early_size} has root" in broken.stdout
        and f"(records among the first {early_size} were changed)" in broken.stdout
    )


async def test_bad_proof_requests_are_refused_with_reasons(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    assert (await client.get("/api/v1/audit/tree-head", headers=admin)).status_code == 403
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    head = (await client.get("/api/v1/audit/tree-head", headers=auditor)).json()
    again = (await client.get("/api/v1/audit/tree-head", headers=auditor)).json()
    assert again == head  # nothing was written in between: the same head, not a new one
    size = head["size"]

    async def problem(url: str, **params: int) -> tuple[int, str]:
        response = await client.get(url, headers=auditor, params=params)
        return response.status_code, response.json().get("detail", "")

    proof = "/api/v1/audit/records/{}/proof"
    assert await problem(proof.format(size + 5)) == (
        404,
        f"no audit record {size + 5}: the log holds records 1 to {size}",
    )
    assert await problem(proof.format(2), size=size + 5) == (
        404,
        f"no tree of size {size + 5}: the audit log holds {size} records",
    )
    assert await problem(proof.format(5), size=3) == (
        422,
        "record 5 is not in the tree of size 3: ask for size 5+",
    )
    consistency = "/api/v1/audit/consistency"
    assert await problem(consistency, **{"from": 5, "to": 3}) == (
        422,
        "from (5) is larger than to (3)",
    )
    assert (await problem(consistency, **{"from": 1, "to": size + 1}))[0] == 404
    assert (await problem(proof.format(0)))[0] == 422
