"""The filing registry (备案): what each channel and system must record, and which lack it."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.catalog.channels import channels_under
from vigil.catalog.organisations import OrganisationService
from vigil.coverage.system_filing import FILING_FIELDS, SystemRecord, systems_under
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database

__all__ = ["FILING_FIELDS", "FilingReport", "FilingService", "FlaggedChannel", "missing_filing"]


def missing_filing(channel: object) -> list[str]:
    """The filing fields a channel (row or schema) leaves empty; blank counts as empty."""
    return [name for name in FILING_FIELDS if not (getattr(channel, name) or "").strip()]


@dataclass(frozen=True, slots=True)
class FlaggedChannel:
    """A channel whose filing lacks fields, with the fields it lacks."""

    id: str
    name: str
    organisation_id: str | None
    missing: list[str]


@dataclass(frozen=True, slots=True)
class FilingReport:
    """What an organisation's filing lacks: its flagged channels and systems."""

    organisation_id: str
    channels: int
    flagged: list[FlaggedChannel]
    systems: int  # devices under the organisation, and platforms for an unscoped caller
    flagged_systems: list[SystemRecord]


class FilingService:
    """Reports which channels and systems under an organisation have incomplete filing."""

    def __init__(self, db: Database, organisations: OrganisationService) -> None:
        self._db = db
        self._organisations = organisations

    async def report(self, principal: Principal, org_id: str) -> FilingReport:
        """Every channel and system under the organisation whose filing is incomplete, by id."""
        principal.require(Permission.catalog_read)
        org = await self._organisations.get(principal, org_id)
        async with self._db.session() as session:
            channels = await channels_under(session, org.path)
            systems = await systems_under(session, principal, org.path)
        flagged = [
            FlaggedChannel(c.id, c.name, c.organisation_id, missing)
            for c in channels
            if (missing := missing_filing(c))
        ]
        unfiled = [s for s in systems if s.missing]
        return FilingReport(org_id, len(channels), flagged, len(systems), unfiled)
