"""The ``vigil`` command: serve, demo, database, users and audit.

Everything beyond typer is imported inside the command that needs it, so ``vigil --help`` (and a
mistyped command) answers at once instead of after loading the whole platform. Help is plain
text: typer's boxed help shows a ``<bool>`` type beside every flag.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

import typer

from vigil import __version__
from vigil.analytics.cli import analytics_app
from vigil.errors import VigilError
from vigil.governance.export_cli import export_app
from vigil.sim.cli import sim_app

if TYPE_CHECKING:
    from vigil.admin_node import AdminNode
    from vigil.app import Vigil
    from vigil.config import Settings
    from vigil.governance.permissions import Principal
    from vigil.governance.tree_head import SignedTreeHead

app = typer.Typer(
    help="Vigil: networked public-safety video.", no_args_is_help=True, rich_markup_mode=None
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=None)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True, rich_markup_mode=None)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(sim_app, name="sim")
app.add_typer(analytics_app, name="analytics")
app.add_typer(export_app, name="export")

#: The values of :class:`vigil.store.models.Role`, spelled out so help needs no database code.
RoleName = Literal["admin", "operator", "viewer", "auditor"]

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="vigil.toml; VIGIL_* variables override it")
]
T = TypeVar("T")
_config: Path | None = None


def _version(value: bool) -> None:
    if value:
        print(f"vigil {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    config: ConfigOption = None,
    _version_flag: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    global _config
    _config = config
    # Recordings, exports, keys and the database are nobody else's business: every file and
    # directory the command creates is its owner's alone.
    os.umask(0o077)


def _settings() -> Settings:
    from vigil.config import ConfigError, load_settings

    try:
        return load_settings(_config)
    except ConfigError as exc:
        print(f"vigil: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None


def _with_node(action: Callable[[AdminNode], Awaitable[T]]) -> T:
    """Run ``action`` against the existing database (only the admin core of a node is built:
    these commands run beside a server), then stop; service errors become one line."""
    import uvloop

    from vigil.admin_node import AdminNode

    async def run() -> T:
        node = AdminNode(_settings())
        try:
            generated = await node.open()
            if generated:
                print(f"created user admin with password {generated} (shown once)")
            return await action(node)
        finally:
            await node.stop()

    return _one_line(lambda: uvloop.run(run()))


def _one_line(run: Callable[[], T]) -> T:
    """``run()``, with a service error as one ``vigil: …`` line and exit status 1."""
    try:
        return run()
    except VigilError as exc:
        print(f"vigil: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _say(line: str) -> None:
    print(line, flush=True)


def _url(settings: Settings) -> str:
    return f"http://{settings.http_host}:{settings.http_port}/"


@app.command()
def serve() -> None:
    """Run the platform (one serving process per data dir)."""
    from vigil.serving import run_server

    settings = _settings()

    @contextlib.asynccontextmanager
    async def banner(node: Vigil) -> AsyncIterator[list[str]]:
        yield [f"Vigil {__version__} listening on {_url(node.settings)}"]

    _one_line(lambda: run_server(settings, banner, _say))


@app.command()
def demo() -> None:
    """Run the platform with a demo district and its simulated cameras streaming and recording;
    prints the URL and fresh credentials of the admin and of an auditor."""
    from vigil.demo import DemoFleet, demo_accounts, demo_settings, seed_demo
    from vigil.serving import run_server

    settings = demo_settings(_settings())

    @contextlib.asynccontextmanager
    async def fleet(node: Vigil) -> AsyncIterator[list[str]]:
        await seed_demo(node, cameras=False)  # the NVR's cameras come from its catalog
        cameras = DemoFleet(node)
        try:
            await cameras.start()
            (admin, password), (auditor, audit_password) = await demo_accounts(
                node, _cli_principal()
            )
            lines = [
                f"Vigil demo on {_url(node.settings)}",
                f"  log in as: {admin} / {password}",
                f"  audit as: {auditor} / {audit_password}",
            ]
            if cameras.footage_note is not None:
                lines.append(f"  note: {cameras.footage_note}")
            yield lines
        finally:
            await cameras.stop()

    _one_line(lambda: run_server(settings, fleet, _say, announce_admin=False))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or apply pending migrations."""
    import uvloop

    from vigil.admin_node import AdminNode

    settings = _settings()

    async def run() -> None:
        node = AdminNode(settings)
        try:
            await node.create_database()
        finally:
            await node.stop()

    _one_line(lambda: uvloop.run(run()))
    print("database is at the latest schema")


