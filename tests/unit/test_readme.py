"""The README documents every setting and opens with the two commands."""

from __future__ import annotations

from pathlib import Path

from vigil.config import Settings

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    missing = [
        f"VIGIL_{n.upper()}" for n in Settings.model_fields if f"`VIGIL_{n.upper()}`" not in README
    ]
    assert missing == []


def test_opens_with_demo_and_test() -> None:
    opening = "\n".join(README.splitlines()[:20])
    assert "make demo" in opening and "make test" in opening
