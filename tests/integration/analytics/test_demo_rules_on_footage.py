"""The demo's rules on its footage, through the live pipeline's analysis (the real detector and
tracker at 5 fps): over one whole loop of the clip (79.5 s, some forty people on the paths),
only the woman who crosses the lawn's corner enters the zone, which raises exactly one intrusion,
and the wrong-way line counts her crossing and raises nothing."""

from __future__ import annotations

from pathlib import Path

from tests.unit.sim.footage import VTEST, needs_vtest
from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.frames.sampler import FrameSampler
from vigil.analytics.live.analysis import ChannelAnalysis
from vigil.analytics.live.messages import RuleHit
from vigil.analytics.rules import LineCounts, rule_from_dict
from vigil.demo_rules import LAWN_RULE, WRONG_WAY_RULE, demo_rules

T0 = 1_700_000_000.0


@needs_vtest
def test_the_lawn_raises_once_and_the_wrong_way_line_only_counts(tmp_path: Path) -> None:
    detector = Detector("nanodet", data_dir=tmp_path, threads=1)
    analysis = ChannelAnalysis(detector.detect, 5.0, gate=MotionGate(), max_lag=None)
    analysis.set_rules([rule_from_dict(raw) for raw in demo_rules()])
    hits: list[RuleHit] = []
    for frame in FrameSampler(VTEST, fps=5.0, start=0.0):
        hits += [
            o for o in analysis.analyse(T0 + frame.time, frame.image) if isinstance(o, RuleHit)
        ]
    assert [hit.event.rule_id for hit in hits] == [LAWN_RULE]
    assert analysis.line_counts(WRONG_WAY_RULE) == LineCounts(a_to_b=0, b_to_a=1)
