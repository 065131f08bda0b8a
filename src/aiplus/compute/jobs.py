"""Jobs: long work with persisted status, progress, logs and cancellation.

A job kind is a plain function ``f(ctx, params) -> dict`` registered by name. The service
stores each job in the database before a backend runs it, so status survives restarts and
any process (web, CLI, a Ray worker) reads the same truth. Cancellation is cooperative on
every backend: a queued job is marked cancelled at once and skipped when a worker reaches it;
a running one stops at its next :meth:`JobContext.progress` call, which raises
:class:`JobCancelled`, so no job is killed half-way through a write.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from aiplus.core import audit
from aiplus.core.db import Base, Database, utcnow
from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.core.settings import Settings
from aiplus.core.storage import FileStore

log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value, index=True)
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    actor: Mapped[str] = mapped_column(String(100))
    org: Mapped[str | None] = mapped_column(String(63), default=None)
    backend: Mapped[str] = mapped_column(String(20))
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def state(self) -> JobStatus:
        return JobStatus(self.status)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "params": self.params,
            "status": self.status,
            "progress": round(self.progress, 1),
            "message": self.message,
            "result": self.result,
            "error": self.error,
            "actor": self.actor,
            "org": self.org,
            "backend": self.backend,
            "cancel_requested": self.cancel_requested,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class JobLog(Base):
    __tablename__ = "job_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    level: Mapped[str] = mapped_column(String(10), default="info")
    message: Mapped[str] = mapped_column(Text)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "at": self.at.isoformat(), "level": self.level,
                "message": self.message}


class JobCancelled(Exception):
    """Raised inside a job function when someone asked for the job to stop."""


class JobContext:
    """What a running job function may do: report progress, write logs, use files."""

    def __init__(self, db: Database, settings: Settings, job_id: str) -> None:
        self.db = db
        self.settings = settings
        self.job_id = job_id
        self.files = FileStore(settings.files_dir)

    def progress(self, percent: float, message: str = "") -> None:
        """Save progress (0-100) and stop here if cancellation was requested.

        ``message`` is an English source string marked with ``N_``; pages translate it.
        """
        with self.db.transaction() as session:
            job = session.get(Job, self.job_id)
            assert job is not None
            if job.cancel_requested:
                raise JobCancelled
            job.progress = max(0.0, min(100.0, float(percent)))
            job.message = message[:500]

    def log(self, message: str, level: str = "info") -> None:
        with self.db.transaction() as session:
            session.add(JobLog(job_id=self.job_id, level=level, message=message))


JobFunction = Callable[[JobContext, dict[str, Any]], "dict[str, Any] | None"]


@dataclass(frozen=True)
class JobKind:
    """A named kind of job: the function that does the work and who may start it."""

    name: str
    function: JobFunction
    title_en: str
    title_zh: str
    roles: tuple[Role, ...] = (Role.OFFICER,)

    def title(self, locale: str) -> str:
        return self.title_zh if locale == "zh-Hant" else self.title_en


def execute(db: Database, settings: Settings, job_id: str, function: JobFunction) -> str:
    """Run one job to its end and persist the outcome; used by every backend."""
    with db.transaction() as session:
        job = session.get(Job, job_id)
        if job is None or job.state is not JobStatus.QUEUED:
            return job.status if job else "missing"
        if job.cancel_requested:
            _finish(session, job, JobStatus.CANCELLED)
            return job.status
        job.status = JobStatus.RUNNING.value
        job.started_at = utcnow()
        params = dict(job.params)
    context = JobContext(db, settings, job_id)
    outcome, result, error = JobStatus.SUCCEEDED, None, None
    try:
        result = function(context, params) or {}
    except JobCancelled:
        outcome = JobStatus.CANCELLED
    except Exception as exc:  # a job's failure is recorded, never raised into the worker
        outcome, error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"
        log.exception("job failed", extra={"job_id": job_id})
        context.log(traceback.format_exc(), level="error")
    with db.transaction() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.result = result
        job.error = error
        if outcome is JobStatus.SUCCEEDED:
            job.progress = 100.0
        _finish(session, job, outcome)
        return job.status


def _finish(session: Session, job: Job, outcome: JobStatus) -> None:
    job.status = outcome.value
    job.finished_at = utcnow()
    audit.record(
        session, actor=job.actor, org=job.org, action=f"job.{outcome.value}",
        target=f"job:{job.id}", detail={"kind": job.kind, "error": job.error},
    )


class Backend(Protocol):
    name: str

    def submit(self, job_id: str, function: JobFunction) -> None: ...

    def shutdown(self) -> None: ...


class JobService:
    """Submit, follow and cancel jobs; the one entry point for API, web and CLI."""

    def __init__(self, db: Database, backend: Backend, kinds: Iterable[JobKind] = ()) -> None:
        self.db = db
        self.backend = backend
        self.kinds: dict[str, JobKind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: JobKind) -> None:
        if kind.name in self.kinds:
            raise ValueError(f"job kind {kind.name!r} registered twice")
        self.kinds[kind.name] = kind

    def kind(self, name: str) -> JobKind:
        try:
            return self.kinds[name]
        except KeyError:
            raise NotFound(N_("There is no job kind called {name}."), name=name) from None

    def submit(
        self, principal: Principal, kind_name: str, params: dict[str, Any] | None = None,
        org: str | None = None,
    ) -> Job:
        kind = self.kind(kind_name)
        if org is None and principal.roles:
            org = next(iter(principal.roles))
        if not principal.authenticated or not (
            principal.platform_admin or (org and principal.has_role(org, *kind.roles))
        ):
            raise Forbidden(N_("You may not start this kind of job."))
        if params is not None and not isinstance(params, dict):
            raise ValidationFailed(N_("Job parameters must be a JSON object."))
        with self.db.transaction() as session:
            job = Job(
                id=uuid.uuid4().hex, kind=kind.name, params=params or {}, actor=principal.actor,
                org=org, backend=self.backend.name,
            )
            session.add(job)
            session.flush()
            audit.record(session, actor=principal.actor, org=org, action="job.submit",
                         target=f"job:{job.id}", detail={"kind": kind.name})
        self.backend.submit(job.id, kind.function)
        return job

    def _visible(self, principal: Principal, job: Job) -> bool:
        return principal.platform_admin or job.actor == principal.username or bool(
            job.org and principal.has_role(job.org, Role.ADMIN)
        )

    def get(self, principal: Principal, job_id: str) -> Job:
        with self.db.read() as session:
            job = session.get(Job, job_id)
        if job is None or not self._visible(principal, job):
            raise NotFound(N_("There is no job {job_id}."), job_id=job_id)
        return job

    def list(self, principal: Principal, limit: int = 50) -> list[Job]:
        with self.db.read() as session:
            query = select(Job).order_by(Job.created_at.desc()).limit(min(limit, 500))
            if not principal.platform_admin:
                admin_orgs = [o for o, r in principal.roles.items() if r == Role.ADMIN]
                query = query.where((Job.actor == principal.actor) | Job.org.in_(admin_orgs))
            return list(session.scalars(query))

    def logs(self, principal: Principal, job_id: str, after: int = 0) -> list[JobLog]:
        self.get(principal, job_id)
        with self.db.read() as session:
            return list(session.scalars(
                select(JobLog).where(JobLog.job_id == job_id, JobLog.id > after)
                .order_by(JobLog.id).limit(1000)
            ))

    def cancel(self, principal: Principal, job_id: str) -> Job:
        self.get(principal, job_id)
        with self.db.transaction() as session:
            job = session.get(Job, job_id)
            assert job is not None
            if not job.state.finished:
                job.cancel_requested = True
                if job.state is JobStatus.QUEUED:
                    _finish(session, job, JobStatus.CANCELLED)
                audit.record(session, actor=principal.actor, org=job.org, action="job.cancel",
                             target=f"job:{job.id}")
        return self.get(principal, job_id)
