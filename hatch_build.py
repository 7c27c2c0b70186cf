"""Hatch build hook: compile the media plane's C accelerator (``vigil.media._accel``) at install.

The per-packet work of hundreds of GB/T 28181 streams (RTP parse, reorder, PS runs, Annex B to
MP4 samples) is written in C against the CPython API only, no third-party code. It is compiled
with the interpreter's own compiler and flags (``sysconfig``), so no setuptools is needed. When
no compiler or no Python headers are there, the build goes on without it: Vigil then runs the
pure-Python path (the media service logs which one runs) — slower, same results. A build that
fails removes what an earlier one left, so a stale extension never outlives its source.

An editable install (``pip install -e``, what ``make`` does) finds the ``.so`` next to the source
in ``src/vigil/media``; a wheel gets it force-included and a platform tag. After editing the C
source, ``.venv/bin/pip install --no-deps -e .`` rebuilds it.
"""

from __future__ import annotations

import shlex
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src/vigil/media/_accel.c")
# Reproducible float arithmetic (the RFC 3550 jitter estimate must equal Python's bit for bit).
EXTRA_FLAGS = ["-ffp-contract=off", "-std=gnu11"]


def compile_accelerator(root: Path) -> Path:
    """Compile the extension next to its source; returns the built file (raises on failure)."""
    source = root / SOURCE
    target = source.with_name("_accel" + str(sysconfig.get_config_var("EXT_SUFFIX")))
    command = [
        *shlex.split(str(sysconfig.get_config_var("LDSHARED") or "cc -shared")),
        *shlex.split(str(sysconfig.get_config_var("CFLAGS") or "-O2")),
        *shlex.split(str(sysconfig.get_config_var("CCSHARED") or "-fPIC")),
        *EXTRA_FLAGS,
        "-I" + sysconfig.get_paths()["include"],
        str(source),
        "-o",
        str(target),
    ]
    target.unlink(missing_ok=True)
    subprocess.run(command, check=True, capture_output=True, text=True)
    return target


class AcceleratorBuildHook(BuildHookInterface):
    """Builds ``vigil.media._accel``; a failed compile is a warning, not a failed install."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "editable"):
            return
        root = Path(self.root)
        try:
            built = compile_accelerator(root)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            self.app.display_warning(
                f"vigil: the C media accelerator was not built, the Python path will be used: "
                f"{detail.strip()[:2000]}"
            )
            return
        self.app.display_info(f"vigil: built {built.relative_to(root)}")
        if version != "editable":
            relative = built.relative_to(root / "src")
            build_data["force_include"][str(built)] = str(relative)
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
