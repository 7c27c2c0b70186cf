"""GB/T 28181 identifiers: 20-digit device/platform IDs and the civil codes of catalog areas.

``GbId.parse`` validates what the standard fixes and describes the rest; ``CivilCode`` reads the
2/4/6/8-digit area codes that catalogs use as organisations. The tables behind the descriptions
are in :mod:`vigil.protocols.gbid.tables` and summarised in docs/protocols/gbid.md.
"""

from __future__ import annotations

from vigil.protocols.gbid.civil import CivilCode, CivilLevel
from vigil.protocols.gbid.ident import GbId, TypeInfo, parse_catalog_id, type_info
from vigil.protocols.gbid.tables import Category, Edition

# Everything in __all__ is the public API of vigil.protocols.gbid.
__all__ = [
    "Category",
    "CivilCode",
    "CivilLevel",
    "Edition",
    "GbId",
    "TypeInfo",
    "parse_catalog_id",
    "type_info",
]
