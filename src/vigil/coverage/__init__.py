"""Coverage: GIS layers, camera field of view, coverage and networking KPIs, the filing registry."""
