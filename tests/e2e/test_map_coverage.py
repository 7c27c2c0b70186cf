"""The map's coverage overlay on the demo district: the footprints the coverage service computes
are drawn, the blind-spot list is the API's ranked list, and a click zooms to the spot."""

from __future__ import annotations

import io
import math
from typing import Any

import av
import numpy as np
import shapely
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot
from vigil.reports.model import percent

DISTRICT = "340104"  # the demo's 蜀山区, where its layers and cameras are filed


def api(demo: Demo, path: str) -> Any:
    response = demo.api("GET", path)
    assert response.status_code == 200, response.text
    return response.json()


def test_map_draws_footprints_and_ranks_blind_spots(page: Page, demo: Demo) -> None:
    spots = api(demo, f"/coverage/blind-spots?org={DISTRICT}")
    footprints = api(demo, f"/coverage/footprints?org={DISTRICT}")
    kpis = api(demo, f"/kpis?org={DISTRICT}")
    drawn = [f for f in footprints["features"] if f["geometry"] is not None]
    assert drawn, "the demo's cameras see part of the district"
    assert spots["key_areas"] and spots["intersections"], "the demo district has blind spots"

    log_in(page, demo)
    page.goto(f"{demo.url}/map?org={DISTRICT}")
    board = page.get_by_test_id("map")
    expect(board).to_have_attribute("data-ready", "true", timeout=20_000)
    expect(board).to_have_attribute("data-footprints", str(len(drawn)), timeout=20_000)
    # Rendered, not only loaded: the footprint layer has features on screen.
    expect(board).not_to_have_attribute("data-rendered-footprints", "0", timeout=20_000)

    areas = page.get_by_test_id("blind-areas-list").locator("li .spot-name")
    expect(areas).to_have_text([a["name"] for a in spots["key_areas"]])
    crossings = page.get_by_test_id("blind-crossings-list").locator("li .spot-name")
    expect(crossings).to_have_text([c["name"] for c in spots["intersections"]])
    rate = page.get_by_test_id("map-kpis").locator("li[data-kpi=coverage_rate] strong")
    expect(rate).to_have_text(percent(kpis["coverage_rate"]["value"]))

    worst = spots["key_areas"][0]
    page.get_by_test_id("blind-areas-list").get_by_role("button", name=worst["name"]).click()
    expect(board).to_have_attribute("data-focus", f"key_area:{worst['id']}")
    west, south, east, north = shapely.geometry.shape(worst["uncovered"]).bounds
    centre = board.get_attribute("data-centre")
    assert centre is not None
    lon, lat = (float(v) for v in centre.split(","))
    assert west <= lon <= east and south <= lat <= north, (lon, lat, west, south, east, north)
    shot(page, "map-blind-spots")

    crossing = spots["intersections"][0]
    page.get_by_test_id("blind-crossings-list").get_by_role("button", name=crossing["name"]).click()
    expect(board).to_have_attribute("data-focus", f"intersection:{crossing['id']}")
    expect(board).to_have_attribute(
        "data-centre", f"{crossing['longitude']:.6f},{crossing['latitude']:.6f}"
    )
    shot(page, "map-intersection")


def picture(png: bytes) -> np.ndarray:
    """A PNG screenshot as rows of RGB pixels (decoded with PyAV)."""
    with av.open(io.BytesIO(png), "r", format="png_pipe") as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgb24")


def metres_per_pixel(zoom: float, latitude: float) -> float:
    """Web Mercator at 512-px tiles (MapLibre's): 40,075 km around the equator at zoom 0."""
    return 40_075_016.686 * math.cos(math.radians(latitude)) / (512 * 2**zoom)


