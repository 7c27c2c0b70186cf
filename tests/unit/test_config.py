"""Settings: defaults, file and variables, and one clear line for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("VIGIL_"):
            monkeypatch.delenv(key)


def test_defaults_have_no_password_and_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.admin_password is None
    assert settings.sip_password is None
    assert settings.db_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'vigil.db'}"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.rtp_port_range == (30000, 30999)


def test_variables_override_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "vigil.toml"
    config.write_text('http_port = 9000\nsip_port = 5070\ntimezone = "Asia/Urumqi"\n')
    monkeypatch.setenv("VIGIL_HTTP_PORT", "9100")
    settings = load_settings(config)
    assert settings.http_port == 9100
    assert settings.sip_port == 5070
    assert settings.timezone == "Asia/Urumqi"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "VIGIL_SIP_ID",
            "3402000000200000000",
            "invalid setting VIGIL_SIP_ID: ID must be 20 digits",
        ),
        ("VIGIL_SIP_DOMAIN", "34020", "invalid setting VIGIL_SIP_DOMAIN: must be 10 digits"),
        ("VIGIL_RTP_PORTS", "40000-30000", "invalid setting VIGIL_RTP_PORTS: must satisfy"),
        ("VIGIL_TIMEZONE", "Mars/Olympus", "invalid setting VIGIL_TIMEZONE: unknown time zone"),
        ("VIGIL_HTTP_PORT", "70000", "invalid setting VIGIL_HTTP_PORT"),
    ],
)
def test_invalid_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_unknown_key_in_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "vigil.toml"
    config.write_text("htp_port = 1\n")
    with pytest.raises(ConfigError, match="VIGIL_HTP_PORT"):
        load_settings(config)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
