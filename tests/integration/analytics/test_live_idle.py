"""The live analytics service stays idle, saying why in one line, when switched off or when its
model is missing; the node is not disturbed, and no rules change wakes it."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.integration.analytics.test_live_pipeline import RULES, MemoryRules
from vigil.analytics.events import RulesChanged
from vigil.analytics.live import AnalyticsService, LiveConfig
from vigil.analytics.rules import Rule
from vigil.app import Vigil
from vigil.demo import FOOTAGE_CAMERA_ID


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (LiveConfig(enabled=False), "switched off"),
        (LiveConfig(enabled=None, model="/nowhere/model.onnx"), "/nowhere/model.onnx"),
        (LiveConfig(enabled=True, model="/nowhere/model.onnx"), "model is missing"),
    ],
)
async def test_idle_with_one_line(
    node: Vigil, config: LiveConfig, reason: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO, logger="vigil.analytics")
    rules = MemoryRules({FOOTAGE_CAMERA_ID: RULES})
    service = AnalyticsService(
        node.media.hub, rules, node.alarms, node.db, node.bus, config, tmp_path
    )
    await service.start()
    await node.bus.publish(RulesChanged(channel_id=FOOTAGE_CAMERA_ID))
    await asyncio.sleep(0.3)  # time for the bus to deliver it, were anything listening
    status = service.status()
    await service.stop()
    assert status["channels"] == {}
    assert status["idle_reason"] is not None and reason in status["idle_reason"]
    [line] = [r for r in caplog.records if r.name.startswith("vigil.analytics")]
    assert line.levelno == logging.WARNING and reason in line.getMessage()


class BrokenRules:
    """A rules source whose store is down."""

    async def enabled_channels(self) -> dict[str, list[Rule]]:
        raise ConnectionError("rules store down")

    async def rules_for(self, channel_id: str) -> list[Rule]:
        raise ConnectionError("rules store down")


async def test_a_failing_rules_source_does_not_stop_the_node(
    node: Vigil, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    service = AnalyticsService(
        node.media.hub, BrokenRules(), node.alarms, node.db, node.bus, LiveConfig(), tmp_path
    )
    await service.start()  # does not raise
    status = service.status()
    await service.stop()
    assert status == {"idle_reason": None, "fps": 5.0, "channels": {}}
    assert any("could not read" in r.getMessage() for r in caplog.records)
