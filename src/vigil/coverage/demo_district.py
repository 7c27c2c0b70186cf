"""The demo district's layers, shipped as GeoJSON in ``vigil/coverage/data``.

Drawn for Vigil from the console's demo map (web/public/geo): Shushan District's outline, its
main roads and their crossings, five key areas with categories and a few buildings. Plausible,
not survey data. The demo loads them; tests and the coverage benchmark use them as a district.
"""

from __future__ import annotations

import json
from pathlib import Path

from vigil.coverage.layers import LayerFeature
from vigil.store.models import LayerKind

__all__ = ["demo_layers"]

DATA = Path(__file__).parent / "data"
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
