"""Jobs that make one video file (exports of recordings, downloads from devices).

:class:`VideoJobs` keeps the jobs in memory by id (a restart forgets the list; the files stay),
audits each as ``video.export`` when it starts, runs it as a named task it owns and cancels on
stop, finds a job only for a caller with ``video:export`` and the job's channel in scope, and
hands out a finished job's file with a ``video.download`` audit record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from vigil.catalog.channels import ChannelService
from vigil.errors import Conflict, missing
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.governance.permissions import Permission, Principal

__all__ = ["VideoJob", "VideoJobs"]


class VideoJob(Protocol):
    """What a job must carry: ``file`` (a name under ``directory``) is set once it is done."""

    id: str
    channel_id: str
    start: datetime
    end: datetime
    purpose: str
    state: str  # running | done | failed
    directory: Path
    file: str | None


J = TypeVar("J", bound=VideoJob)


class VideoJobs(Generic[J]):
    """One kind of job (``kind`` names it in errors and audit resources: ``export``…)."""

    def __init__(self, channels: ChannelService, audit: AuditLog, kind: str) -> None:
        self._channels = channels
        self._audit = audit
        self.kind = kind
        self._jobs: dict[str, J] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(
        self,
        caller: Caller,
        job: J,
        work: Coroutine[Any, Any, None],
        name: str,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Audit ``video.export`` (range, purpose, job and ``detail``), keep ``job`` and run
        ``work`` as the task ``name``."""
        try:
            await note(
                self._audit,
                caller,
                "video.export",
                f"channel:{job.channel_id}",
                channel_id=job.channel_id,
                detail={
                    **(detail or {}),
                    "start": job.start.isoformat(),
                    "end": job.end.isoformat(),
                    "purpose": job.purpose,
                    "job": job.id,
                },
            )
        except BaseException:
            work.close()
            raise
        self._jobs[job.id] = job
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def get(self, principal: Principal, job_id: str) -> J:
        principal.require(Permission.video_export)
        job = self._jobs.get(job_id)
        if job is None:
            raise missing(self.kind, job_id)
        await self._channels.get(principal, job.channel_id)
        return job

    async def file(
        self,
        caller: Caller,
        job_id: str,
        detail: Mapping[str, object] | None = None,
        suffix: str | None = None,
    ) -> Path:
        """The file of a finished job (or its sibling with ``suffix``: ``.zip``, the package);
        audited as ``video.download`` (with ``detail``)."""
        job = await self.get(caller.principal, job_id)
        if job.state != "done" or job.file is None:
            raise Conflict(
                f"{self.kind} {job_id} is {job.state}", code="job.state", id=job_id, state=job.state
            )
        name = job.file if suffix is None else Path(job.file).with_suffix(suffix).name
        await note(
            self._audit,
            caller,
            "video.download",
            f"{self.kind.replace(' ', '-')}:{job_id}",
            channel_id=job.channel_id,
            detail={**(detail or {}), "job": job_id, "file": name},
        )
        return job.directory / name

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
