"""Write ``tests/durations.json`` from the JUnit XML of a full run (``pytest --junitxml=FILE``).

    .venv/bin/pytest -n 6 --dist worksteal -m "not alone" --junitxml=/tmp/run.xml
    .venv/bin/python tools/test_durations.py /tmp/run.xml > tests/durations.json

Each test's seconds (setup, call and teardown, as JUnit reports them), for the tests that take at
least ``KEEP`` seconds; :mod:`tests.scheduling` counts the others at its defaults. Measure on a
machine doing nothing else: the figures are what the layout balances.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

KEEP = 0.5


def node_id(case: ET.Element) -> str:
    """pytest's node id back from JUnit's dotted class name and test name."""
    classname, name = case.get("classname", ""), case.get("name", "")
    parts = classname.split(".")
    for cut in range(len(parts), 0, -1):
        path = "/".join(parts[:cut]) + ".py"
        if path.startswith("tests/"):
            return "::".join([path, *parts[cut:], name])
    return f"{classname}::{name}"


def main(path: str) -> None:
    seconds: dict[str, float] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        took = float(case.get("time", "0"))
        if took >= KEEP:
            seconds[node_id(case)] = round(took, 1)
    json.dump(dict(sorted(seconds.items())), sys.stdout, indent=0, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
