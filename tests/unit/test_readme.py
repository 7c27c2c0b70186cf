"""The README documents every setting and opens with the two commands."""

from __future__ import annotations

from pathlib import Path

from vigil.architecture import describe
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


def test_architecture_section_lists_the_declared_parts() -> None:
    section = README[README.index("## Architecture") :]
    missing = [line for line in describe() if line not in section]
    assert missing == [], "README's architecture section differs from vigil.architecture"
