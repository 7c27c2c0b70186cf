"""The demo district: its layers load, its KPIs compute, placement beats greedy on it."""

from __future__ import annotations

from pytest import approx

from vigil.app import Vigil
from vigil.coverage.demo_district import demo_layers
from vigil.coverage.service import PlacementRequest
from vigil.demo import seed_demo
from vigil.governance.permissions import SYSTEM
from vigil.store.models import LayerKind


async def test_demo_district_layers_kpis_and_placement(node: Vigil) -> None:
    await seed_demo(node)
    await seed_demo(node)  # a second start loads nothing twice
    for kind, features in demo_layers().items():
        assert len(await node.gis.export(SYSTEM, kind, "340104")) == len(features) > 0

    report = await node.coverage.kpis(SYSTEM, "340104")
    figures = report.figures
    # Four HD cameras with 26.6 m reach against key areas of several hectares: a sliver.
    assert 0 < figures["coverage_rate"].value < 0.01  # type: ignore[operator]
    assert figures["hd_ratio"].value == 1.0
    assert figures["intersection_coverage"].value == 0.0  # a 60° camera sees one approach

    spots = await node.coverage.blind_spots(SYSTEM, "340104")
    assert len(spots.key_areas) == 5
    assert len(spots.intersections) == 6
    # The camera at 长江西路 × 潜山路 looks east along 长江西路, but its 26.6 m reach sees
    # 26.6 of the approach's 30 m, 88.7 % < 90 %: no crossing has any part seen.
    assert {(i.approaches, i.approaches_seen, i.centre_seen) for i in spots.intersections} == {
        (4, 0, False)
    }

    [square] = [
        row
        for row, _ in await node.gis.export(SYSTEM, LayerKind.key_area)
        if row.name == "天鹅湖广场"
    ]
    advice = await node.coverage.placement(SYSTEM, PlacementRequest(count=6, area_id=square.id))
    assert len(advice.cameras) == 6
    assert advice.objective_m2 >= advice.greedy_objective_m2 > 0
    # The square is 470 × 330 m and almost all unseen: the six new footprints fit in it whole,
    # each a 60° sector of 26.6 m, π/6 · 26.604² = 370.6 m², 2223.6 m² together.
    assert [c.gain_m2 for c in advice.cameras] == approx([370.6] * 6, abs=0.5)
