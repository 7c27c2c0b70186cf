"""What a zh-CN console may show in Latin script: IDs, codes, units and proper names, and
nothing else. ``findings`` reads the texts ``latin.js`` collects from a page.

Text inside ``translate="no"`` is data kept as it was recorded (a user name, a resource path,
an address, a character set, an error class a browser named), and text in an element whose
``lang`` is not Chinese was put there in that language on purpose (the switch to English says
"English"); in both a run of Latin words (prose) is still a finding. Everywhere else every
Latin-script token must be one of ``ALLOWED``.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

SCRIPT = (Path(__file__).parent / "latin.js").read_text()

ALLOWED = {
    # Proper names: the product, and the standards the platform speaks as they are written.
    "Vigil": "the product's name (app.title: Vigil 视频监控平台)",
    "GB/T": "the standard's designation (GB/T 28181), written so in Chinese too",
    # Protocol and file-format names that Chinese interfaces write in Latin letters.
    "SIP": "GB/T 28181's signalling protocol (SIP 编码, SIP 状态)",
    "IP": "the upper platform's address (IP 地址), as Chinese writes it",
    "UDP": "transport names of the device and platform forms",
    "TCP": "transport names of the device and platform forms",
    "CSV": "the report's download formats",
    "PDF": "the report's download formats",
    # Units, as written after figures in Chinese too.
    "s": "seconds (the player's latency: 0.50 s)",
    "kbit/s": "the player's bitrate",
    "Mbit/s": "the player's bitrate",
    # Device kinds as the industry writes them, and key caps as they are printed.
    "NVR": "network video recorder: the demo's recorder is named 蜀山区演示 NVR",
    "Delete": "the key (the wall's hint: Delete 键清除)",
}
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[./_-][A-Za-z0-9]+)*")
PROSE = re.compile(r"[A-Za-z]{2,}[,;]? +[A-Za-z]{2,}")


def texts(page: Page) -> list[dict[str, object]]:
    collected: list[dict[str, object]] = page.evaluate(SCRIPT)
    return collected


def findings(page: Page) -> list[str]:
    """One line per Latin-script token the page shows outside the allowed ones."""
    found: list[str] = []
    for item in texts(page):
        text, where = str(item["text"]), str(item["where"])
        if item["kept"]:
            if PROSE.search(text):
                found.append(f"{where}: prose in data {text[:80]!r}")
            continue
        found += [
            f"{where}: {token!r} in {text[:80]!r}"
            for token in TOKEN.findall(text)
            if token not in ALLOWED
        ]
    return found
