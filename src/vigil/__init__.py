"""Vigil: an open platform for networked public-safety video."""

__version__ = "0.1.0"
