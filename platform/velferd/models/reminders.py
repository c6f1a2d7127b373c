"""The deadline reminders sent by e-mail: one row per user, municipality and day.

The row is what makes the daily reminder idempotent (velferd.reminder_mail): it is written, and
committed, with each e-mail, so a retried or repeated run the same day finds it and sends
nothing again. It keeps the counts the e-mail gave and nothing about any case.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, Timestamped


class ReminderMail(Base, TenantOwned, Timestamped):
    __tablename__ = "reminder_mail"
    __audit_person_link__ = None  # counts only: about no citizen
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    sent_on: Mapped[dt.date]  # the day in the municipality's zone
    overdue: Mapped[int]
    upcoming: Mapped[int]

    __table_args__ = (sa.UniqueConstraint("tenant_id", "user_id", "sent_on"),)
