"""Availability: video quality diagnosis, faults and work orders, intact rate."""
