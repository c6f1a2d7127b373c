"""Job runs: one row per background job, which is at the same time its record and its outbox.

A row is written (``pending``) in the same transaction as the work that asked for it, so a job
exists exactly when that work committed. Publishing to the broker moves it to ``queued``; the
worker moves it through ``running`` to ``succeeded``, or to ``retrying`` / ``failed`` with the
error. A retry from the API is a *new* row pointing at the failed one (``retry_of_id``), so the
failure stays on record.

``message_id`` is the id of the broker message meant to run the job now. A message may be sent
twice (the sweeper re-sends what it could not see sent); only the current one runs it, so a
duplicate is harmless (see `velferd.jobs.runner`).

``heartbeat_at`` is renewed every few seconds by the worker running the job; a running job
whose heartbeat stopped lost its worker, and the sweeper recovers it (`velferd.jobs.recovery`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, Json, TenantOwned, Timestamped

JOB_STATES = ("pending", "queued", "running", "retrying", "succeeded", "failed")
FINISHED_STATES = ("succeeded", "failed")


class JobRun(Base, TenantOwned, Timestamped):
    __tablename__ = "job_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(sa.String(100))
    plugin: Mapped[str | None] = mapped_column(sa.String(40))
    kwargs: Mapped[dict] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    retry_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job_run.id"))
    message_id: Mapped[str | None] = mapped_column(sa.String(64))
    request_id: Mapped[str | None] = mapped_column(sa.String(200))  # who asked: velferd.request_log
    enqueued_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]  # renewed while a worker runs it (velferd.jobs.heartbeat)
    finished_at: Mapped[dt.datetime | None]
    next_attempt_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[Any | None] = mapped_column(Json)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "idempotency_key"),
        sa.CheckConstraint(f"state in {JOB_STATES!r}", name="state"),
        sa.Index("ix_job_run_tenant_id_state", "tenant_id", "state"),
    )

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES
