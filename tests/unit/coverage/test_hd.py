"""HD by the stream's picture once seen, by the catalog flag until then."""

from __future__ import annotations

from vigil.coverage.hd import HdBasis, HdCount, channel_hd, count_hd, is_hd_size
from vigil.store.models import Channel


def test_hd_is_at_least_720p_either_way_up() -> None:
    assert is_hd_size(1280, 720) and is_hd_size(1920, 1080) and is_hd_size(1080, 1920)
    assert not is_hd_size(640, 360)
    assert not is_hd_size(704, 576)  # D1
    assert not is_hd_size(1280, 704)


def test_the_stream_outranks_the_catalog_flag() -> None:
    flagged = Channel(id="a", hd=True)
    plain = Channel(id="b", hd=False)
    never_seen = Channel(id="c", hd=True)
    sizes = {"a": (640, 360), "b": (1920, 1080)}
    assert channel_hd(flagged, sizes) == (False, HdBasis.stream)
    assert channel_hd(plain, sizes) == (True, HdBasis.stream)
    assert channel_hd(never_seen, sizes) == (True, HdBasis.catalog)
    assert count_hd([flagged, plain, never_seen], sizes) == HdCount(3, 2, 2, 1)
