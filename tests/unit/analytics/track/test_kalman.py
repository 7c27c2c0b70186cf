"""The box Kalman filter: conversions, learning a constant velocity, predicting ``dt`` ahead."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.analytics.track.kalman import BoxKalman, box_to_xyah, xyah_to_box


def test_boxes_convert_to_centre_aspect_height_and_back() -> None:
    box = (10.0, 20.0, 50.0, 100.0)
    assert box_to_xyah(box).tolist() == [30.0, 60.0, 0.5, 80.0]
    assert xyah_to_box(box_to_xyah(box)) == pytest.approx(box)


def test_the_filter_learns_a_constant_velocity_and_predicts_dt_frames_ahead() -> None:
    kalman = BoxKalman()
    state = kalman.initiate((0, 0, 40, 100))
    for frame in range(1, 30):
        state = kalman.predict(state)
        state = kalman.update(state, (4 * frame, -2 * frame, 40 + 4 * frame, 100 - 2 * frame))
    assert state.mean[4:].tolist() == pytest.approx([4, -2, 0, 0], abs=0.05)
    ahead = kalman.predict(state, 5.0)
    assert ahead.box == pytest.approx((4 * 34, -2 * 34, 40 + 4 * 34, 100 - 2 * 34), abs=0.5)
    # Uncertainty grows with the time predicted over, and shrinks with a measurement.
    one = kalman.predict(state, 1.0)
    assert np.trace(ahead.covariance) > np.trace(one.covariance) > np.trace(state.covariance)
    assert np.trace(kalman.update(one, one.box).covariance) < np.trace(one.covariance)


def test_a_lost_tracks_height_stops_changing() -> None:
    kalman = BoxKalman()
    state = kalman.initiate((0, 0, 40, 100))
    for frame in range(1, 20):  # growing 3 px a frame
        state = kalman.update(kalman.predict(state), (0, 0, 40 + 1.2 * frame, 100 + 3 * frame))
    grown = kalman.predict(state, 10.0)
    frozen = kalman.predict(state, 10.0, freeze_height=True)
    assert grown.mean[3] > state.mean[3] + 20
    assert frozen.mean[3] == pytest.approx(state.mean[3])
