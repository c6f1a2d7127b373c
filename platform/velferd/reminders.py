"""A user's reminders: the open deadlines of the cases assigned to them that are overdue or due
soon, and whether they want an e-mail about them.

One query decides what counts, for the inbox page (velferd.web.tasks_pages), which lists the
deadlines, and for the daily e-mail (velferd.reminder_mail), which only counts them — so the
page and the e-mail never disagree. A deadline counts while it is not completed and its case
is not closed (a closed case's leftover deadline asks nothing of anyone); *overdue* is a due
date before today in the municipality's zone, *upcoming* one from today to `WINDOW_DAYS` ahead.
Every query runs in the tenant in scope (velferd.tenancy): another municipality's are never seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from velferd.db import db
from velferd.models import Case, Deadline, Membership
from velferd.tenancy import require_tenant

#: how far ahead a deadline is "due soon": two weeks, the span a caseworker plans in
WINDOW_DAYS = 14


@dataclass(frozen=True)
class DueDeadline:
    """One open deadline on the user's list, with what the list shows of its case."""

    deadline: Deadline
    case_id: int
    plugin: str
    overdue: bool


@dataclass(frozen=True)
class DeadlineCounts:
    overdue: int
    upcoming: int

    @property
    def total(self) -> int:
        return self.overdue + self.upcoming


def _open_deadlines_of(user_id: int, today: dt.date) -> sa.Select:
    """The condition shared by the list and the counts (see the module's docstring)."""
    return (sa.select(Deadline).join(Case, Case.id == Deadline.case_id)
            .where(Case.assigned_to_id == user_id, Case.closed_at.is_(None), Deadline.completed_at.is_(None),
                   Deadline.due_on <= today + dt.timedelta(days=WINDOW_DAYS)))


def due_deadlines(user_id: int, today: dt.date) -> list[DueDeadline]:
    """The user's overdue and upcoming deadlines, the earliest first (so overdue ones lead)."""
    stmt = (_open_deadlines_of(user_id, today).add_columns(Case.plugin)
            .order_by(Deadline.due_on, Deadline.case_id, Deadline.id))
    return [DueDeadline(deadline, deadline.case_id, plugin, deadline.due_on < today)
            for deadline, plugin in db.session.execute(stmt).all()]


def deadline_counts(user_id: int, today: dt.date) -> DeadlineCounts:
    """How many of the user's deadlines are overdue and upcoming — counted, no row loaded."""
    listed = _open_deadlines_of(user_id, today).subquery()
    overdue = sa.func.count().filter(listed.c.due_on < today)
    row = db.session.execute(sa.select(overdue, sa.func.count()).select_from(listed)).one()
    return DeadlineCounts(overdue=row[0], upcoming=row[1] - row[0])


def _membership(user_id: int) -> Membership:
    tenant = require_tenant()
    return db.session.scalars(sa.select(Membership).where(Membership.user_id == user_id,
                                                          Membership.tenant_id == tenant.id)).one()


def wants_email(user_id: int) -> bool:
    """Whether the user asked for the daily e-mail in the municipality in scope."""
    return _membership(user_id).email_reminders


def set_wants_email(user_id: int, wanted: bool) -> None:
    """Record the user's choice for the municipality in scope (the caller commits)."""
    _membership(user_id).email_reminders = wanted


def members_wanting_email() -> list[Membership]:
    """The memberships of the municipality in scope whose active users asked for the e-mail."""
    return list(db.session.scalars(sa.select(Membership).where(Membership.email_reminders.is_(True))
                                   .order_by(Membership.user_id)))
