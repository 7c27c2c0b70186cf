"""The simulator's PTZ: a pan turns the synthetic view; a broken PTZ accepts commands and stays."""

from __future__ import annotations

from vigil.protocols.manscdp import DeviceControl
from vigil.protocols.ptz import Motion, Pan, PtzCmd, Tilt, Zoom
from vigil.sim.controls import ControlState
from vigil.sim.video import VIEW_DEGREES, view_of

CHANNEL = "34010000001320000001"


def right(state: ControlState, speed: int = 255) -> None:
    command = Motion(Pan.RIGHT, Tilt.NONE, Zoom.NONE, speed, 0, 0)
    state.apply(DeviceControl(sn=1, device_id=CHANNEL, ptz_cmd=str(PtzCmd(command))))


def test_a_pan_changes_the_view_step() -> None:
    state = ControlState()
    right(state)
    pan = state.channel_ptz(CHANNEL).pan
    assert pan == 10.0  # 255 × 10/255 degrees
    assert view_of(pan) == round(10.0 / VIEW_DEGREES) != 0
    assert view_of(360.0) == view_of(0.0) == 0


def test_a_broken_ptz_logs_the_command_and_does_not_move() -> None:
    state = ControlState(ignore_ptz={CHANNEL})
    right(state)
    assert len(state.log) == 1
    assert state.channel_ptz(CHANNEL).pan == 0.0 and state.channel_ptz(CHANNEL).commands == []
