"""The parts of Vigil and the arrows between them: which part may import which.

This table is the architecture, kept as data. ``tests/unit/test_layering.py`` reads every module's
imports and fails on any import from one part into another that no arrow here allows, naming the
file and line; the README's architecture section is printed from it::

    python -m vigil.architecture

A module belongs to the part that names it or its nearest enclosing package (``vigil.gb28181``
holds everything under ``src/vigil/gb28181/``); the package's own ``vigil`` module (the version)
is named alone. Imports inside a part are free. Imports under ``if TYPE_CHECKING:`` count like any
other: a type-only import is still knowledge of the other part, and the table is about knowledge.

A part with a front door (``front_door=True``) is entered only through its package: another part
writes ``from vigil.media import MediaService``, never ``from vigil.media.service import …``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

__all__ = ["PARTS", "Part", "allowed", "describe", "part_of"]


@dataclass(frozen=True)
class Part:
    """One part: the modules it holds, what it owns, the parts it may import."""

    name: str
    modules: tuple[str, ...]
    owns: str
    uses: frozenset[str] = frozenset()
    front_door: bool = False


def _part(
    name: str, modules: tuple[str, ...], owns: str, uses: str = "", *, front_door: bool = False
) -> Part:
    return Part(name, modules, owns, frozenset(uses.split()), front_door)


#: Every part, from the bottom (imports nothing of Vigil's) to the top (the entry points).
PARTS: tuple[Part, ...] = (
    _part(
        "protocols",
        ("vigil.protocols",),
        "sans-I/O codecs and state machines: SIP, SDP, MANSCDP, MANSRTSP, GB ids, PTZ, RTP, PS",
    ),
    _part(
        "base",
        (
            "vigil",
            "vigil.errors",
            "vigil.week_windows",
            "vigil.logs",
            "vigil.log_redaction",
            "vigil.architecture",
            "vigil.lazy",
            "vigil.child",
            "vigil.tasks",
        ),
        "the version, the error types every part raises, logging, lazy front doors, "
        "workers that end with their node, the ending of owned tasks, this table",
    ),
    _part(
        "config",
        (
            "vigil.config",
            "vigil.config_analytics",
            "vigil.config_control",
            "vigil.config_targets",
            "vigil.data_dir",
            "vigil.retention_class",
        ),
        "the settings (vigil.toml, VIGIL_*) and the data directory they name",
        "protocols base",
    ),
    _part("store", ("vigil.store",), "the database: models, migrations, sessions", "base"),
    _part("bus", ("vigil.bus",), "typed events between services (in-process; NATS later)"),
    _part(
        "governance",
        ("vigil.governance",),
        "users, roles, authentication, permissions, the access policy, "
        "the audit log (Merkle tree, signed heads), the signing key",
        "store config base",
    ),
    _part(
        "catalog",
        ("vigil.catalog",),
        "organisations, devices, channels, virtual groups, the resource tree",
        "governance store bus protocols base",
    ),
    _part(
        "media",
        ("vigil.media",),
        "the media plane: stream hub, sources, live, recording, playback, export, outbound",
        "catalog governance store protocols config base",
        front_door=True,
    ),
    _part(
        "gb28181",
        ("vigil.gb28181",),
        "the GB/T 28181 network: SIP endpoint, devices, calls, lower and upper platforms",
        "media catalog governance store bus protocols config base",
    ),
    _part(
        "health",
        ("vigil.health",),
        "online status, video quality diagnosis, intact rate, repair records",
        "media catalog governance store base",
    ),
    _part(
        "coverage",
        ("vigil.coverage",),
        "GIS layers, camera footprints, coverage and networking KPIs, filing",
        "health catalog governance store config base",
    ),
    _part(
        "reports",
        ("vigil.reports",),
        "KPI reports (CSV, PDF)",
        "coverage catalog governance base",
    ),
    _part(
        "sim",
        ("vigil.sim",),
        "device, platform and fleet simulators and their synthetic video",
        "media protocols store base",
    ),
    _part(
        "analytics",
        ("vigil.analytics",),
        "detection: TF.js → ONNX importer, model cache, detector; face detection (CenterFace, "
        "boxes only) for anonymised exports; the frame path (sampling, "
        "motion gate, shared-memory workers); ByteTrack-style tracking; per-channel rules "
        "(zones, lines) and their store; the live pipeline (hub packets → worker processes → "
        "tracks, alarms) and its events store; object attributes (vehicle type and colour, "
        "clothing colours); licence plates (detection, reading, formats); vigil analytics",
        # Rules per channel are kept in the store, saved by operators (authorised and audited
        # through governance) and announced on the bus to the live analysis. The live pipeline
        # joins channels' streams through media's hub and keeps its tracks in the store (reading
        # them is authorised and audited); alarms are reached through a protocol, so alarms
        # stays above.
        "media governance store bus base",
    ),
    _part(
        "alarms",
        ("vigil.alarms",),
        "the alarm centre: device, analytics and availability alarms, handling, linkage actions",
        "gb28181 media catalog governance store bus base",
    ),
    _part(
        "app",
        ("vigil.app", "vigil.admin_node", "vigil.lifecycle"),
        "the composition root: builds every service from the settings, starts and stops them "
        "(the admin commands build only its core: database, audit, users, device secrets)",
        "analytics alarms gb28181 media health coverage reports catalog governance store bus "
        "config base",
    ),
    _part(
        "api",
        ("vigil.api",),
        "the HTTP API (FastAPI routers, schemas, WebSockets) and the console's files",
        "app analytics alarms gb28181 media health coverage reports catalog governance store bus "
        "protocols base",
    ),
    _part(
        "cli",
        ("vigil.cli", "vigil.serving", "vigil.demo", "vigil.demo_rules"),
        "the entry points: vigil serve, demo, users, audit, db, sim, analytics",
        "api app sim analytics media coverage governance store config base",
    ),
)

_BY_NAME = {part.name: part for part in PARTS}


def part_of(module: str) -> Part | None:
    """The part holding ``module`` (dotted name), or ``None`` when no part names it."""
    best: tuple[int, Part] | None = None
    for part in PARTS:
        for name in part.modules:
            inside = module == name or (name != "vigil" and module.startswith(name + "."))
            if inside and (best is None or len(name) > best[0]):
                best = (len(name), part)
    return best[1] if best else None


def allowed(source: str, target: str) -> bool:
    """Whether part ``source`` may import part ``target``."""
    return source == target or target in _BY_NAME[source].uses


def describe() -> list[str]:
    """The table as lines: each part, what it owns, the parts it may import."""
    lines = []
    for part in PARTS:
        door = f" (entered only through {part.modules[0]})" if part.front_door else ""
        uses = ", ".join(p.name for p in PARTS if p.name in part.uses) or "nothing of Vigil's"
        lines.append(f"- {part.name}{door}: {part.owns}. Imports: {uses}.")
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(describe()) + "\n")
