"""The demo district's layers, shipped as GeoJSON in ``vigil/coverage/data``.

Drawn for Vigil in local metres around the crossing of 长江西路 and 潜山路 (``ORIGIN``): Shushan
District's outline and one subdistrict, five roads of a 550 × 800 m block and their six crossings,
five key public areas of the size such areas have (a square of 100 × 80 m, a hospital forecourt,
a metro exit, a school gate, a government forecourt) and the buildings beside them. Plausible, not
survey data. The demo loads them; tests and the coverage benchmark use them as a district.
"""

from __future__ import annotations

import json
from pathlib import Path

from vigil.coverage.layers import LayerFeature
from vigil.store.models import LayerKind

__all__ = ["ORIGIN", "demo_layers"]

DATA = Path(__file__).parent / "data"
#: 长江西路 × 潜山路, WGS-84: the demo's cameras are placed in metres from here.
ORIGIN = (117.2312, 31.8570)
FILES = {
    LayerKind.admin_area: "admin-areas.geojson",
    LayerKind.key_area: "key-areas.geojson",
    LayerKind.road: "roads.geojson",
    LayerKind.intersection: "intersections.geojson",
    LayerKind.building: "buildings.geojson",
}


def demo_layers() -> dict[LayerKind, list[LayerFeature]]:
    """Each layer's features, in WGS-84."""
    layers = {}
    for kind, name in FILES.items():
        collection = json.loads((DATA / name).read_text(encoding="utf-8"))
        layers[kind] = [
            LayerFeature(f["geometry"], f["properties"]["name"], f["properties"].get("category"))
            for f in collection["features"]
        ]
    return layers
