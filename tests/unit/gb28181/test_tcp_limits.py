"""SIP TCP limits from settings and the open-file limit; admission per host and in all."""

from __future__ import annotations

import resource

from vigil.config import load_settings
from vigil.gb28181.sip.tcp_limits import (
    MAX_TCP_CONNECTIONS,
    TcpAdmission,
    TcpLimits,
    raise_open_file_limit,
    tcp_limits,
)


def test_defaults_follow_keepalive_settings_and_the_open_file_limit() -> None:
    limits = tcp_limits(load_settings(keepalive_interval=60, keepalive_missed=3), 1024)
    assert limits == TcpLimits(first_message=10.0, idle=360.0, per_address=64, total=512)
    roomy = tcp_limits(load_settings(keepalive_interval=1, keepalive_missed=2), 1 << 20)
    assert roomy.idle == 60.0 and roomy.total == MAX_TCP_CONNECTIONS


def test_settings_win_but_never_pass_half_the_open_file_limit() -> None:
    settings = load_settings(
        sip_tcp_idle_seconds=90,
        sip_tcp_first_message_seconds=2,
        sip_tcp_max_per_address=8,
        sip_tcp_max_connections=5000,
    )
    assert tcp_limits(settings, 65536) == TcpLimits(2.0, 90.0, 8, 5000)
    assert tcp_limits(settings, 1024).total == 512
    assert tcp_limits(settings, 10).per_address == 5  # never above the total


def test_admission_caps_per_host_then_in_all_and_releases() -> None:
    admission = TcpAdmission(TcpLimits(10.0, 60.0, per_address=2, total=3))
    assert admission.admit("10.0.0.1") is None and admission.admit("10.0.0.1") is None
    assert admission.admit("10.0.0.1") == "per address"
    assert admission.admit("10.0.0.2") is None
    assert admission.admit("10.0.0.3") == "total"
    admission.release("10.0.0.1")
    assert admission.open == 2 and admission.admit("10.0.0.3") is None
    for host in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        admission.release(host)
    assert admission.open == 0 and admission._per_host == {}


def test_the_soft_open_file_limit_is_raised_to_the_hard_one() -> None:
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    hard = before[1]
    try:
        if hard != resource.RLIM_INFINITY and hard > 256:
            resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
            assert raise_open_file_limit() == hard
            assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == hard
        else:
            assert raise_open_file_limit() >= 256
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)
