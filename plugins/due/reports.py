"""Reports to the referring unit: one every fourth month from the start, and a final report after
the end (guideline 2.3.3), as the core's case deadlines; and the daily job that reminds the
coordinator before each is due and flags it once overdue.

The n-th report is due n × 4 calendar months after the start date (counted from the start each
time, so a start on 31 October gives 28 February, 30 June, 31 October). Every report owed is
tracked: the start opens the first deadline, and the daily job opens each later one once the one
before it is past due, filed or not — a case started 1 September with no report filed has three
open deadlines a year later, not one. Filing a periodic report completes the earliest open one
(and opens the next if none is left), unless the measure ends first. The final report is due ``final_report_days`` (30) after the
end (the guideline names no number; a tenant setting).

A report is written against the goals of the plan («Det rapporteres i henhold til målsettingene
i tiltaksplan eventuelt individuelle plan», 2.3.3): it states every goal of the plan in force
when it is filed, with how it stands, and names no goal the plan lacks (`check_goals`). The
filed `Report` keeps those goals, so a later plan with other goals leaves it as it was written;
the placement shows each goal of the plan in force with its latest status (`goal_progress`).

The job (`run_reminders`) is idempotent: a reminder or overdue flag is stored once per deadline
and kind (unique), so a double fire of the scheduler or a retry tells nobody twice. A reminder is
a `Reminder` row addressed to the case's coordinator on that day (their substitute if they are
away) plus an entry in the case journal; the core has no notification channel yet to push it
further (reported to the lead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    CaseEvent,
    Conflict,
    Deadline,
    FormSubmission,
    Tenant,
    ValidationFailed,
    db,
    utcnow,
)

from .calendar import add_months
from .coordination import responsible_on
from .manifest import PLUGIN_ID
from .models import Placement, Reminder, Report
from .workflow import ACTIVE, CLOSED, ENDED, placement_of

REPORT, FINAL_REPORT = "due_report", "due_final_report"
REPORT_MONTHS = 4
WORDS = {REPORT: "the report to the referring unit", FINAL_REPORT: "the final report to the referring unit"}


def deadlines(case_id: int, kind: str | None = None, open_only: bool = False) -> list[Deadline]:
    statement = sa.select(Deadline).where(Deadline.case_id == case_id, Deadline.kind.in_((REPORT, FINAL_REPORT)))
    if kind:
        statement = statement.where(Deadline.kind == kind)
    if open_only:
        statement = statement.where(Deadline.completed_at.is_(None))
    return list(db.session.scalars(statement.order_by(Deadline.due_on, Deadline.id)))


def ensure_next_report_deadline(case: Case, placement: Placement) -> Deadline | None:
    """The next periodic report's deadline, if none is open and the measure runs until then."""
    if placement.start_on is None or deadlines(case.id, REPORT, open_only=True):
        return None
    return _add_next_report_deadline(case, placement)


def ensure_report_deadlines_until(case: Case, placement: Placement, today: dt.date) -> None:
    """Every periodic report owed by `today` has its deadline, and so has the next one ahead."""
    ensure_next_report_deadline(case, placement)
    owed = deadlines(case.id, REPORT)
    while owed and owed[-1].due_on < today and _add_next_report_deadline(case, placement) is not None:
        owed = deadlines(case.id, REPORT)


def _add_next_report_deadline(case: Case, placement: Placement) -> Deadline | None:
    if placement.start_on is None:
        return None
    number = len(deadlines(case.id, REPORT)) + 1
    due_on = add_months(placement.start_on, REPORT_MONTHS * number)
    if placement.end_on is not None and due_on > placement.end_on:
        return None
    deadline = Deadline(case_id=case.id, kind=REPORT, due_on=due_on)
    db.session.add(deadline)
    db.session.flush()
    return deadline


def drop_report_deadlines_after(case_id: int, last_day: dt.date) -> None:
    """Periodic reports that would fall after the end are not owed: the final report replaces them."""
    for deadline in deadlines(case_id, REPORT, open_only=True):
        if deadline.due_on > last_day:
            db.session.delete(deadline)


def add_final_report_deadline(case_id: int, end_on: dt.date, settings: Mapping[str, Any]) -> Deadline:
    existing = deadlines(case_id, FINAL_REPORT)
    if existing:
        return existing[0]
    deadline = Deadline(case_id=case_id, kind=FINAL_REPORT, due_on=end_on + dt.timedelta(days=settings["final_report_days"]))
    db.session.add(deadline)
    return deadline


def check_goals(plan_goals: list[str], reported: list[dict[str, Any]]) -> None:
    """422 unless the report states every goal of the plan once and no goal the plan lacks:
    a goal the plan does not have is named by its place in the report (``goals.<n>``), a goal
    the report leaves out by its words under ``goals``."""
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    for number, entry in enumerate(reported):
        goal = entry["goal"].strip()
        if goal not in plan_goals:
            problems[f"goals.{number}"] = [f"the plan has no goal '{goal}'; its goals are: {'; '.join(plan_goals)}"]
        elif goal in seen:
            problems[f"goals.{number}"] = [f"'{goal}' is reported twice"]
        seen.add(goal)
    missing = [goal for goal in plan_goals if goal not in seen]
    if missing:
        problems["goals"] = [f"the report leaves out the plan's goal '{goal}'" for goal in missing]
    if problems:
        raise ValidationFailed("the report must state every goal of the plan, and only those (guideline 2.3.3)",
                               problems)


