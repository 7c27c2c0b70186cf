"""Every reason code the server gives is worded in the console, in both of its languages.

The codes are read where they are given: the ``code=`` and ``reason_code=`` keywords of the calls
in Vigil's sources (a ``VigilError``, a KPI without a value). The console's words for a code are
the ``"problem.<code>"`` entries of web/src/i18n/problemStrings.ts, each with ``zh`` and ``en``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
WORDS = ROOT / "web" / "src" / "i18n" / "problemStrings.ts"
ENTRY = re.compile(r'^\s*"problem\.([^"]+)": \{\s*zh: "[^"]+",\s*en: "[^"]+",?\s*\}', re.M)
SERVED = {"password.rule": "vigil.api.schemas.users.PasswordPolicy.code"}
"""Codes the API gives other than in a call's keyword."""


def given_codes() -> dict[str, str]:
    """Each code given in the sources, with the first place it is given."""
    codes: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "vigil").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg in {"code", "reason_code"}
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    codes.setdefault(value.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return codes | SERVED


def worded_codes() -> set[str]:
    return set(ENTRY.findall(WORDS.read_text()))


def test_the_codes_are_found_where_they_are_given() -> None:
    codes = given_codes()
    assert {"password.too_short", "not_found", "id.length", "kpi.no_channels"} <= set(codes)
    assert len(codes) > 60, sorted(codes)


def test_every_code_has_words_in_chinese_and_english() -> None:
    worded = worded_codes()
    missing = {code: where for code, where in given_codes().items() if code not in worded}
    assert missing == {}


def test_no_string_is_given_twice_across_the_string_files() -> None:
    """strings.ts spreads the other files in: a key given twice would silently lose one."""
    keys: list[str] = []
    for name in ("strings.ts", "problemStrings.ts", "fieldStrings.ts", "auditStrings.ts"):
        keys += re.findall(r'^  "([^"]+)":', (WORDS.parent / name).read_text(), re.M)
    assert len(keys) > 500
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
