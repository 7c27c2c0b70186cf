"""What a simulated device answers to each MANSCDP Query, as Response messages (no I/O here).

The answer to a query is a list of Responses sent as separate MESSAGEs after the 200 OK: the
catalog and the recording list are paged (``SumNum`` is the total, each page holds at most the
configured number of items, all pages carry the query's SN), as NVRs do to keep UDP datagrams
under the MTU. A query this device does not model gets no answer, as on real devices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from vigil.protocols.manscdp import (
    RESULT_OK,
    AlarmStatusItem,
    CatalogQuery,
    CatalogResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    DeviceStatusQuery,
    DeviceStatusResponse,
    Message,
    Preset,
    PresetQuery,
    PresetQueryResponse,
    PtzPositionQuery,
    PtzPositionResponse,
    Query,
    RecordInfoQuery,
    RecordInfoResponse,
    Response,
)
from vigil.sim.catalog import SimChannel, catalog_items, pages
from vigil.sim.config import DeviceConfig
from vigil.sim.controls import ControlState
from vigil.sim.records import recordings

__all__ = ["CommandAnswers"]

_DAY_SECONDS = 86400


class CommandAnswers:
    """Answers for one device; reads the device's live channel list and control state."""

    def __init__(
        self,
        config: DeviceConfig,
        channels: Callable[[], Sequence[SimChannel]],
        controls: ControlState,
    ) -> None:
        self.config = config
        self._channels = channels
        self._controls = controls
        self._zone = ZoneInfo(config.timezone)
        self._table: dict[type[Query], Callable[[Query], list[Response]]] = {
            CatalogQuery: self._catalog,
            DeviceInfoQuery: self._device_info,
            DeviceStatusQuery: self._device_status,
            RecordInfoQuery: self._record_info,
            PresetQuery: self._presets,
            PtzPositionQuery: self._ptz_position,
        }

    def local_now(self) -> datetime:
        """The device clock: naive local time in the configured zone, as GB XML carries it."""
        return datetime.now(self._zone).replace(tzinfo=None, microsecond=0)

    def answer(self, query: Message) -> list[Response]:
        """The Responses to send for ``query`` (empty for queries this device does not know)."""
        if not isinstance(query, Query):
            return []
        handler = self._table.get(type(query))
        return [] if handler is None else handler(query)

    def catalog_pages(self, sn: int) -> list[CatalogResponse]:
        """The whole catalog as paged Catalog responses with serial number ``sn``."""
        items = catalog_items(self.config.device_id, self._channels())
        return [
            CatalogResponse(sn=sn, device_id=self.config.device_id, sum_num=len(items), items=page)
            for page in pages(items, self.config.catalog_page_size)
        ]

    def _catalog(self, query: Query) -> list[Response]:
        return list(self.catalog_pages(query.sn))

    def _device_info(self, query: Query) -> list[Response]:
        return [
            DeviceInfoResponse(
                sn=query.sn,
                device_id=self.config.device_id,
                device_name=f"SIM-NVR-{self.config.device_id[-6:]}",
                result=RESULT_OK,
                device_type="NVR",
                manufacturer="Vigil",
                model="SIM-NVR",
                firmware="V1.0.0",
                channel=len(self._channels()),
            )
        ]

    def _device_status(self, query: Query) -> list[Response]:
        guarded = self._controls.guard
        return [
            DeviceStatusResponse(
                sn=query.sn,
                device_id=self.config.device_id,
                result=RESULT_OK,
                online="ONLINE",
                status="OK",
                encode="ON",
                record="ON" if any(self._controls.recording.values()) else "OFF",
                device_time=self.local_now(),
                alarm_status=tuple(
                    AlarmStatusItem(
                        device_id=ch.channel_id,
                        duty_status="ONDUTY" if guarded.get(ch.channel_id) else "OFFDUTY",
                    )
                    for ch in self._channels()
                ),
            )
        ]

    def _record_info(self, query: Query) -> list[Response]:
        assert isinstance(query, RecordInfoQuery)
        now = self.local_now()
        start = query.start_time or now.replace(hour=0, minute=0, second=0)
        end = query.end_time or now
        known = {ch.channel_id for ch in self._channels()}
        items = []
        if query.device_id in known:
            items = recordings(
                query.device_id,
                _naive(start, self._zone),
                _naive(end, self._zone),
                now=now,
                days=self.config.record_days,
            )
        return [
            RecordInfoResponse(
                sn=query.sn,
                device_id=query.device_id,
                name=query.device_id,
                sum_num=len(items),
                items=page,
            )
            for page in pages(items, self.config.record_page_size)
        ]

    def _presets(self, query: Query) -> list[Response]:
        presets = self._controls.channel_ptz(query.device_id).presets
        return [
            PresetQueryResponse(
                sn=query.sn,
                device_id=query.device_id,
                presets=tuple(
                    Preset(preset_id=str(number), preset_name=name)
                    for number, name in sorted(presets.items())
                ),
            )
        ]

    def _ptz_position(self, query: Query) -> list[Response]:
        ptz = self._controls.channel_ptz(query.device_id)
        return [
            PtzPositionResponse(
                sn=query.sn,
                device_id=query.device_id,
                result=RESULT_OK,
                pan=round(ptz.pan, 2),
                tilt=round(ptz.tilt, 2),
                zoom=round(ptz.zoom, 2),
            )
        ]


def _naive(value: datetime, zone: ZoneInfo) -> datetime:
    """Local naive time; an aware time (a ``+08:00`` in the XML) is converted first."""
    if value.tzinfo is None:
        return value
    return value.astimezone(zone).replace(tzinfo=None)
