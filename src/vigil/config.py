"""Settings, read from ``vigil.toml`` and ``VIGIL_*`` variables (variables win).

Every field has a title and a description: the README's settings table is written from them, and a
setting that fails validation stops start-up with one line naming it (see :func:`load_settings`).
There is deliberately no default for any password: the first admin password comes from
``VIGIL_ADMIN_PASSWORD`` or is generated, and devices without a password of their own are refused
until ``VIGIL_SIP_PASSWORD`` or a per-device password is set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from vigil.config_analytics import AnalyticsSettings
from vigil.config_control import ControlSettings
from vigil.config_targets import DEFAULT_TARGETS, check_overrides
from vigil.protocols.errors import GbIdError
from vigil.protocols.gbid import GbId

__all__ = ["DEFAULT_TARGETS", "ConfigError", "Settings", "check_overrides", "load_settings"]

_DOMAIN_RE = re.compile(r"^\d{10}$")
_PORT_RANGE_RE = re.compile(r"^(\d{1,5})-(\d{1,5})$")
_TYPE_CODE_RE = re.compile(r"^\d{3}$")
_TILE_URL_RE = re.compile(r"^https?://[^\s]+$")


class ConfigError(Exception):
    """A setting is invalid; the message is one line naming it."""


class Settings(BaseSettings, AnalyticsSettings, ControlSettings):
    """Everything an operator can set. Field names map to ``VIGIL_<NAME>`` variables."""

    model_config = SettingsConfigDict(env_prefix="VIGIL_", extra="forbid", validate_default=True)

    data_dir: Path = Field(
        Path("data"),
        title="Data directory",
        description="Where the database, recordings and keys live.",
    )
    database_url: str | None = Field(
        None,
        title="Database URL",
        description="SQLAlchemy async URL; default SQLite (WAL) at <data_dir>/vigil.db. "
        "PostgreSQL: postgresql+asyncpg://user@host/db.",
    )
    http_host: str = Field("127.0.0.1", title="HTTP address", description="API/web bind address.")
    http_port: int = Field(8080, ge=1, le=65535, title="HTTP port", description="API/web port.")
    sip_host: str = Field("127.0.0.1", title="SIP address", description="SIP bind address.")
    sip_port: int = Field(5060, ge=1, le=65535, title="SIP port", description="SIP UDP+TCP port.")
    sip_id: str = Field(
        "34020000002000000001",
        title="Platform SIP ID",
        description="20-digit GB/T 28181 ID of this platform (type code 200).",
    )
    sip_domain: str = Field(
        "3402000000", title="SIP domain", description="10-digit GB/T 28181 domain (realm)."
    )
    sip_password: SecretStr | None = Field(
        None,
        title="Default device password",
        description="Digest password for devices without their own; unset refuses them.",
    )
    media_ip: str = Field(
        "127.0.0.1", title="Media address", description="Address put in SDP for devices to send to."
    )
    sip_admit_unknown: bool = Field(
        False,
        title="Admit unknown devices",
        description="Register devices that are not in the catalog (they are added to it); "
        "false refuses them with 403.",
    )
    register_expires_max: int = Field(
        3600,
        ge=60,
        le=86400,
        title="Longest registration",
        description="Seconds a registration may last; longer requests are granted this.",
    )
    keepalive_interval: int = Field(
        60, ge=1, le=3600, title="Keepalive interval", description="Seconds between keepalives."
    )
    keepalive_missed: int = Field(
        3,
        ge=1,
        le=100,
        title="Missed keepalives",
        description="Keepalives a device may miss before it is offline.",
    )
    sip_auth_max_failures: int = Field(
        5,
        ge=1,
        le=1000,
        title="SIP auth failures",
        description="Failed registrations from one address before it is refused for a while.",
    )
    sip_auth_block_seconds: int = Field(
        300,
        ge=1,
        le=86400,
        title="SIP auth block",
        description="Seconds an address is refused after too many failed registrations.",
    )
    sip_tcp_first_message_seconds: float = Field(
        10.0,
        gt=0,
        le=300,
        title="SIP TCP first message",
        description="Seconds a new SIP TCP connection has to deliver its first complete message "
        "before it is closed.",
    )
    sip_tcp_idle_seconds: float | None = Field(
        None,
        gt=0,
        le=86400,
        title="SIP TCP idle timeout",
        description="Seconds a SIP TCP connection may go without a complete message before it is "
        "closed; unset: 2 × keepalive interval × missed keepalives, at least 60.",
    )
    sip_tcp_max_per_address: int = Field(
        64,
        ge=1,
        le=100_000,
        title="SIP TCP connections per address",
        description="SIP TCP connections accepted from one host at once (devices behind one NAT "
        "share its address).",
    )
    sip_tcp_max_connections: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        title="SIP TCP connections",
        description="SIP TCP connections accepted at once; unset: 20,000. Never more than half "
        "the open-file limit (raised to its hard limit at start), so HTTP, the database and "
        "media keep theirs.",
    )
    catalog_timeout: float = Field(
        10.0,
        gt=0,
        le=600,
        title="Catalog timeout",
        description="Seconds to wait for the next part of a catalog before keeping what came.",
    )
    subscribe_expires: int = Field(
        3600,
        ge=0,
        le=86400,
        title="Subscription lifetime",
        description="Seconds asked for Catalog, Alarm and MobilePosition subscriptions; "
        "0 subscribes to nothing.",
    )
    position_types: str = Field(
        "138,200",
        title="Position device types",
        description="GB/T 28181 type codes (ID digits 11-13), comma-separated, of the devices "
        "subscribed to MobilePosition; '*' every device, '' none. Default: 138, the mobile "
        "transmission device (vehicle, body-worn), and 200, a lower platform (it relays the "
        "positions of its own mobile devices); fixed cameras do not move.",
    )
    rtp_ports: str = Field(
        "30000-30999", title="RTP port range", description="Ports for media streams, 'low-high'."
    )
    recording_max_gb: float | None = Field(
        None,
        gt=0,
        title="Recording disk cap",
        description="GB (10^9 bytes) the recordings may use; above it the oldest segments "
        "without an evidence lock are deleted until they use 95 % of it. Unset: no cap besides "
        "the disk's 90 % mark (vigil demo sets 5).",
    )
    timezone: str = Field(
        "Asia/Shanghai",
        title="Time zone",
        description="Zone of the local times GB/T 28181 devices send and expect.",
    )
    admin_password: SecretStr | None = Field(
        None,
        title="First admin password",
        description="Used once to create 'admin'; unset generates one and prints it once.",
    )
    token_ttl_minutes: int = Field(
        720, ge=1, le=10080, title="Session lifetime", description="Minutes a login token lives."
    )
    login_max_failures: int = Field(
        5,
        ge=1,
        le=100,
        title="Lockout threshold",
        description="Failed logins from one address before it is locked out of that account.",
    )
    lockout_minutes: int = Field(
        15,
        ge=1,
        le=1440,
        title="Lockout time",
        description="Minutes an address stays locked out of an account.",
    )
    login_rate_per_minute: int = Field(
        20, ge=1, le=10000, title="Login rate", description="Login attempts per minute per address."
    )
    password_hash_memory_kib: int = Field(
        65536,
        ge=19456,
        le=4194304,
        title="Password hash memory",
        description="KiB of memory Argon2id uses per password hash (at least OWASP's 19456).",
    )
    password_hash_time_cost: int = Field(
        3, ge=2, le=20, title="Password hash passes", description="Argon2id passes over it."
    )
    map_tiles: str | None = Field(
        None,
        title="Map tiles",
        description="XYZ raster tile URL with {z}/{x}/{y} for the console's base map; "
        "unset shows vector layers only.",
    )
    kpi_targets: dict[str, float] = Field(
        default_factory=dict,
        title="KPI targets",
        description="Target lines that replace the defaults, by KPI name (JSON object, 0-1), "
        'e.g. {"road_coverage": 0.9, "intact_rate": 0.99}.',
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        if settings_cls.model_config.get("toml_file"):
            sources += (TomlConfigSettingsSource(settings_cls),)
        return sources

    @field_validator("sip_id")
    @classmethod
    def _check_sip_id(cls, value: str) -> str:
        try:
            GbId.parse(value)
        except GbIdError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("sip_domain")
    @classmethod
    def _check_domain(cls, value: str) -> str:
        if not _DOMAIN_RE.match(value):
            raise ValueError("must be 10 digits")
        return value

    @field_validator("rtp_ports")
    @classmethod
    def _check_rtp_ports(cls, value: str) -> str:
        match = _PORT_RANGE_RE.match(value)
        if not match:
            raise ValueError("must be 'low-high', e.g. 30000-30999")
        low, high = int(match[1]), int(match[2])
        if not 1024 <= low <= high <= 65535:
            raise ValueError("must satisfy 1024 <= low <= high <= 65535")
        return value

    @field_validator("position_types")
    @classmethod
    def _check_position_types(cls, value: str) -> str:
        value = value.strip()
        if value != "*" and not all(_TYPE_CODE_RE.match(c.strip()) for c in _codes(value)):
            raise ValueError("must be 3-digit type codes separated by commas, '*' or ''")
        return value

    @field_validator("map_tiles")
    @classmethod
    def _check_map_tiles(cls, value: str | None) -> str | None:
        if value is not None and not (
            _TILE_URL_RE.match(value) and all(p in value for p in ("{z}", "{x}", "{y}"))
        ):
            raise ValueError("must be an http(s) URL containing {z}, {x} and {y}")
        return value

    @field_validator("kpi_targets")
    @classmethod
    def _check_kpi_targets(cls, value: dict[str, float]) -> dict[str, float]:
        check_overrides(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if self.database_url is None:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'vigil.db'}"
        return self

    @property
    def rtp_port_range(self) -> tuple[int, int]:
        low, high = self.rtp_ports.split("-")
        return int(low), int(high)

    @property
    def position_type_codes(self) -> frozenset[str] | None:
        """Type codes subscribed to MobilePosition; None means every device."""
        if self.position_types == "*":
            return None
        return frozenset(c.strip() for c in _codes(self.position_types))

    @property
    def recording_max_bytes(self) -> int | None:
        gb = self.recording_max_gb
        return None if gb is None else int(gb * 1e9)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_url(self) -> str:
        assert self.database_url is not None  # set by _default_database
        return self.database_url


def _codes(value: str) -> list[str]:
    return [c for c in value.split(",") if c.strip()]


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings, or raise ConfigError with one line naming the bad setting."""
    settings_cls: type[Settings] = Settings
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"config file {config} does not exist")
        settings_cls = type(
            "FileSettings",
            (Settings,),
            {"model_config": {**Settings.model_config, "toml_file": config}},
        )
    try:
        return settings_cls(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"invalid setting VIGIL_{name.upper()}: {message}") from None
