"""What a move of the case decides, filed by the transition hook in the same transaction: the
offered start date, the plan from the start meeting and who pays from then, the end date from a
notice (two calendar months on) or a break-off (at once), and the deadlines for the reports.

Also the vedtak: the referring unit's formal decision, recorded before the start meeting. The
unit holding it pays; `PayerPeriod` rows say which unit paid on which day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    Meeting,
    Tenant,
    Unit,
    User,
    ValidationFailed,
    audit,
    db,
    tenant_today,
    utcnow,
)

from . import reports
from .calendar import add_months
from .models import PayerPeriod, Placement, Vedtak
from .referral import REFERRING_KINDS, referring_unit
from .workflow import (
    ACTIVE,
    AWAITING_VEDTAK,
    ENDED,
    NOTICE,
    OFFERED,
    STARTED,
    BreakOffPayload,
    NoticePayload,
    OfferPayload,
    StartMeetingPayload,
    latest_submission,
    latest_vedtak,
    load_payload,
    placement_of,
    plan_goals,
)

NOTICE_MONTHS = 2
#: Child welfare units get an internal invoice (Agresso in Bergen); NAV offices a sales order
#: (Socio), i.e. an external payer. The unit's payer kind must say so before it can hold a vedtak.
PAYER_KIND_OF = {"child_welfare": "internal", "nav_office": "external"}


def after_transition(tenant: Tenant, case: Case, name: str, data: Mapping[str, Any], settings: Mapping[str, Any]) -> None:
    if case.state == OFFERED:
        offer = load_payload(OfferPayload, name, data)
        placement = placement_of(case.id) or Placement(case_id=case.id)
        placement.start_on = offer["start_on"]
        db.session.add(placement)
    elif case.state == STARTED:
        start(tenant, case, load_payload(StartMeetingPayload, name, data))
    elif case.state == NOTICE:
        notice_on = load_payload(NoticePayload, name, data)["notice_on"]
        placement = placement_of(case.id)
        placement.notice_on, placement.end_on = notice_on, add_months(notice_on, NOTICE_MONTHS)
        placement.ended_by = "notice"
        reports.drop_report_deadlines_after(case.id, placement.end_on)
    elif case.state == ENDED:
        placement = placement_of(case.id)
        if name == "break_off":
            broken = load_payload(BreakOffPayload, name, data)
            placement.end_on, placement.ended_by, placement.end_reason = broken["ended_on"], "break_off", \
                broken["reason"]
        close_payer_period(case.id, placement.end_on)
        reports.drop_report_deadlines_after(case.id, placement.end_on)
        reports.add_final_report_deadline(case.id, placement.end_on, settings)
    db.session.flush()


def start(tenant: Tenant, case: Case, data: Mapping[str, Any]) -> Placement:
    """The start meeting: the plan takes the needs from the assessment, then the ones added."""
    placement = placement_of(case.id)
    placement.start_on = data["held_on"] or placement.start_on
    assessment = latest_submission(case.id, "assessment")
    needs = list(assessment.data["needs"]) if assessment else []
    needs += [n for n in data["additional_needs"] if n not in needs]
    group = data["responsibility_group"]
    placement.plan_type, placement.plan_needs = data["plan_type"], needs
    placement.plan_goals = plan_goals(data["goals"])
    placement.group_members, placement.group_frequency, placement.group_place = \
        list(group["members"]), group["frequency"], group["place"]
    placement.tasks = [{**task, "due_on": task["due_on"].isoformat() if task["due_on"] else None}
                       for task in data["tasks"]]
    placement.first_group_meeting_on, placement.started_at = data["first_group_meeting_on"], utcnow()
    minutes = f"{data['plan_type'].replace('_', ' ')}; needs: {'; '.join(needs)}"
    if data["absence_reason"]:
        minutes += f"; not present: {data['absence_reason'].strip()}"
    db.session.add(Meeting(case_id=case.id, kind="start_meeting", held=True, place=group["place"],
                           starts_at=dt.datetime.combine(placement.start_on, dt.time(9), ZoneInfo(tenant.time_zone)),
                           minutes=minutes, participants=list(data["participants"])))
    vedtak = latest_vedtak(case.id)
    db.session.add(PayerPeriod(case_id=case.id, unit_id=vedtak.unit_id, starts_on=placement.start_on, reason="vedtak"))
    case.referring_unit_id = vedtak.unit_id
    db.session.flush()
    reports.ensure_next_report_deadline(case, placement)
    return placement


def start_meeting_participants(case_id: int) -> list[dict]:
    """Who took part in the case's start meeting (empty before it, or if not recorded)."""
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.case_id == case_id, Meeting.kind == "start_meeting")
                                .order_by(Meeting.id.desc()).limit(1))
    return list(meeting.participants or []) if meeting is not None else []