def file_report(case: Case | None, submission: FormSubmission) -> Deadline:
    """A report closes its deadline: periodic → the earliest open one (and the next is added);
    final → the final-report deadline, only once the measure has ended. Its goals are checked
    against the plan in force now and kept with it (`Report`)."""
    if case is None:
        raise Conflict("a report belongs to a DUE case: give case_id")
    placement = placement_of(case.id)
    plan_goals = list(placement.plan_goals or []) if placement is not None else []
    check_goals(plan_goals, submission.data["goals"])
    kind = REPORT if submission.data["kind"] == "periodic" else FINAL_REPORT
    if kind == FINAL_REPORT and case.state not in (ENDED, CLOSED):
        raise Conflict(f"case {case.id} is {case.state}; the final report is written after the end")
    if kind == REPORT and case.state not in (*ACTIVE, ENDED):
        raise Conflict(f"case {case.id} is {case.state}; periodic reports are written while the measure runs")
    open_ = deadlines(case.id, kind, open_only=True)
    if not open_:
        raise Conflict(f"no {WORDS[kind]} is due for case {case.id}")
    deadline = open_[0]
    deadline.completed_at = utcnow()
    by_goal = {entry["goal"].strip(): entry for entry in submission.data["goals"]}
    db.session.add(Report(case_id=case.id, submission_id=submission.id, deadline_id=deadline.id,
                          kind=submission.data["kind"], written_on=dt.date.fromisoformat(submission.data["written_on"]),
                          goals=[{"goal": goal, "status": by_goal[goal]["status"], "note": by_goal[goal].get("note")}
                                 for goal in plan_goals]))
    db.session.flush()
    if kind == REPORT and case.state in ACTIVE:
        ensure_next_report_deadline(case, placement)
    return deadline


def reports_of(case_id: int) -> list[Report]:
    """The reports filed on the case, oldest first, each with the goals it was written against."""
    return list(db.session.scalars(sa.select(Report).where(Report.case_id == case_id)
                                   .order_by(Report.written_on, Report.id)))


def goal_progress(case_id: int, plan_goals: list[str]) -> list[dict[str, Any]]:
    """Each goal of the plan in force with its latest reported status (none yet: not reported)."""
    latest: dict[str, dict[str, Any]] = {}
    for report in reports_of(case_id):
        for entry in report.goals:
            latest[entry["goal"]] = {**entry, "reported_on": report.written_on, "report_id": report.id}
    return [latest.get(goal, {"goal": goal, "status": None, "note": None, "reported_on": None, "report_id": None})
            for goal in plan_goals]


def _remind(tenant: Tenant, case_id: int, deadline: Deadline, kind: str, today: dt.date) -> Reminder | None:
    exists = db.session.scalar(sa.select(Reminder.id).where(Reminder.deadline_id == deadline.id, Reminder.kind == kind))
    if exists:
        return None
    recipient = responsible_on(case_id, today)
    days = (deadline.due_on - today).days
    when = f"due on {deadline.due_on.isoformat()}" + (f", in {days} days" if days > 0 else "")
    message = (f"Reminder: {WORDS[deadline.kind]} for case {case_id} is {when}." if kind == "reminder" else
               f"Overdue: {WORDS[deadline.kind]} for case {case_id} was due on {deadline.due_on.isoformat()} "
               f"({-days} days ago).")
    reminder = Reminder(case_id=case_id, deadline_id=deadline.id, kind=kind, due_on=deadline.due_on, on_day=today,
                        recipient_user_id=recipient, message=message)
    db.session.add(reminder)
    db.session.add(CaseEvent(case_id=case_id, kind=f"due_{kind}", text=message, data={"deadline_id": deadline.id}))
    return reminder


def run_reminders(tenant: Tenant, settings: Mapping[str, Any], today: dt.date) -> dict[str, int]:
    """The daily job: make sure each running case has every report deadline owed, then remind
    `report_reminder_days` before each open deadline and flag each one past due."""
    for case in db.session.scalars(sa.select(Case).where(Case.plugin == PLUGIN_ID, Case.state.in_(ACTIVE))):
        placement = placement_of(case.id)
        if placement is not None:
            ensure_report_deadlines_until(case, placement, today)
    sent = {"reminder": 0, "overdue": 0}
    open_deadlines = db.session.scalars(
        sa.select(Deadline).join(Case, Case.id == Deadline.case_id)
        .where(Case.plugin == PLUGIN_ID, Deadline.kind.in_((REPORT, FINAL_REPORT)), Deadline.completed_at.is_(None))
        .order_by(Deadline.due_on, Deadline.id)).all()
    warn = dt.timedelta(days=settings["report_reminder_days"])
    for deadline in open_deadlines:
        if today > deadline.due_on:
            kind = "overdue"
        elif today >= deadline.due_on - warn:
            kind = "reminder"
        else:
            continue
        if _remind(tenant, deadline.case_id, deadline, kind, today) is not None:
            sent[kind] += 1
    db.session.flush()
    return sent


def reminders(case_id: int | None = None) -> list[Reminder]:
    statement = sa.select(Reminder)
    if case_id is not None:
        statement = statement.where(Reminder.case_id == case_id)
    return list(db.session.scalars(statement.order_by(Reminder.on_day, Reminder.id)))
