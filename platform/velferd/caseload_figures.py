"""The leader dashboard's figures: how many open cases each staff member holds, and how many
cases have an overdue deadline in each programme.

Each figure is one GROUP BY in SQL over the tenant's cases (scoped by velferd.tenancy like
every query), never cases loaded and counted in Python: a municipality has hundreds of
thousands. Each uses the condition the caseload filters by (`velferd.cases.is_open`,
`is_overdue`), so the number on the dashboard is the number of rows its link lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from velferd.cases import is_open, is_overdue
from velferd.db import db
from velferd.models import Case, Deadline, Membership, User


@dataclass(frozen=True)
class AssigneeLoad:
    """The open cases of one staff member (`user_id` None: assigned to nobody). `name` is None
    for a user who is no longer a member here: a name is only shown to the user's colleagues."""

    user_id: int | None
    name: str | None
    open_cases: int


def open_cases_by_assignee() -> list[AssigneeLoad]:
    """Open cases per assigned user, the unassigned ones first, then by name."""
    # counted first (an index-only scan of the open cases, migration 0011), named after: one
    # join per staff member rather than per case
    counts = (sa.select(Case.assigned_to_id.label("user_id"), sa.func.count().label("open_cases"))
              .where(is_open()).group_by(Case.assigned_to_id).subquery())
    rows = db.session.execute(
        sa.select(counts.c.user_id, User.name, counts.c.open_cases)
        .outerjoin(Membership, Membership.user_id == counts.c.user_id)  # this tenant's: scoped
        .outerjoin(User, User.id == Membership.user_id)
    ).all()
    loads = [AssigneeLoad(user_id, name, n) for user_id, name, n in rows]
    return sorted(loads, key=lambda load: (load.user_id is not None, (load.name or "").casefold(), load.user_id or 0))


def overdue_cases_by_programme(today: dt.date) -> dict[str, int]:
    """Cases with a deadline overdue on `today` (the municipality's day), per programme (plugin id)."""
    rows = db.session.execute(  # from the deadlines, far fewer than the cases: one probe per overdue one
        sa.select(Case.plugin, sa.func.count(sa.distinct(Case.id)))
        .join(Deadline, Deadline.case_id == Case.id).where(is_overdue(today)).group_by(Case.plugin)
    ).all()
    return {plugin: n for plugin, n in rows}