def revise_plan_goals(case: Case, goals: list[str]) -> Placement:
    """A new plan's goals replace the old while the measure runs; reports filed from now on are
    written against these, those filed before keep the goals they were written against."""
    if case.state not in ACTIVE:
        raise Conflict(f"case {case.id} is {case.state}; the plan's goals are revised while the measure runs")
    placement = placement_of(case.id)
    before = list(placement.plan_goals or [])
    placement.plan_goals = plan_goals(goals)
    db.session.flush()
    audit.record("due.plan_goals_revised", "due_placement", placement.id, person_id=case.person_id,
                 details={"goals_before": len(before), "goals_after": len(placement.plan_goals)})
    return placement


# --- the vedtak and who pays ---------------------------------------------------------------------

def payer_unit(unit_id: int | None, field: str) -> Unit:
    unit = referring_unit(unit_id, field)
    expected = PAYER_KIND_OF.get(unit.kind)
    if expected is not None and unit.payer_kind != expected:
        channel = "an internal invoice" if expected == "internal" else "a sales order"
        raise ValidationFailed(f"{unit.name} is not set up to pay for DUE", {field: [
            f"a {unit.kind} unit receives {channel}: set its payer_kind to '{expected}' first "
            f"(it is {unit.payer_kind or 'not set'})"]})
    return unit


def record_vedtak(tenant: Tenant, case: Case, data: Mapping[str, Any], actor: User | None) -> Vedtak:
    if case.state not in (OFFERED, AWAITING_VEDTAK):
        raise Conflict(f"case {case.id} is {case.state}; a vedtak is recorded after the offer, before the start "
                       "meeting")
    unit = payer_unit(data.get("unit_id") or case.referring_unit_id, "unit_id")
    if unit.id != case.referring_unit_id:
        raise ValidationFailed("the vedtak must come from the referring unit (innsøkende instans) of the case",
                               {"unit_id": [f"{unit.name} did not refer case {case.id}; guideline 4.2: «Før "
                                            "oppstartsmøte skal det foreligge vedtak på DUE fra innsøkende instans»"]})
    if data["decided_on"] > tenant_today(tenant):
        raise ValidationFailed("the vedtak is dated in the future", {"decided_on": ["must not be after today"]})
    start_on = placement_of(case.id).start_on
    valid_from, valid_to = data.get("valid_from") or start_on, data.get("valid_to")
    if valid_from > start_on:
        raise ValidationFailed("the vedtak does not cover the start of the measure",
                               {"valid_from": [f"must be on or before the start date {start_on.isoformat()}"]})
    if valid_to is not None and valid_to < start_on:
        raise ValidationFailed("the vedtak ends before the measure starts",
                               {"valid_to": [f"must be on or after the start date {start_on.isoformat()}"]})
    vedtak = Vedtak(case_id=case.id, unit_id=unit.id, decided_on=data["decided_on"], reference=data["reference"],
                    valid_from=valid_from, valid_to=valid_to, recorded_by_id=actor.id if actor else None)
    db.session.add(vedtak)
    db.session.flush()
    audit.record("due.vedtak_recorded", "due_vedtak", vedtak.id, person_id=case.person_id,
                 details={"unit_id": unit.id, "decided_on": vedtak.decided_on.isoformat()})
    return vedtak


def vedtak_of(case_id: int) -> list[Vedtak]:
    """Every vedtak recorded on the case, oldest first (a later one replaces an earlier)."""
    return list(db.session.scalars(sa.select(Vedtak).where(Vedtak.case_id == case_id).order_by(Vedtak.id)))


def payer_periods(case_id: int) -> list[PayerPeriod]:
    return list(db.session.scalars(sa.select(PayerPeriod).where(PayerPeriod.case_id == case_id)
                                   .order_by(PayerPeriod.starts_on, PayerPeriod.id)))


def current_payer(case_id: int) -> PayerPeriod | None:
    periods = [p for p in payer_periods(case_id) if p.ends_on is None]
    return periods[-1] if periods else None


def switch_payer(case: Case, unit_id: int, from_day: dt.date) -> PayerPeriod:
    """From `from_day` on, `unit_id` pays; the current payer's period ends the day before."""
    current = current_payer(case.id)
    if current is None:
        raise Conflict(f"case {case.id} has no payer to transfer from")
    if from_day <= current.starts_on:
        raise ValidationFailed("the transfer takes effect before the current payer's period began",
                               {"effective_on": [f"must be after {current.starts_on.isoformat()}"]})
    placement = placement_of(case.id)
    if placement.end_on is not None and from_day > placement.end_on:
        raise ValidationFailed("the transfer takes effect after the measure ends",
                               {"effective_on": [f"the measure ends on {placement.end_on.isoformat()}"]})
    current.ends_on = from_day - dt.timedelta(days=1)
    period = PayerPeriod(case_id=case.id, unit_id=unit_id, starts_on=from_day, reason="transfer")
    db.session.add(period)
    case.referring_unit_id = unit_id
    db.session.flush()
    return period


def close_payer_period(case_id: int, last_day: dt.date) -> None:
    current = current_payer(case_id)
    if current is not None:
        current.ends_on = last_day


__all__ = ["REFERRING_KINDS", "after_transition", "record_vedtak", "switch_payer", "payer_periods"]
