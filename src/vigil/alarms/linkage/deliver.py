"""Delivering an alarm outside Vigil: MQTT publish and webhook POST, both as the same JSON.

MQTT goes through ``aiomqtt`` (asyncio over the maintained Eclipse ``paho-mqtt`` client): one
short connection per message, since alarms are rare next to a connection's keep-alive, and a
broker restart then costs nothing. A webhook is one ``httpx`` POST; a non-2xx answer is a failure.
"""

from __future__ import annotations

import json
from typing import Any

import aiomqtt
import httpx

from vigil.alarms.linkage.actions import MqttPublish, Webhook

__all__ = ["post_webhook", "publish_mqtt"]

#: Seconds an MQTT connect and publish may take together.
MQTT_TIMEOUT = 10.0


async def publish_mqtt(action: MqttPublish, alarm: dict[str, Any]) -> None:
    """Publish ``alarm`` as JSON; raises on a connect or publish failure."""
    payload = json.dumps(alarm, ensure_ascii=False).encode()
    async with aiomqtt.Client(action.host, action.port, timeout=MQTT_TIMEOUT) as client:
        await client.publish(action.topic_for(alarm), payload, qos=action.qos)


async def post_webhook(action: Webhook, alarm: dict[str, Any]) -> None:
    """POST ``alarm`` as JSON; raises on a transport error or a non-2xx answer."""
    async with httpx.AsyncClient(timeout=action.timeout, follow_redirects=False) as client:
        response = await client.post(action.url, json=alarm)
        response.raise_for_status()