def test_the_default_view_shows_footprints_and_names_roads_and_areas(
    page: Page, demo: Demo
) -> None:
    footprints = api(demo, f"/coverage/footprints?org={DISTRICT}")["features"]
    roads = api(demo, f"/gis/layers/road?organisation_id={DISTRICT}")["features"]
    areas = api(demo, f"/gis/layers/key_area?organisation_id={DISTRICT}")["features"]
    log_in(page, demo)
    page.goto(f"{demo.url}/map?org={DISTRICT}")
    board = page.get_by_test_id("map")
    expect(board).to_have_attribute("data-ready", "true", timeout=20_000)
    drawn = [f for f in footprints if f["geometry"] is not None]
    # At the zoom the map opens with (fitted to the cameras), every footprint is on screen,
    # and an HD one (tens of metres deep) spans more than ten pixels.
    expect(board).to_have_attribute("data-rendered-footprints", str(len(drawn)), timeout=20_000)
    zoom = float(board.get_attribute("data-zoom") or "nan")
    latitude = float((board.get_attribute("data-centre") or "0,0").split(",")[1])
    hd = [f["properties"]["far_m"] for f in drawn if f["properties"]["hd"]]
    assert hd and min(hd) / metres_per_pixel(zoom, latitude) > 10, (zoom, hd)

    labels = page.locator(".map-label")
    expect(board).to_have_attribute("data-labels", str(len(roads) + len(areas)), timeout=20_000)
    expect(labels.and_(page.locator("[data-kind=road]"))).to_have_text(
        [r["properties"]["name"] for r in roads]
    )
    area_labels = labels.and_(page.locator("[data-kind=key_area]"))
    expect(area_labels).to_have_text([a["properties"]["name"] for a in areas])
    box = board.bounding_box()
    assert box is not None
    for label in area_labels.all():  # each key area's name is in view
        at = label.bounding_box()
        assert at is not None
        assert box["x"] <= at["x"] + at["width"] / 2 <= box["x"] + box["width"]
        assert box["y"] <= at["y"] + at["height"] / 2 <= box["y"] + box["height"]
    shot(page, "map-default-view")


def test_banned_places_are_hatched_on_the_map_and_in_the_legend(page: Page, demo: Demo) -> None:
    # Over the demo's first key area (in view at the opening zoom, see above), filed in the
    # district, and removed afterwards: the session's other tests share the demo.
    area = api(demo, f"/gis/layers/key_area?organisation_id={DISTRICT}")["features"][0]
    body = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "宾馆客房"}, "geometry": area["geometry"]}
        ],
    }
    layer = f"/gis/layers/banned_place?organisation_id={DISTRICT}"
    assert demo.api("POST", layer, body).status_code == 201
    try:
        log_in(page, demo)
        page.goto(f"{demo.url}/map?org={DISTRICT}")
        board = page.get_by_test_id("map")
        expect(board).to_have_attribute("data-ready", "true", timeout=20_000)
        expect(board).to_have_attribute("data-banned-places", "1", timeout=20_000)
        expect(board).to_have_attribute("data-rendered-banned-places", "1", timeout=20_000)
        expect(page.locator(".legend")).to_contain_text("禁止拍摄场所")
        shot(page, "map-banned-place")
        # Hatched inside, not only outlined: below the area's label (at its centre), stripes of
        # the banned colour (#ff3ea5) alternate with what lies beneath.
        label = page.locator(".map-label[data-kind=key_area]", has_text=area["properties"]["name"])
        at = label.bounding_box()
        assert at is not None
        middle = at["x"] + at["width"] / 2
        top = at["y"] + at["height"] + 2
        strip = page.screenshot(clip={"x": middle - 12, "y": top, "width": 24, "height": 10})
        pixels = picture(strip).astype(int)
        magenta = (pixels[..., 0] > 190) & (pixels[..., 1] < 130) & (pixels[..., 2] > 120)
        assert 0.1 < magenta.mean() < 0.7, magenta.mean()
    finally:
        empty = {"type": "FeatureCollection", "features": []}
        assert demo.api("POST", f"{layer}&replace=true", empty).status_code == 201
    assert api(demo, layer)["features"] == []
