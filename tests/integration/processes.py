"""What is left of a process tree: every process in a session or process group, read from /proc.

A node started in a session of its own (``start_new_session``) has the session ID of its own PID;
its worker processes and multiprocessing's resource tracker share it, and keep it when the node
exits and they are re-parented. So "nothing of the node is left" is "nothing in its session".
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

__all__ = ["leftovers", "session_members"]


def session_members(session: int) -> dict[int, str]:
    """PID → command line of each live (not zombie) process in ``session`` or process group
    ``session``."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # it ended meanwhile
            continue
        state, _ppid, group, sid = stat[stat.rindex(")") + 2 :].split()[:4]
        if state != "Z" and session in (int(group), int(sid)):
            members[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return members


def leftovers(process: subprocess.Popen[str], within: float = 5.0) -> dict[int, str]:
    """The processes of ``process``'s session still alive ``within`` seconds after it exited
    (a resource tracker takes a moment to see its last client go)."""
    assert process.returncode is not None, "wait for the process first"
    deadline = time.monotonic() + within
    while (members := session_members(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return members
