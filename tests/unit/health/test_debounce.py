import pytest

from vigil.health.diagnosis import Debounce, FaultState, Phase, Transition

POLICY = Debounce(raise_after=2, clear_after=3)


def feed(state: FaultState, verdicts: str) -> list[Transition | None]:
    return [state.observe(v == "B", POLICY) for v in verdicts]


def test_raised_after_n_consecutive_bad_rounds() -> None:
    state = FaultState()
    assert feed(state, "B") == [None]
    assert state.phase is Phase.suspect and not state.active
    assert feed(state, "B") == [Transition.raised]
    # mypy keeps ``state.phase`` narrowed across the call to ``feed`` that changes it.
    assert state.phase is Phase.raised and state.active  # type: ignore[comparison-overlap]


def test_a_good_round_while_suspect_starts_the_count_again() -> None:
    state = FaultState()
    assert feed(state, "BGBGB") == [None] * 5
    assert state.phase is Phase.suspect


def test_cleared_after_m_consecutive_good_rounds() -> None:
    state = FaultState()
    feed(state, "BB")
    assert feed(state, "GG") == [None, None]
    assert state.phase is Phase.recovering and state.active
    assert feed(state, "G") == [Transition.cleared]
    # mypy keeps ``state.phase`` narrowed across the call to ``feed`` that changes it.
    assert state.phase is Phase.ok and not state.active  # type: ignore[comparison-overlap]


def test_a_bad_round_while_recovering_returns_to_raised_without_raising_again() -> None:
    state = FaultState()
    feed(state, "BB")
    assert feed(state, "GGB") == [None, None, None]
    assert state.phase is Phase.raised
    assert feed(state, "GGG") == [None, None, Transition.cleared]


def test_one_round_policy_raises_and_clears_at_once() -> None:
    state, policy = FaultState(), Debounce(1, 1)
    assert state.observe(True, policy) is Transition.raised
    assert state.observe(False, policy) is Transition.cleared


def test_policy_needs_at_least_one_round() -> None:
    with pytest.raises(ValueError):
        Debounce(0, 1)