def _cli_principal() -> Principal:
    """The system's powers, audited as ``cli:<the OS user running vigil>``."""
    from vigil.governance.permissions import system_principal

    try:
        who = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password database
        who = "unknown"
    return system_principal(f"cli:{who}")


def _ask_password(prompt: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("again: ") != first:
        print("vigil: passwords differ", file=sys.stderr)
        raise typer.Exit(1)
    return first


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[RoleName, typer.Option(help="What the user may do")],
    org: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CODE",
            help="Organisation the user works in (repeatable). Without one an operator or viewer "
            "sees nothing, an admin or auditor everything.",
        ),
    ] = None,
) -> None:
    """Add a user; the password is read from the terminal or standard input."""
    from vigil.governance.permissions import UNSCOPED_ROLES
    from vigil.store.models import Role

    chosen = Role(role)
    if not org:
        if chosen in UNSCOPED_ROLES:
            sees = "every organisation (an admin or auditor without a scope sees all)"
        else:
            sees = "nothing (an operator or viewer sees only its organisations)"
        print(f"vigil: warning: no --org: {role} {username} will see {sees}", file=sys.stderr)
    password = _ask_password("password: ")
    by = _cli_principal()
    view = _with_node(lambda node: node.users.create(by, username, password, chosen, org or []))
    print(f"added {view.username} ({view.role.value})")


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(metavar="NAME")],
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate a random password and print it")
    ] = False,
) -> None:
    """Set a user's password (and end their sessions and API tokens)."""
    if generate:
        password = _with_node(lambda node: node.users.reset_password(_cli_principal(), username))
        print(f"new password for {username}: {password}")
        return
    password = _ask_password("new password: ")
    _with_node(lambda node: node.users.set_password(_cli_principal(), username, password))
    print(f"password of {username} changed")


@users_app.command("list")
def users_list() -> None:
    """List users with role, scopes and state."""
    for view in _with_node(lambda node: node.users.list_all()):
        state = "disabled" if view.disabled else "locked" if view.locked else "active"
        scopes = ",".join(view.scopes)
        print(f"{view.id:>5}  {view.username:<24} {view.role.value:<9} {state:<8} {scopes}")


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        Path | None,
        typer.Option(
            "--head",
            metavar="FILE",
            help="A tree head's JSON as GET /api/v1/audit/tree-head returned it: check its "
            "signature and that the records' tree of its size still has its root",
        ),
    ] = None,
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            metavar="BASE64",
            help="The raw Ed25519 public key (base64) --head must be signed by; default: this "
            "node's key",
        ),
    ] = None,
) -> None:
    """Check the whole audit chain, the Merkle tree of the records and the signed tree heads;
    exit 1 naming the first record that was tampered with, or the head that no longer holds."""
    from vigil.governance.audit_verify import check_log

    given, key = _given_head(head, public_key)
    check = _with_node(lambda node: check_log(node.tree_heads, given, key))
    result = check.chain
    if result.broken is not None:
        print(f"audit chain BROKEN at record {result.broken.seq}: {result.broken.reason}")
        print(f"{result.checked} records before it are intact")
        raise typer.Exit(1)
    print(f"audit chain intact: {result.checked} records, head {result.head}")
    print(f"merkle tree: {result.tree.size} leaves, root {result.tree.root().hex()}")
    for problem in check.problems:
        print(f"tree head does NOT hold: {problem}")
    if not check.ok:
        raise typer.Exit(1)
    if given is not None:
        print(f"tree head of size {given.size} ({given.timestamp.isoformat()}) holds")


def _given_head(
    file: Path | None, public_key: str | None
) -> tuple[SignedTreeHead | None, bytes | None]:
    """The head in ``file`` and the key given, or exit 2 naming what is wrong with them."""
    import base64
    import binascii
    import json

    from vigil.governance.audit_verify import head_from_json

    try:
        key = base64.b64decode(public_key, validate=True) if public_key is not None else None
        if key is not None and len(key) != 32:
            raise ValueError(f"--public-key is {len(key)} bytes, not 32")
        given = head_from_json(json.loads(file.read_text())) if file is not None else None
    except (OSError, ValueError, binascii.Error) as exc:
        print(f"vigil: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    return given, key


def main() -> None:
    app()


if __name__ == "__main__":
    main()
