"""The plugin's routes, mounted by the core at /api/t/<tenant>/x/due (404 for a tenant that has
not enabled it). A flask-smorest Blueprint, so every route is in /api/openapi.json. Case moves,
forms, rules and meetings are the core's routes; these are what DUE adds around them."""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import (
    Blueprint,
    Case,
    NotFound,
    audit,
    current_tenant,
    current_user,
    db,
    get_owned,
    parse_period,
    requires,
    settings_for,
    tenant_today,
)

from . import coordination, extras, invoicing, placement, prices, reports, transfers
from .manifest import (
    CASE_READ,
    COORDINATE,
    EXTRA_APPROVE,
    FOLLOW_UP,
    INTAKE,
    PLUGIN_ID,
    PRICES_MANAGE,
    PRICES_READ,
    REMINDERS_READ,
    REMINDERS_RUN,
    TRANSFER,
    TRANSFER_DECIDE,
    WAITLIST_READ,
)
from .overview import placement_overview
from .schemas import (
    AbsenceCreateSchema,
    AbsenceSchema,
    AssignmentCreateSchema,
    AssignmentSchema,
    DayQuery,
    DeflatorEntrySchema,
    DeflatorSchema,
    ExtraCreateSchema,
    ExtraSchema,
    FlagSchema,
    LinePreviewSchema,
    PeriodQuery,
    PlacementSchema,
    PlanGoalsSchema,
    PlanSchema,
    PriceRowSchema,
    PriceTableQuery,
    ReminderQuery,
    ReminderSchema,
    ReportSchema,
    RunResultSchema,
    RunSchema,
    TransferCreateSchema,
    TransferDecisionSchema,
    TransferSchema,
    VedtakCreateSchema,
    VedtakSchema,
    WaitingListSchema,
)
from .waitlist import waiting_list_overview

blp = Blueprint("due_api", __name__, description="Bergen: Der Ungdommen Er — waiting list, coordinators, "
                                                 "transfers, prices")


def _settings() -> dict:
    return settings_for(current_tenant(), PLUGIN_ID)


def _case(case_id: int) -> Case:
    case = get_owned(Case, case_id)
    if case is None or case.plugin != PLUGIN_ID:
        raise NotFound(f"no DUE case {case_id}")
    return case


def _today() -> dt.date:
    return tenant_today(current_tenant())


# --- waiting list and the case overview ----------------------------------------------------------

@blp.get("/waiting-list")
@requires(WAITLIST_READ)
@blp.response(200, WaitingListSchema)
def read_waiting_list():
    """Eligible referrals waiting for a place, best first, each with the arithmetic of its priority."""
    overview = waiting_list_overview(_settings(), _today())
    db.session.commit()
    return overview


@blp.get("/cases/<int:case_id>/placement")
@requires(CASE_READ)
@blp.response(200, PlacementSchema)
def read_placement(case_id):
    """The youth's project: dates, plan, responsibility group, payers, coordinator, report deadlines."""
    case = _case(case_id)
    overview = placement_overview(case, _today())
    audit.record("case.read", "case", case.id, person_id=case.person_id, details={"view": "due.placement"})
    db.session.commit()
    return overview


@blp.put("/cases/<int:case_id>/plan-goals")
@requires(FOLLOW_UP)
@blp.arguments(PlanGoalsSchema)
@blp.response(200, PlanSchema)
def revise_plan_goals(data, case_id):
    """A new plan's goals: the reports filed from now on are written against them; earlier
    reports keep the goals they were written against."""
    case = _case(case_id)
    found = placement.revise_plan_goals(case, data["goals"])
    db.session.commit()
    return {"case_id": case.id, "plan_goals": found.plan_goals,
            "goals": reports.goal_progress(case.id, found.plan_goals)}


@blp.get("/cases/<int:case_id>/reports")
@requires(CASE_READ)
@blp.response(200, ReportSchema(many=True))
def list_reports(case_id):
    """The reports to the referring unit filed on the case, oldest first, each with every goal of
    the plan it was written against and how that goal stood."""
    return reports.reports_of(_case(case_id).id)


@blp.post("/cases/<int:case_id>/vedtak")
@requires(INTAKE)
@blp.arguments(VedtakCreateSchema)
@blp.response(201, VedtakSchema)
def record_vedtak(data, case_id):
    """Record the referring unit's vedtak on DUE (needed before the start meeting); the unit pays."""
    vedtak = placement.record_vedtak(current_tenant(), _case(case_id), data, current_user())
    db.session.commit()
    return vedtak


@blp.get("/cases/<int:case_id>/vedtak")
@requires(CASE_READ)
@blp.response(200, VedtakSchema(many=True))
def list_vedtak(case_id):
    """The vedtak recorded on the case, oldest first: unit, date, reference and the period granted."""
    return placement.vedtak_of(_case(case_id).id)


# --- coordinators and absences ------------------------------------------------------------------------

@blp.put("/cases/<int:case_id>/coordinator")
@requires(COORDINATE)
@blp.arguments(AssignmentCreateSchema)
@blp.response(200, AssignmentSchema)
def assign_coordinator(data, case_id):
    """Assign the coordinator: weekly hours (8 by default), reachable weekdays 08:00–20:00 by default."""
    assignment = coordination.assign(_case(case_id), data, current_user())
    db.session.commit()
    return assignment


