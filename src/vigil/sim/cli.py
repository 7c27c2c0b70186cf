"""``vigil sim``: run simulated GB/T 28181 devices against a platform.

``vigil sim devices --count 4 --channels 4 --server 127.0.0.1:5060 --password …`` registers four
NVRs of four cameras each and keeps them alive until Ctrl-C (or ``--duration`` seconds), then
hangs up their streams and unregisters them; it exits 1 if none registered. (``vigil demo``
runs its simulated NVR inside the platform's process instead.)
``vigil sim platform --server … --password …`` runs one lower platform (type 200) reporting a
tree of business groups, virtual organisations, NVRs and cameras (:mod:`vigil.sim.platform`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, cast

import typer

if TYPE_CHECKING:
    from vigil.sim.platform import SimPlatform
    from vigil.sim.swarm import Swarm

__all__ = ["sim_app"]

sim_app = typer.Typer(
    help="Simulated GB/T 28181 devices.", no_args_is_help=True, rich_markup_mode=None
)
#: Above this many UDP devices, devices share sockets (50 to a socket) unless told otherwise.
SHARE_ABOVE = 50
#: Seconds to wait for the devices to register before saying how many did.
REGISTER_WAIT = 30.0

# Options both commands take.
_Domain = Annotated[str, typer.Option(help="10-digit SIP domain")]
_Keepalive = Annotated[float, typer.Option(min=0.1, help="Keepalive interval, s")]
_LocalHost = Annotated[str, typer.Option(help="Local address to send from")]
_Duration = Annotated[float, typer.Option(min=0, help="Stop after this many s (0: never)")]


def _hostport(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise typer.BadParameter(f"expected HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def _size(value: str) -> tuple[int, int]:
    width, sep, height = value.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise typer.BadParameter(f"expected WIDTHxHEIGHT, got {value!r}")
    return int(width), int(height)


def _centre(value: str) -> tuple[float, float]:
    try:
        lon, lat = (float(part) for part in value.split(","))
    except ValueError:
        raise typer.BadParameter(f"expected LON,LAT, got {value!r}") from None
    return lon, lat


@sim_app.command()
def devices(
    server: Annotated[str, typer.Option(help="Platform SIP address HOST:PORT")] = "127.0.0.1:5060",
    password: Annotated[
        str, typer.Option(envvar="VIGIL_SIP_PASSWORD", help="Digest password of every device")
    ] = "",
    count: Annotated[int, typer.Option(min=1, help="Number of devices")] = 1,
    channels: Annotated[int, typer.Option(min=1, max=999, help="Cameras per device")] = 4,
    transport: Annotated[str, typer.Option(help="SIP transport: udp or tcp")] = "udp",
    domain: _Domain = "3402000000",
    server_id: Annotated[str, typer.Option(help="Platform's 20-digit ID")] = (
        "34020000002000000001"
    ),
    id_prefix: Annotated[
        str, typer.Option(help="Device ID prefix; a zero-padded serial fills 20 digits")
    ] = "34010400001180",
    first_serial: Annotated[int, typer.Option(min=0, help="Serial of the first device")] = 1,
    gb_version: Annotated[str, typer.Option(help="2016 or 2022")] = "2016",
    keepalive: _Keepalive = 60.0,
    expires: Annotated[int, typer.Option(min=10, help="Registration lifetime, s")] = 3600,
    codec: Annotated[str, typer.Option(help="h264 or h265")] = "h264",
    bitrate: Annotated[int, typer.Option(min=100, help="Video bitrate, kbit/s")] = 2000,
    size: Annotated[str, typer.Option(help="Picture size WIDTHxHEIGHT")] = "1280x720",
    centre: Annotated[
        str,
        typer.Option(
            metavar="LON,LAT",
            show_default=False,
            help="Centre of the cameras' positions [default: the demo district, 合肥市蜀山区]",
        ),
    ] = "",
    local_host: _LocalHost = "127.0.0.1",
    devices_per_socket: Annotated[
        int, typer.Option(min=0, help=f"UDP devices per socket (0: 50 above {SHARE_ABOVE})")
    ] = 0,
    duration: _Duration = 0,
) -> None:
    """Run COUNT devices of CHANNELS cameras each until Ctrl-C; exit 1 if none registers."""
    from vigil.sim.catalog import DEFAULT_CENTRE
    from vigil.sim.swarm import Swarm, SwarmConfig
    from vigil.sim.video import Codec, VideoSpec

    if not password:
        _fail("--password (or VIGIL_SIP_PASSWORD) is required", 2)
    if transport not in ("udp", "tcp") or gb_version not in ("2016", "2022"):
        raise typer.BadParameter("transport is udp|tcp and gb-version 2016|2022")
    if codec not in ("h264", "h265"):
        raise typer.BadParameter("codec is h264 or h265")
    width, height = _size(size)
    per_socket = devices_per_socket or (50 if count > SHARE_ABOVE else 1)
    try:
        config = SwarmConfig(
            count=count,
            server=_hostport(server),
            password=password,
            channels=channels,
            transport=cast(Literal["udp", "tcp"], transport),
            domain=domain,
            server_id=server_id,
            id_prefix=id_prefix,
            first_serial=first_serial,
            gb_version=cast(Literal["2016", "2022"], gb_version),
            keepalive_interval=keepalive,
            register_expires=expires,
            local_host=local_host,
            centre=_centre(centre) if centre else DEFAULT_CENTRE,
            devices_per_socket=per_socket,
            video=VideoSpec(
                codec=cast(Codec, codec), width=width, height=height, bitrate=bitrate * 1000
            ),
        )
        swarm = Swarm(config)
    except ValueError as exc:
        _fail(str(exc), 2)
    _serve(_run(swarm, duration), f"no device registered to {server}")


def _fail(message: str, code: int) -> NoReturn:
    """Say what went wrong on stderr and exit with ``code`` (2: bad options, 1: no registration)."""
    typer.echo(f"vigil sim: {message}", err=True)
    raise typer.Exit(code) from None


def _serve(main: Coroutine[Any, Any, bool], failure: str) -> None:
    """Run ``main`` on uvloop with logging set up; exit 1 saying ``failure`` if it returns False."""
    import uvloop

    from vigil.logs import setup_logging

    setup_logging()
    if not uvloop.run(main):
        _fail(failure, 1)


def _registration_wait(duration: float) -> float:
    """Seconds to wait for registration: 30, or the whole run when that is shorter."""
    return min(REGISTER_WAIT, duration) if duration else REGISTER_WAIT


def _stop_on_signal() -> asyncio.Event:
    """An event that Ctrl-C or SIGTERM sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _until_stopped(stop: asyncio.Event, duration: float) -> None:
    """Wait for ``stop``, or ``duration`` seconds when that is not 0."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), duration or None)


async def _run(swarm: Swarm, duration: float) -> bool:
    """Run the devices; whether any registered (if none did, they stop at once)."""
    stop = _stop_on_signal()
    try:
        await swarm.start()
        first = swarm.devices[0].device_id
        typer.echo(f"{len(swarm.devices)} devices from {first} started")
        with contextlib.suppress(TimeoutError):
            await swarm.wait_registered(_registration_wait(duration))
        typer.echo(f"{swarm.registered} of {len(swarm.devices)} registered")
        if not swarm.registered:
            return False
        await _until_stopped(stop, duration)
        return True
    finally:
        await swarm.stop()
        typer.echo("devices stopped")


@sim_app.command()
def platform(
    server: Annotated[str, typer.Option(help="Upper platform SIP address HOST:PORT")] = (
        "127.0.0.1:5060"
    ),
    password: Annotated[
        str, typer.Option(envvar="VIGIL_SIP_PASSWORD", help="Digest password of the platform")
    ] = "",
    platform_id: Annotated[str, typer.Option(help="The platform's 20-digit ID (type 200)")] = (
        "34010400002000000001"
    ),
    server_id: Annotated[str, typer.Option(help="Upper platform's 20-digit ID")] = (
        "34020000002000000001"
    ),
    domain: _Domain = "3402000000",
    gb_version: Annotated[str, typer.Option(help="2016 or 2022 (catalog form too)")] = "2016",
    business_groups: Annotated[int, typer.Option(min=0, max=99, help="Business groups")] = 2,
    nvrs: Annotated[int, typer.Option(min=0, max=99, help="NVRs behind the platform")] = 2,
    channels: Annotated[int, typer.Option(min=1, max=999, help="Cameras per NVR")] = 3,
    keepalive: _Keepalive = 60.0,
    local_host: _LocalHost = "127.0.0.1",
    duration: _Duration = 0,
) -> None:
    """Run one lower platform with a catalog tree until Ctrl-C; exit 1 if it does not register."""
    from vigil.sim.config import DeviceConfig, GbVersion
    from vigil.sim.platform import SimPlatform
    from vigil.sim.platform_tree import make_tree

    if not password:
        _fail("--password (or VIGIL_SIP_PASSWORD) is required", 2)
    if gb_version not in ("2016", "2022"):
        raise typer.BadParameter("gb-version is 2016 or 2022")
    try:
        config = DeviceConfig(
            device_id=platform_id,
            server=_hostport(server),
            password=password,
            server_id=server_id,
            domain=domain,
            gb_version=cast(GbVersion, gb_version),
            keepalive_interval=keepalive,
            local_host=local_host,
        )
        tree = make_tree(
            platform_id,
            edition=gb_version,
            business_groups=business_groups,
            devices=nvrs,
            channels_per_device=channels,
        )
        sim = SimPlatform(config, tree)
    except ValueError as exc:
        _fail(str(exc), 2)
    _serve(_run_platform(sim, duration), f"the platform did not register to {server}")


async def _run_platform(sim: SimPlatform, duration: float) -> bool:
    """Run the platform; whether it registered (if not, it stops at once)."""
    stop = _stop_on_signal()
    try:
        await sim.start()
        with contextlib.suppress(TimeoutError):
            await sim.wait_registered(_registration_wait(duration))
        registered = sim.registered.is_set()
        state = "registered" if registered else "not registered"
        typer.echo(f"platform {sim.device_id} {state}: {len(sim.tree.items())} catalog items")
        if not registered:
            return False
        await _until_stopped(stop, duration)
        return True
    finally:
        await sim.stop()
        typer.echo("platform stopped")
