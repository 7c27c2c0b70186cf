"""Linkage (联动): the actions run for an alarm: evidence lock, MQTT, webhook."""
