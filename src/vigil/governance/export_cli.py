"""``vigil export``: check a signed export package offline, with no node and no database.

``vigil export verify PACKAGE.zip [--public-key FILE]`` checks the signature over
``manifest.json`` and the MP4's SHA-256, prints one line per entry that changed and exits 1, or
prints what it checked and exits 0. ``--public-key`` (32 raw bytes, or base64/hex text) names
the node's key; without it the key the package carries is used, which proves only that nothing
changed since whoever signed it did.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["export_app"]

export_app = typer.Typer(
    help="Signed export packages.", no_args_is_help=True, rich_markup_mode=None
)


@export_app.command("verify")
def verify(
    package: Annotated[Path, typer.Argument(help="The export package (.zip)")],
    public_key: Annotated[
        Path | None,
        typer.Option("--public-key", help="The node's public key: 32 raw bytes, or base64 text"),
    ] = None,
) -> None:
    """Check a package's signature and video; exit 1 naming each entry that changed."""
    from vigil.governance.export_package import read_public_key, verify_package

    trusted = None
    if public_key is not None:
        try:
            trusted = read_public_key(public_key)
        except (OSError, ValueError) as exc:
            typer.echo(f"vigil: {exc}", err=True)
            raise typer.Exit(2) from None
    check = verify_package(package, trusted)
    if not check.ok:
        for problem in check.problems:
            typer.echo(problem)
        typer.echo(f"package {package.name} FAILED verification")
        raise typer.Exit(1)
    assert check.manifest is not None and check.key is not None
    export = check.manifest["export"]
    key = base64.b64encode(check.key).decode()
    typer.echo(f"package intact: {export['file']} ({export['size']} bytes)")
    typer.echo(f"SHA-256 {export['sha256']}, as the signed manifest says")
    whose = "the node's key given" if trusted is not None else "the key in the package"
    typer.echo(f"signature by {key} ({whose})")
