"""Linkage (联动): the actions run for an alarm: evidence lock, MQTT, webhook, forward to the
upper platforms, PTZ preset, on-demand recording, live wall."""
