"""A running server's log carries no raw control characters from a request (the fuzzer's NUL
in a console path was a 500 whose log line held the NUL raw)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.integration.live import live_vigil


def test_nul_in_a_console_path_is_404_and_stays_out_of_the_log(tmp_path: Path) -> None:
    log = tmp_path / "vigil.log"
    with live_vigil("serve", tmp_path / "data", log=log, admin_password="Log-Lines-Pass-1") as live:
        for path in ("/a%00b", "/map%0A2026-01-01%20INFO%20forged", "/" + "a" * 300):
            response = httpx.get(live.url + path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/problem+json"
    text = log.read_text()
    assert "vigil started" in text  # the log was captured
    assert "unhandled error" not in text
    assert not any(ord(c) < 32 and c != "\n" for c in text)
    assert "\n2026-01-01 INFO forged" not in text
