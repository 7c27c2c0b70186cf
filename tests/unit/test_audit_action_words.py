"""Every audit action the server records is worded in the console's audit viewer, in both of its
languages (a Chinese console otherwise shows the English code: "其他操作（mask.set）").

The actions are read where they are recorded: the third argument of the calls to ``audited(...)``
and ``note(...)`` in Vigil's sources when it is a literal, and the access policy's action names.
Actions built at run time (``http.<method>``, ``alarm.<step>``, ``approval.<step>``,
``cascade.<method>``) are families whose members the viewer words one by one; they are not read
here. The words are the ``"audit.action.<action>"`` entries of web/src/i18n/auditStrings.ts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from vigil.governance.access_policy_service import AUDIT_ACTION

ROOT = Path(__file__).parents[2]
WORDS = ROOT / "web" / "src" / "i18n" / "auditStrings.ts"
ENTRY = re.compile(r'^\s*"audit\.action\.([^"]+)": \{\s*zh: "[^"]+",\s*en: "[^"]+",?\s*\}', re.M)


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def recorded_actions() -> dict[str, str]:
    """Each literal action recorded in the sources, with the first place it is recorded."""
    actions = dict.fromkeys(AUDIT_ACTION.values(), "vigil.governance.access_policy_service")
    for path in sorted((ROOT / "src" / "vigil").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or _name(node) not in {"audited", "note"}:
                continue
            if len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                action = node.args[2].value
                if isinstance(action, str):
                    actions.setdefault(action, f"{path.relative_to(ROOT)}:{node.lineno}")
    return actions


def test_every_recorded_action_has_words_in_chinese_and_english() -> None:
    worded = set(ENTRY.findall(WORDS.read_text()))
    missing = {a: where for a, where in recorded_actions().items() if a not in worded}
    assert missing == {}


def test_the_reading_finds_the_actions() -> None:
    actions = recorded_actions()
    assert {"mask.set", "video.unmask", "video.live", "channel.sensitivity"} <= set(actions)
