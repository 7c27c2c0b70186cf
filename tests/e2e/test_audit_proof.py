"""The audit viewer's proofs in Debian's chromium: the demo's auditor opens a record's proof (证明)
and the browser checks it itself (Web Crypto SHA-256 and Ed25519): ✓ verified, the signature
valid, the leaf hash the one Python's hashlib makes of the record's bytes, the path the API's
and the computed root the signed one. A leaf altered on its way to the browser reads ✗ with the
reason. The panel reads well (contrast) and in Chinese only. Tampering of every kind is in the
unit tests (web/tests/audit-proof.test.ts).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import httpx
from playwright.sync_api import Locator, Page, Route, expect

from tests.e2e.conftest import Demo, log_in, shot
from tests.e2e.latin import findings

CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


def _auditor_get(demo: Demo, path: str) -> httpx.Response:
    token = demo.token(*demo.auditor)
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{demo.url}/api/v1{path}", headers=headers)


def _open_proof(page: Page, seq: int) -> Locator:
    row = page.locator(f"tr[data-seq='{seq}']")
    row.get_by_role("button", name=f"查看记录 #{seq} 的证明").click()
    panel = page.get_by_test_id("audit-proof")
    expect(panel).to_have_attribute("data-seq", str(seq))
    return panel


def _codes(locator: Locator) -> list[str]:
    return [text.strip() for text in locator.locator("code").all_inner_texts()]


def test_an_auditor_sees_a_record_s_proof_verified_in_the_browser(page: Page, demo: Demo) -> None:
    log_in(page, demo, *demo.auditor)
    page.get_by_role("link", name="审计日志").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    rows = page.locator("tbody tr")
    seqs = [int(s) for s in rows.evaluate_all("rows => rows.map(r => r.dataset.seq)")]
    assert len(seqs) >= 2, seqs
    # The newest record (the right edge of the tree) and the oldest on the page (its left side).
    for seq in (seqs[0], seqs[-1]):
        panel = _open_proof(page, seq)
        expect(panel).to_have_attribute("data-verdict", "verified", timeout=10_000)
        expect(panel.get_by_test_id("proof-verdict")).to_have_text(
            "✓ 已验证：本记录包含在已签名的审计日志中"
        )
        expect(panel.get_by_test_id("proof-signature")).to_have_text("有效")
        expect(panel).to_have_attribute("data-signature", "valid")

        size = int(panel.get_by_test_id("proof-size").inner_text())
        assert size >= seq
        answer = _auditor_get(demo, f"/audit/records/{seq}/proof?size={size}")
        assert answer.status_code == 200, answer.text
        proof = answer.json()
        leaf = base64.b64decode(proof["leaf"])
        assert json.loads(leaf)["seq"] == seq
        expected_leaf_hash = hashlib.sha256(b"\x00" + leaf).hexdigest()
        expect(panel.get_by_test_id("proof-leaf-hash")).to_have_text(expected_leaf_hash)
        path = panel.get_by_test_id("proof-path")
        if proof["proof"]:
            assert _codes(path) == proof["proof"]
        else:
            expect(path).to_have_count(0)
        signed_root = panel.get_by_test_id("proof-root").inner_text().strip()
        expect(panel.get_by_test_id("proof-computed")).to_have_text(signed_root)
        assert re.fullmatch(r"[0-9a-f]{64}", signed_root), signed_root
    shot(page, "audit-proof")

    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["failures"] == [], result["failures"]
    assert findings(page) == []

    panel.get_by_role("button", name="关闭").click()
    expect(page.get_by_test_id("audit-proof")).to_have_count(0)


def test_a_leaf_altered_on_its_way_reads_failed(page: Page, demo: Demo) -> None:
    """The proof's answer is changed in flight (one field of the record): the browser's own
    check says ✗ and why, rather than trusting the server's word."""

    def altered(route: Route) -> None:
        answer = route.fetch()
        body = answer.json()
        record = json.loads(base64.b64decode(body["leaf"]))
        record["actor"] = "someone-else"
        text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        body["leaf"] = base64.b64encode(text.encode()).decode()
        route.fulfill(response=answer, json=body)

    page.route(re.compile(r"/api/v1/audit/records/[0-9]+/proof\?size=[0-9]+$"), altered)
    log_in(page, demo, *demo.auditor)
    page.get_by_role("link", name="审计日志").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    seq = int(page.locator("tbody tr").first.get_attribute("data-seq") or "0")
    panel = _open_proof(page, seq)
    expect(panel).to_have_attribute("data-verdict", "failed", timeout=10_000)
    expect(panel.get_by_test_id("proof-verdict")).to_have_text("✗ 验证失败")
    problems = panel.locator(".proof-problems li")
    expect(problems.filter(has_text="算出的根哈希与签名的根哈希不一致")).to_have_count(1)
    expect(problems.filter(has_text="证明的记录与所选记录不同（用户）")).to_have_count(1)
    expect(panel.get_by_test_id("proof-signature")).to_have_text("有效")  # the head is intact
    shot(page, "audit-proof-failed")