@blp.post("/absences")
@requires(COORDINATE)
@blp.arguments(AbsenceCreateSchema)
@blp.response(201, AbsenceSchema)
def record_absence(data):
    """A coordinator's sickness, holiday or other absence, with the substitute who stands in."""
    absence = coordination.record_absence(data, current_user())
    db.session.commit()
    return absence


@blp.get("/absences")
@requires(COORDINATE)
@blp.response(200, AbsenceSchema(many=True))
def list_absences():
    """Coordinators' absences (sickness, holiday) and who stands in."""
    return coordination.absences()


@blp.get("/coordination-flags")
@requires(COORDINATE)
@blp.arguments(DayQuery, location="query")
@blp.response(200, FlagSchema(many=True))
def read_flags(query):
    """Running cases with no coordinator that day, or whose coordinator is away with no substitute."""
    return coordination.flags(query["on"] or _today())


# --- transfers and extra resources --------------------------------------------------------------------

@blp.post("/cases/<int:case_id>/transfers")
@requires(TRANSFER)
@blp.arguments(TransferCreateSchema)
@blp.response(201, TransferSchema)
def request_transfer(data, case_id):
    """Transfer to another referring unit after a held transfer meeting; on disagreement it is on
    hold until a leader decides, and the current unit keeps paying."""
    transfer = transfers.request_transfer(current_tenant(), _case(case_id), data, current_user())
    db.session.commit()
    return transfer


@blp.get("/transfers/<int:transfer_id>")
@requires(CASE_READ)
@blp.response(200, TransferSchema)
def read_transfer(transfer_id):
    """One transfer of the measure to another referring unit (and its payer), with its state."""
    return transfers.transfer_of(transfer_id)


@blp.post("/transfers/<int:transfer_id>/decision")
@requires(TRANSFER_DECIDE)
@blp.arguments(TransferDecisionSchema)
@blp.response(200, TransferSchema)
def decide_transfer(data, transfer_id):
    """A leader settles a disputed transfer."""
    transfer = transfers.decide(transfers.transfer_of(transfer_id), data, current_user())
    db.session.commit()
    return transfer


@blp.post("/cases/<int:case_id>/extra-resources")
@requires(EXTRA_APPROVE)
@blp.arguments(ExtraCreateSchema)
@blp.response(201, ExtraSchema)
def approve_extra(data, case_id):
    """Extra resources approved by a leader in advance, billed monthly on their own lines."""
    extra = extras.approve(current_tenant(), _case(case_id), data, current_user())
    db.session.commit()
    return extra


@blp.get("/cases/<int:case_id>/extra-resources")
@requires(CASE_READ)
@blp.response(200, ExtraSchema(many=True))
def list_extras(case_id):
    """The extra resources granted on a case."""
    return extras.extras_of(_case(case_id).id)


# --- prices -------------------------------------------------------------------------------------------

@blp.get("/price-table")
@requires(PRICES_READ)
@blp.arguments(PriceTableQuery, location="query")
@blp.response(200, PriceRowSchema(many=True))
def read_price_table(query):
    """Each year's monthly price, the deflator applied on its 1 January, its source, who entered it
    and when — or why the price is unknown."""
    return prices.price_table(_settings(), query["until"] or _today().year)


@blp.put("/deflators/<int:year>")
@requires(PRICES_MANAGE)
@blp.arguments(DeflatorEntrySchema)
@blp.response(200, DeflatorSchema)
def enter_deflator(data, year):
    """Enter or correct one year's municipal deflator (percent), naming its source."""
    if not 2000 <= year <= 2100:
        raise NotFound(f"no price year {year}")
    row = prices.enter_deflator(year, data["percent"], data["source"], current_user())
    db.session.commit()
    return row


@blp.post("/deflators/published")
@requires(PRICES_MANAGE)
@blp.response(200, DeflatorSchema(many=True))
def load_published_deflators():
    """Load the published figures (with their sources) for the years not yet in the table."""
    rows = prices.load_published(current_user())
    db.session.commit()
    return rows


@blp.get("/invoice-lines")
@requires(PRICES_READ)
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, LinePreviewSchema(many=True))
def preview_invoice_lines(query):
    """The lines DUE would give the invoice run for a month (YYYY-MM): a preview, nothing is billed."""
    period = parse_period(query["period"])
    return invoicing.lines_for(_settings(), period.start, period.end)


# --- reminders -----------------------------------------------------------------------------------------

@blp.get("/reminders")
@requires(REMINDERS_READ)
@blp.arguments(ReminderQuery, location="query")
@blp.response(200, ReminderSchema(many=True))
def list_reminders(query):
    """Reminders before report deadlines and overdue flags, oldest first."""
    if query["case_id"] is not None:
        _case(query["case_id"])
    return reports.reminders(query["case_id"])


@blp.post("/reminders/run")
@requires(REMINDERS_RUN)
@blp.arguments(RunSchema)
@blp.response(200, RunResultSchema)
def run_reminders(data):
    """Run the daily reminder job now (the scheduler runs it every morning); idempotent."""
    day = data["on"] or _today()
    sent = reports.run_reminders(current_tenant(), _settings(), day)
    db.session.commit()
    return {"on": day, **sent}


__all__ = ["blp"]
