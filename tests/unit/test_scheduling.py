"""The layout of a parallel run (tests/scheduling.py): every test once, the long ones spread."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.scheduling import BROWSER_LANES, lay_out, slice_sizes


def slices(order: list[int], workers: int) -> list[list[int]]:
    out, start = [], 0
    for size in slice_sizes(len(order), workers):
        out.append(order[start : start + size])
        start += size
    return out


def test_slice_sizes_are_worksteals_first_distribution() -> None:
    assert slice_sizes(10, 3) == [3, 3, 4]
    assert slice_sizes(2145, 6) == [357, 357, 357, 358, 358, 358]
    assert sum(slice_sizes(7, 6)) == 7


def test_long_tests_go_one_to_a_slice_first_and_browser_modules_to_their_lanes() -> None:
    ids = [f"tests/unit/test_u.py::t{i}" for i in range(60)]
    ids += [f"tests/integration/test_fuzz.py::run[{i}]" for i in range(6)]
    ids += [f"tests/e2e/test_page{m}.py::t{i}" for m in range(4) for i in range(3)]
    durations = {f"tests/integration/test_fuzz.py::run[{i}]": 100.0 for i in range(6)}
    durations |= {f"tests/e2e/test_page{m}.py::t{i}": 10.0 for m in range(4) for i in range(3)}

    order = lay_out(ids, durations, 6)

    assert sorted(order) == list(range(len(ids)))
    parts = slices(order, 6)
    # The six long runs (a module of 600 s, split): one at the head of each slice.
    assert sorted(ids[part[0]] for part in parts) == sorted(ids[60:66])
    browser = [n for n, part in enumerate(parts) if any("e2e" in ids[i] for i in part)]
    assert len(browser) <= BROWSER_LANES
    # A browser module stays together, in its order.
    for m in range(4):
        where = [order.index(ids.index(f"tests/e2e/test_page{m}.py::t{i}")) for i in range(3)]
        assert where == sorted(where) and where[-1] - where[0] == 2


@given(
    st.lists(st.sampled_from(["unit", "integration", "e2e"]), max_size=40),
    st.lists(st.floats(0, 300), max_size=40),
    st.integers(1, 8),
)
def test_every_test_is_laid_out_once(kinds: list[str], seconds: list[float], workers: int) -> None:
    ids = [f"tests/{kind}/test_m{i % 5}.py::t{i}" for i, kind in enumerate(kinds)]
    durations = dict(zip(ids, seconds, strict=False))
    assert sorted(lay_out(ids, durations, workers)) == list(range(len(ids)))
