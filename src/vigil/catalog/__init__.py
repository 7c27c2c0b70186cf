"""The catalog: organisations, devices, channels, platforms and virtual groups."""
