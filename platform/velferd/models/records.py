"""What plugins' forms and rules leave behind: form submissions and reasoned decisions."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, utcnow
from velferd.personal_data import SPECIAL


class FormSubmission(Base, TenantOwned):
    """A validated form as submitted, with the form version it was validated against."""

    __tablename__ = "form_submission"
    __not_personal__ = ("plugin", "form")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(sa.String(40))
    form: Mapped[str] = mapped_column(sa.String(60))
    form_version: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    data: Mapped[dict] = mapped_column(info=SPECIAL)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Decision(Base, TenantOwned):
    """The outcome of a rule with its inputs, version and reasons — or a person's override of one.

    Decisions are never edited: an override is a new decision that names the one it
    supersedes, so the original reasoning stays on record next to the human's reason.
    """

    __tablename__ = "decision"
    __not_personal__ = ("plugin", "rule", "outcome")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(sa.String(40))
    rule: Mapped[str] = mapped_column(sa.String(60))
    rule_version: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    inputs: Mapped[dict] = mapped_column(info=SPECIAL)
    outcome: Mapped[str] = mapped_column(sa.String(60))
    reasons: Mapped[list] = mapped_column(info=SPECIAL)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"))
    override_reason: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
