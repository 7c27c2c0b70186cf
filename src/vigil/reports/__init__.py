"""Reports built from the services' figures: the KPI report of a region as CSV and PDF."""
