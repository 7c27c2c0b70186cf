"""Device configuration blocks shared by DeviceConfig (set) and ConfigDownload (read back).

GB/T 28181-2016 A.2.3.2 defines BasicParam and the SVAC encode/decode blocks; A.2.6.8 reads them
back together with VideoParamOpt; 2022 A.2.3.2 adds SnapShotConfig. Names keep the standard's
spelling, typos included, because that is what goes over the wire.
"""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.manscdp.schema import el, repeated

__all__ = [
    "AudioParam",
    "BasicParam",
    "RoiItem",
    "RoiParam",
    "SnapShotConfig",
    "SurveillanceDecodeParam",
    "SurveillanceParam",
    "SvacDecodeConfig",
    "SvacEncodeConfig",
    "SvcDecodeParam",
    "SvcParam",
    "VideoParamOpt",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class BasicParam:
    """Name, registration expiry and keepalive timing of a device (A.2.3.2.1)."""

    name: str | None = el("Name")
    expiration: int | None = el("Expiration")  # seconds
    heart_beat_interval: int | None = el("HeartBeatInterval")  # seconds
    heart_beat_count: int | None = el("HeartBeatCount")  # missed keepalives before offline
    position_capability: int | None = el("PositionCapability")
    longitude: float | None = el("Longitude")
    latitude: float | None = el("Latitude")


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoParamOpt:
    """Optional video parameters read back by ConfigDownload (A.2.6.8)."""

    download_speed: str | None = el("DownloadSpeed")  # "/"-separated multiples
    resolution: str | None = el("Resolution")  # "/"-separated resolution codes


@dataclass(frozen=True, slots=True, kw_only=True)
class RoiItem:
    """One region of interest of SVAC encoding."""

    roi_seq: int | None = el("ROISeq")
    top_left: int | None = el("TopLeft")
    bottom_right: int | None = el("BottomRight")
    roi_qp: int | None = el("ROIQP")


@dataclass(frozen=True, slots=True, kw_only=True)
class RoiParam:
    """SVAC regions of interest; the ``<Item>`` s sit directly in ``<ROIParam>``."""

    roi_flag: int | None = el("ROIFlag")
    roi_number: int | None = el("ROINumber")
    items: tuple[RoiItem, ...] = repeated("Item")
    back_ground_qp: int | None = el("BackGroundQP")
    back_ground_skip_flag: int | None = el("BackGroundSkipFlag")


@dataclass(frozen=True, slots=True, kw_only=True)
class SvcParam:
    """SVAC scalable coding (encoder side)."""

    svc_space_domain_mode: int | None = el("SVCSpaceDomainMode")
    svc_time_domain_mode: int | None = el("SVCTimeDomainMode")
    ssvc_ratio_value: str | None = el("SSVCRatioValue")  # 2022
    svc_space_support_mode: int | None = el("SVCSpaceSupportMode")
    svc_time_support_mode: int | None = el("SVCTimeSupportMode")


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveillanceParam:
    """Which surveillance extensions the SVAC encoder embeds."""

    time_flag: int | None = el("TimeFlag")
    event_flag: int | None = el("EventFlag")
    alert_flag: int | None = el("AlertFlag")


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioParam:
    """SVAC audio recognition switch."""

    audio_recognition_flag: int | None = el("AudioRecognitionFlag")


@dataclass(frozen=True, slots=True, kw_only=True)
class SvacEncodeConfig:
    """SVAC encoder configuration (A.2.3.2.2)."""

    roi_param: RoiParam | None = el("ROIParam")
    svc_param: SvcParam | None = el("SVCParam")
    surveillance_param: SurveillanceParam | None = el("SurveillanceParam")
    audio_param: AudioParam | None = el("AudioParam")


@dataclass(frozen=True, slots=True, kw_only=True)
class SvcDecodeParam:
    """SVAC scalable decoding modes."""

    svc_space_domain_mode: int | None = el("SVCSpaceDomainMode")
    svc_time_domain_mode: int | None = el("SVCTimeDomainMode")


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveillanceDecodeParam:
    """What the SVAC decoder overlays; the standard spells the alert flag ``AlerShowtFlag``."""

    time_show_flag: int | None = el("TimeShowFlag")
    event_show_flag: int | None = el("EventShowFlag")
    alert_show_flag: int | None = el("AlerShowtFlag")


@dataclass(frozen=True, slots=True, kw_only=True)
class SvacDecodeConfig:
    """SVAC decoder configuration (A.2.3.2.3)."""

    svc_param: SvcDecodeParam | None = el("SVCParam")
    surveillance_param: SurveillanceDecodeParam | None = el("SurveillanceParam")


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapShotConfig:
    """Take ``snap_num`` pictures ``interval`` seconds apart and upload them (2022 A.2.3.2)."""

    snap_num: int | None = el("SnapNum")
    interval: int | None = el("Interval")
    upload_url: str | None = el("UploadURL")
    session_id: str | None = el("SessionID")
