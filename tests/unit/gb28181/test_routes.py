"""The SIP routing table: what it declares, that it names real code, that dispatch goes by it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from vigil.app import Vigil
from vigil.config import load_settings
from vigil.gb28181.cascade.dispatch import CascadeDispatch
from vigil.gb28181.devices.device_control import RecordSearches
from vigil.gb28181.sip.messages import MessageRouter
from vigil.gb28181.sip.routes import (
    ANSWERS,
    IN_DIALOG,
    ROUTES,
    Bindings,
    UndeclaredRoute,
    bind_all,
    find,
    render,
    resolve,
)
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.protocols.manscdp import Keepalive, Message, MobilePositionNotify
from vigil.store.database import Database

DEVICE_ROWS = {
    ("REGISTER", None),
    ("OPTIONS", None),
    ("MESSAGE", None),
    ("NOTIFY", None),
    ("BYE", None),
    ("MESSAGE", IN_DIALOG),
    ("MESSAGE", "Notify/Keepalive"),
    ("MESSAGE", "Response/Catalog"),
    ("MESSAGE", "Notify/Catalog"),
    ("MESSAGE", "Notify/Alarm"),
    ("MESSAGE", "Notify/MobilePosition"),
    ("MESSAGE", "Response/RecordInfo"),
}
UPPER_ROWS = {
    ("SUBSCRIBE", None),
    ("INVITE", None),
    ("ACK", None),
    ("INFO", None),
    ("BYE", None),
    ("MESSAGE", "Query/Catalog"),
    ("MESSAGE", "Query/DeviceInfo"),
    ("MESSAGE", "Query/DeviceStatus"),
    ("MESSAGE", "Query/RecordInfo"),
    ("MESSAGE", "Control/DeviceControl"),
    ("MESSAGE", ANSWERS),
}


def test_the_table_lists_every_method_and_command() -> None:
    def rows(source: str) -> set[tuple[str, str | None]]:
        return {(r.method, r.command) for r in ROUTES if r.source == source}

    assert rows("device") == DEVICE_ROWS
    assert rows("upper") == UPPER_ROWS
    assert len(ROUTES) == len(DEVICE_ROWS) + len(UPPER_ROWS)  # no row twice
    text = render()
    assert text.splitlines()[0].split() == ["SOURCE", "METHOD", "COMMAND", "HANDLER"]
    assert "Notify/MobilePosition" in text and "service:GbService._register" in text


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.source}-{r.method}-{r.command}")
def test_each_row_names_code_that_exists(route: object) -> None:
    handler = getattr(route, "handler")  # noqa: B009
    module_name, qualname = handler.split(":")
    target: object = importlib.import_module(f"vigil.gb28181.{module_name}")
    for part in qualname.split("."):
        target = getattr(target, part)
    assert callable(target)


def test_an_undeclared_route_cannot_be_bound() -> None:
    bindings: Bindings[str] = Bindings("device")
    with pytest.raises(UndeclaredRoute):
        bindings.bind("INVITE", None, "a device does not INVITE this node")
    with pytest.raises(UndeclaredRoute):
        MessageRouter().route("Notify", "Broadcast", _ignore)
    dispatch = CascadeDispatch(AuditLog(Database("sqlite+aiosqlite://")))
    with pytest.raises(UndeclaredRoute):
        dispatch.on_method("REGISTER", _ignore_upper)
    with pytest.raises(UndeclaredRoute):
        dispatch.on_message("Alarm", _ignore_upper)


def test_bindings_look_up_through_the_table() -> None:
    bindings: Bindings[str] = Bindings("upper")
    bindings.bind("message", "query/catalog", "catalog")
    bindings.bind("BYE", None, "bye")
    assert bindings.get("MESSAGE", "Query/Catalog") == "catalog"
    assert bindings.by_cmd_type("MESSAGE", "CATALOG") == "catalog"
    assert bindings.get("MESSAGE", "Query/DeviceInfo") is None  # declared, not bound
    assert bindings.get("REGISTER") is None  # not declared
    assert bindings.methods() == ["BYE"]
    assert [r.command for r in bindings.bound] == [None, "Query/Catalog"]


async def test_the_router_dispatches_a_declared_command_to_its_handler() -> None:
    seen: list[tuple[str, str]] = []

    async def keepalive(message: Message, device_id: str, peer: Peer) -> None:
        seen.append((type(message).__name__, device_id))

    router = MessageRouter()
    router.route("Notify", "Keepalive", keepalive)
    peer = Peer("udp", "127.0.0.1", 5060)
    await router.dispatch(Keepalive(sn=1, device_id="x"), "34020000001320000001", peer)
    position = MobilePositionNotify(sn=2, device_id="x", longitude=1.0, latitude=2.0)
    await router.dispatch(position, "34020000001320000001", peer)  # declared, not bound here
    assert seen == [("Keepalive", "34020000001320000001")]


async def test_the_wired_node_binds_every_row(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'vigil.db'}",
        admin_password="a-long-admin-password",
    )
    node = Vigil(settings)
    assert sorted(node.gb.routes(), key=ROUTES.index) == list(ROUTES)
    # What each row's handler column names is what dispatch finds for it.
    assert node.cascade.bindings.get("INVITE") == node.cascade_media._invite
    assert node.cascade.bindings.by_cmd_type("MESSAGE", "RecordInfo") == node.cascade_records._query
    assert node.gb.router.bindings.get("MESSAGE", "Response/RecordInfo") == (
        node.controls.searches._part
    )


def test_rows_resolve_only_to_the_objects_given() -> None:
    invite = find("upper", "INVITE")
    acknowledge = find("upper", "MESSAGE", ANSWERS)
    assert invite is not None and acknowledge is not None
    assert resolve(invite, [object()]) is None  # no CascadeMedia given: left unbound
    assert resolve(acknowledge, []) is not None  # a module function needs no object
    methods: Bindings[object] = Bindings("device")
    messages: Bindings[object] = Bindings("device")
    upper: Bindings[object] = Bindings("upper")
    bound = bind_all([RecordSearches()], methods, messages, upper)
    assert [(r.method, r.command) for r in bound] == [
        ("MESSAGE", "Response/RecordInfo"),
        ("MESSAGE", ANSWERS),
    ]
    assert messages.bound == [find("device", "MESSAGE", "Response/RecordInfo")]
    assert methods.bound == [] and upper.methods() == []


async def _ignore(message: Message, device_id: str, peer: Peer) -> None:
    return None


async def _ignore_upper(*_: object) -> None:
    return None
