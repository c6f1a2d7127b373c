"""Rusfaglig Forum, cooperation meetings and leader level as weekly agendas.

A case is queued when Forvaltning moves it to ``queued_forum``, ``queued_cooperation`` or
``escalated_leader`` (the workflow hook calls `queue`); `build_weekly_agendas` puts every queued
case on that week's agenda of its kind; the meeting's outcome is recorded as a core decision of
the rule ``meeting_outcome`` (see `MeetingOutcome`), which marks the item decided.

Jobs: the weekly run is declared as data — the task `TASK_SPEC` (through ``velferd_tasks``) and
`BEAT_ENTRY`, Monday 06:00 in the tenant's zone (Europe/Oslo for Kristiansand). The core's
scheduler fans the entry out to every tenant with nav_split enabled; the same build also runs on
demand through ``POST /api/t/<tenant>/x/nav_split/agendas/build``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import (
    BeatEntry,
    Conflict,
    NotFound,
    Outcome,
    RuleContext,
    Schema,
    TaskContext,
    TaskSpec,
    Tenant,
    ValidationFailed,
    add_or_find,
    db,
    fields,
    get_owned,
    tenant_scope,
    tenant_today,
    validate,
)

from .allocation import COOPERATION, FORUM, LEADER, LIVSMESTRING, NAV
from .authority import FORUM_OUTCOME_RULE, require
from .manifest import FORUM_DECIDE
from .models import Agenda, AgendaItem

KINDS = (FORUM, COOPERATION, LEADER)
MEETING_TITLES = {FORUM: "Rusfaglig Forum", COOPERATION: "The cooperation meeting (samarbeidsmøte)",
                  LEADER: "The leader-level meeting between the units"}
OUTCOMES_BY_KIND = {FORUM: (NAV, LIVSMESTRING, COOPERATION), COOPERATION: (NAV, LIVSMESTRING, LEADER),
                    LEADER: (NAV, LIVSMESTRING)}
UNIT_WORDS = {NAV: "NAV", LIVSMESTRING: "Livsmestring"}

TASK = "nav_split.build_weekly_agendas"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- queue -------------------------------------------------------------------------------------

def open_items(case_id: int) -> list[AgendaItem]:
    return list(db.session.scalars(sa.select(AgendaItem).where(
        AgendaItem.case_id == case_id, AgendaItem.status.in_(("queued", "scheduled"))).order_by(AgendaItem.id)))


def queue(case_id: int, kind: str) -> AgendaItem:
    """Queue the case for the next agenda of `kind`; open items of other kinds are withdrawn."""
    existing = None
    for item in open_items(case_id):
        if item.kind == kind:
            existing = item
        else:
            item.status = "withdrawn"
    if existing is not None:
        return existing
    item = AgendaItem(case_id=case_id, kind=kind, status="queued")
    db.session.add(item)
    db.session.flush()
    return item


def withdraw_open(case_id: int) -> None:
    for item in open_items(case_id):
        item.status = "withdrawn"


# --- the weekly build (the job) ------------------------------------------------------------------

def build_weekly_agendas(tenant: Tenant, week_start: dt.date) -> list[Agenda]:
    """Build the agendas of the week starting on `week_start` (any day of it: its Monday is used):
    one agenda per kind and week, with every case queued for that kind placed on it.

    Idempotent: a second run for the same week creates no second agenda; it only adds cases
    queued since. The caller commits (the route, or the job runner after `build_weekly_agendas_task`)."""
    week_start = monday_of(week_start)
    agendas = []
    with tenant_scope(tenant):
        for kind in KINDS:
            def existing(kind=kind):
                return db.session.scalar(sa.select(Agenda).where(Agenda.kind == kind, Agenda.week_start == week_start))

            agenda = existing() or add_or_find(Agenda(kind=kind, week_start=week_start), existing)
            for item in db.session.scalars(sa.select(AgendaItem).where(
                    AgendaItem.kind == kind, AgendaItem.status == "queued", AgendaItem.agenda_id.is_(None))):
                item.agenda_id, item.status = agenda.id, "scheduled"
            agendas.append(agenda)
        db.session.flush()
    return agendas


def build_weekly_agendas_task(ctx: TaskContext, week_start: str | None = None) -> list[int]:
    """The weekly job (`TASK_SPEC`): the scheduler fans it out to each tenant with nav_split
    enabled and runs it in that tenant's transaction; this week (in the tenant's zone) unless
    `week_start` is given. Returns the agendas' ids (kept as the job's result)."""
    day = dt.date.fromisoformat(week_start) if week_start else tenant_today(ctx.tenant)
    return [agenda.id for agenda in build_weekly_agendas(ctx.tenant, day)]


TASK_SPEC = TaskSpec(TASK, build_weekly_agendas_task, idempotent=True, max_attempts=3, backoff_seconds=300,
                     title="Build the week's agendas (Rusfaglig Forum, cooperation meeting, leader level)")
BEAT_ENTRY = BeatEntry("nav_split-weekly-agendas", TASK, "0 6 * * 1", {})


def waiting(kind: str | None = None) -> list[AgendaItem]:
    """The queue: items queued or scheduled (of `kind` if given), oldest first — the API's
    ``GET queue`` and the queue page."""
    statement = sa.select(AgendaItem).where(AgendaItem.status.in_(("queued", "scheduled")))
    if kind:
        statement = statement.where(AgendaItem.kind == kind)
    return list(db.session.scalars(statement.order_by(AgendaItem.id)))


def listed(week_start: dt.date | None = None) -> list[Agenda]:
    """The agendas (of the week containing `week_start` if given), by week and kind."""
    statement = sa.select(Agenda)
    if week_start:
        statement = statement.where(Agenda.week_start == monday_of(week_start))
    return list(db.session.scalars(statement.order_by(Agenda.week_start, Agenda.id)))


def agenda_of(agenda_id: int) -> Agenda:
    agenda = get_owned(Agenda, agenda_id)
    if agenda is None:
        raise NotFound(f"no agenda {agenda_id}")
    return agenda


def items_of(agenda_id: int) -> list[AgendaItem]:
    return list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.agenda_id == agenda_id)
                                   .order_by(AgendaItem.id)))


# --- the meeting's outcome, as a core decision -----------------------------------------------------

class MeetingOutcome(Schema):
    agenda_item_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    outcome = fields.String(required=True, validate=validate.OneOf((NAV, LIVSMESTRING, COOPERATION, LEADER)))
    summary = fields.String(required=True, validate=validate.Length(min=3, max=5000))


def _scheduled_item(inputs, context: RuleContext) -> AgendaItem:
    item = get_owned(AgendaItem, inputs["agenda_item_id"])
    if item is None:
        raise ValidationFailed("inputs to rule 'meeting_outcome' are invalid: agenda_item_id",
                               {"agenda_item_id": [f"no agenda item {inputs['agenda_item_id']}"]})
    if context.case is None or context.case.id != item.case_id:
        raise ValidationFailed("the outcome must name the case on the agenda item",
                               {"case_id": [f"agenda item {item.id} is for case {item.case_id}"]})
    if item.status != "scheduled":
        raise Conflict(f"agenda item {item.id} is {item.status}, not on an agenda awaiting its outcome")
    if inputs["outcome"] not in OUTCOMES_BY_KIND[item.kind]:
        raise ValidationFailed("inputs to rule 'meeting_outcome' are invalid: outcome",
                               {"outcome": [f"{MEETING_TITLES[item.kind]} decides one of: "
                                            + ", ".join(OUTCOMES_BY_KIND[item.kind])]})
    return item


def evaluate_outcome(inputs, context: RuleContext) -> Outcome:
    """The meeting's conclusion as a decision with reasons (the hook then marks the item decided).
    Rusfaglig Forum's outcome is recorded only by the Forum's own roles (see `authority`)."""
    item = _scheduled_item(inputs, context)
    if item.kind == FORUM:
        require(FORUM_DECIDE, FORUM_OUTCOME_RULE)
    agenda = get_owned(Agenda, item.agenda_id)
    said = f"{MEETING_TITLES[item.kind]} in the week of {agenda.week_start.isoformat()} concluded: {inputs['summary'].strip()}"
    outcome = inputs["outcome"]
    if outcome in UNIT_WORDS:
        then = f"The coordinator is appointed in {UNIT_WORDS[outcome]}."
    elif outcome == LEADER:
        then = "The units did not agree: the case is taken to leader level."
    else:
        then = "The case goes to a cooperation meeting between NAV and Livsmestring."
    return Outcome(outcome, (said, then))


def mark_decided(decision) -> None:
    """From the decision hook: the item on the agenda now has its outcome."""
    item = get_owned(AgendaItem, int(decision.inputs["agenda_item_id"]))
    if item is not None and item.status == "scheduled":
        item.status, item.outcome_decision_id = "decided", decision.id
