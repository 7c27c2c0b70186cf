"""Catalog parts assembled by SN: duplicates once, completion at SumNum, a moving deadline."""

from __future__ import annotations

from vigil.gb28181.devices.catalog_sync import MAX_CATALOG_ITEMS, CatalogAssembly
from vigil.protocols.manscdp import CatalogItem


def items(*numbers: int) -> tuple[CatalogItem, ...]:
    return tuple(CatalogItem(device_id=f"340104000013200001{n:02d}") for n in numbers)


def test_parts_complete_at_sum_num_whatever_the_order() -> None:
    assembly = CatalogAssembly.begin(now=0, idle_timeout=5)
    assert not assembly.add(5, items(3, 4), now=1)
    assert not assembly.add(5, items(3, 4), now=2)  # a retransmitted part counts once
    assert not assembly.add(5, items(1, 2), now=3)
    assert assembly.deadline == 8
    assert assembly.add(5, items(5), now=4)
    result = assembly.result()
    assert result.complete and result.expected == 5 and len(result.items) == 5
    assert assembly.parts == 4


def test_partial_result_is_kept() -> None:
    assembly = CatalogAssembly.begin(now=0, idle_timeout=5)
    assembly.add(6, items(1, 2), now=1)
    result = assembly.result()
    assert not result.complete and result.expected == 6
    assert [i.device_id[-2:] for i in result.items] == ["01", "02"]


def test_size_is_bounded() -> None:
    assembly = CatalogAssembly.begin(now=0, idle_timeout=5)
    assembly.add(10**9, (), now=1)
    assert assembly.expected == MAX_CATALOG_ITEMS
