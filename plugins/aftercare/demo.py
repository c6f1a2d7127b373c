"""Alta's demo: the aftercare housing at work on the day the demo is seeded (issue item 9: "a demo
seed for Alta (the building, a few residents on different steps, a week's rota, the 2009 budget)").

What a visitor finds, every date counted back from the tenant's today (`tenant_today`):

- the building of the plan ("totalt 7 leiligheter [...] 6 enkle boenheter og en
  familieleilighet. Finnmarkskollektivet skal disponere en leilighet"), the 2009 budget of 7.0
  Budsjett (2 000 000 of costs and of financing), NAV's published G table and Alta's ladder;
- the rota: the plan's pattern ("Bemanning 5 ukedager med dag- og aftenvakt. Lørdag/søndag 1 vakt
  fra 14.00-22-00. Natt dekkes ved hjemmevakter"), the housing's two demo staff on every shift of
  this week — and of the days the daily job looks ahead at, so what it flags is the one shift
  left open on purpose: this week's Sunday shift;
- the phases of a stay, one person in each: an application from treatment, an assessment with
  the person's consent ("Brukeren må selv ønske å delta i prosjektet"), one accepted and awaiting
  intake with a flat reserved, three residents on steps 2, 3 and 4 of the staircase (moved up by
  the rule `step_change` and the staff's decision with each step's special contract; one of them
  moved down again for a breach: "Dersom den bustadslause bryt ein regel eller avtale [...] må
  vedkommande ned eit eller fleire steg i trappa"), and one who moved out to a home of their own
  in Alta ("utskrivelse til hjemkommune eller til egen bolig i Alta kommune");
- the resident on step 4 near the two years' limit ("inntil to år"), so the daily job, run at the
  end, raises the limit's first warning; the newest resident with an individual plan (one contact
  person, goals, NAV and the Red Cross as partners, a consultation of the resident) and a
  qualification programme granted by NAV.

Everything goes through the services the API's views call, acting as the demo's aftercare staff
member or the housing's leader (who decides intake and moves), so it is checked and audited as
their work. The G table is left as NAV published it: 2026's G is not in it (`g_table.PUBLISHED`),
so the programme's stipend shows why it cannot be computed yet and the G table page is where the
leader puts it right — the demo invents no figure.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Person,
    acting_as,
    db,
    evaluate_rule,
    open_case,
    submit_form,
    tenant_today,
    transition_case,
)

from . import budget, daily, flats, g_table, occupancy, plans, rota, staircase, stays
from .manifest import PLUGIN_ID
from .rota_models import DAY, EVENING, WEEKEND
from .staircase_models import SPECIAL
from .stays import add_months

INSTITUTION = "Finnmarkskollektivet"
#: the residents' flats (labels of `flats.ALTA_FLATS`): the partner's flat "6" and the family flat
#: "7" stay free, "4" is free again since its resident moved out
FLAT_STEP_4, FLAT_STEP_3, FLAT_STEP_2, FLAT_MOVED_OUT, FLAT_RESERVED = "1", "2", "3", "4", "5"


def seed(tenant, staff) -> None:
    """Alta's aftercare at work (see the module), unless Alta already has aftercare cases.
    `staff` maps each role to its demo user (``aftercare_staff`` and ``aftercare_leader`` act)."""
    if db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.plugin == PLUGIN_ID)):
        return
    today = tenant_today(tenant)
    worker, leader = staff["aftercare_staff"], staff["aftercare_leader"]
    with acting_as(leader):
        building = flats.alta_building(tenant)
        flat = {found.label: found for found in flats.flats_of(building.id)}
        budget.budget_2009(tenant)
        g_table.load_published(leader)
        staircase.steps(tenant)
        _rota(tenant, today, worker, leader)
    # the oldest of the demo's citizens first: the residents are the ones who have been in treatment
    people = iter(db.session.scalars(sa.select(Person).order_by(Person.birth_date, Person.id)).all())
    demo = _Demo(tenant, today, worker, leader)
    for make in (demo.near_the_limit, demo.moved_down, demo.with_a_plan, demo.moved_out):
        person = next(people, None)
        if person is None:
            break
        make(person, flat)
    for make in (demo.awaiting_intake, demo.in_assessment, demo.applied):
        person = next(people, None)
        if person is None:
            break
        make(person, flat)
    with acting_as(leader):
        daily.run_now(tenant, today)


# --- the rota ------------------------------------------------------------------------------------

def _rota(tenant, today: dt.date, worker, leader) -> None:
    """Both of the housing's demo staff on every shift from this week's Monday to the end of the
    last week the daily job looks at — except this week's Sunday shift, the one it will flag."""
    start = rota.week_start(today)
    end = rota.week_start(today + dt.timedelta(days=rota.LOOK_AHEAD_DAYS)) + dt.timedelta(days=7)
    left_open = start + dt.timedelta(days=6)
    shifts = rota.active_pattern(tenant)
    day = start
    while day < end:
        for shift in (s for s in shifts if s.weekday == day.weekday()):
            if day == left_open and shift.kind == WEEKEND:
                continue
            rota.assign({"works_on": day, "shift_id": shift.id, "user_id": _on_shift(shift, day, worker, leader).id},
                        leader)
        day += dt.timedelta(days=1)


def _on_shift(shift, day: dt.date, worker, leader):
    """The leader on the weekday day shifts and Sunday's, the staff member on the evenings and
    Saturday's; the nights' on-call from home taken in turns."""
    if shift.kind == DAY:
        return leader
    if shift.kind == EVENING:
        return worker
    if shift.kind == WEEKEND:
        return leader if day.weekday() == 6 else worker
    return leader if day.toordinal() % 2 else worker


# --- the stays -------------------------------------------------------------------------------------

class _Demo:
    """The demo's people, each brought as far as their phase through the plugin's services: the
    application and the assessment by the staff member, intake and moves by the leader."""

    def __init__(self, tenant, today: dt.date, worker, leader):
        self.tenant, self.today, self.worker, self.leader = tenant, today, worker, leader

    def _move(self, case: Case, transition: str, payload: dict | None = None, note: str | None = None) -> Case:
        return transition_case(self.tenant, case, transition, payload or {}, note)

    def _applied(self, person: Person, started_on: dt.date, expected_on: dt.date, **application) -> Case:
        """The application from treatment ("Vurdering [...] vil starte tidlig i behandlingsopplegget
        på institusjon"), made by the staff member, who follows the case."""
        with acting_as(self.worker):
            case = open_case(self.tenant, PLUGIN_ID, person.id, assigned_to_id=self.worker.id)
            submit_form(self.tenant, PLUGIN_ID, stays.APPLICATION_FORM, {
                "institution": INSTITUTION, "treatment_started_on": started_on.isoformat(),
                "expected_discharge_on": expected_on.isoformat(), "at_partner_institution": False,
                **application}, case.id)
        return case

    def _assessed(self, person: Person, started_on: dt.date, expected_on: dt.date, consent_on: dt.date) -> Case:
        case = self._applied(person, started_on, expected_on)
        with acting_as(self.worker):
            self._move(case, "start_assessment")
            stays.record_consent(case, consent_on, self.today)
        return case

    def _accepted(self, person: Person, started_on: dt.date, expected_on: dt.date, consent_on: dt.date) -> Case:
        case = self._assessed(person, started_on, expected_on, consent_on)
        with acting_as(self.leader):
            self._move(case, "accept", {"reasons": "Wants to keep up the changes made in treatment, and to live "
                                                   "without drugs in Alta; agrees to the house rules."})
        return case

    def _resident(self, person: Person, flat, moved_in_on: dt.date) -> Case:
        """Moved into `flat` on `moved_in_on`, the day after a year's treatment ended; the binding
        rules and agreement signed the week before ("bindende, klare regler og avtaler mellom
        beboere og boligeier")."""
        ended = moved_in_on - dt.timedelta(days=1)
        started = add_months(ended, -12)
        case = self._accepted(person, started, ended, add_months(started, 3))
        with acting_as(self.leader):
            stays.record_rules_agreed(case, ended - dt.timedelta(days=6), self.today)
            stays.record_treatment_ended(case, ended, self.today)
            self._move(case, "move_in", {"flat_id": flat.id, "moved_in_on": moved_in_on.isoformat()})
        return case

    def _step(self, case: Case, inputs: dict, on: dt.date, note: str) -> None:
        """The rule proposes, the leader decides: the decision applied on `on` with the new step's
        special contract, signed that day."""
        with acting_as(self.leader):
            decision = evaluate_rule(self.tenant, PLUGIN_ID, staircase.RULE, inputs, case.id)
            staircase.apply_move(case, {"decision_id": decision.id, "on": on,
                                        "lease": {"kind": SPECIAL, "signed_on": on, "owner": None, "note": note}})

    def _up(self, case: Case, on: dt.date, reason: str) -> None:
        self._step(case, {"direction": "up", "reasons": [reason]}, on, "The new step's special contract.")

    # the residents, each on a step of their own

    def near_the_limit(self, person: Person, flat: dict) -> Case:
        """On step 4 after almost two years: the limit is some two months off, so the daily job
        raises its first warning (90 days before)."""
        moved_in = add_months(self.today, -22)
        case = self._resident(person, flat[FLAT_STEP_4], moved_in)
        self._up(case, add_months(moved_in, 4), "Has kept the house rules and the agreement through the trial period.")
        self._up(case, add_months(moved_in, 9), "Works three days a week and manages the flat on their own.")
        return case

    def moved_down(self, person: Person, flat: dict) -> Case:
        """Up to step 4, then a breach of the house rules and one step down, back to step 3."""
        moved_in = add_months(self.today, -14)
        case = self._resident(person, flat[FLAT_STEP_3], moved_in)
        self._up(case, add_months(moved_in, 4), "Has kept the house rules and the agreement through the trial period.")
        self._up(case, add_months(moved_in, 8), "Takes part in the activities and keeps the appointments.")
        with acting_as(self.worker):
            breach = staircase.record_breach(case, {
                "occurred_on": self.today - dt.timedelta(days=21), "kind": "rule",
                "description": "Had guests staying overnight against the house rules, twice in one week."})
        self._step(case, {"direction": "down", "breach_ids": [breach.id], "severity": "ordinary",
                          "reasons": ["Broke the house rule on overnight guests after a warning."]},
                   self.today - dt.timedelta(days=14), "Step 3's special contract again, after the breach.")
        return case

    def with_a_plan(self, person: Person, flat: dict) -> Case:
        """On step 2, the training flat, in its trial period, with an individual plan ("Brukeren skal
        ha en person å forholde seg til") and the qualification programme NAV granted ("beboere i
        ettervernsboligene kan søke og sannsynligvis vil innvilges deltakelse")."""
        moved_in = add_months(self.today, -2)
        case = self._resident(person, flat[FLAT_STEP_2], moved_in)
        planned = moved_in + dt.timedelta(days=7)
        with acting_as(self.worker):
            plans.save_plan(case, {"contact_person_id": self.worker.id, "started_on": planned})
            plans.add_goal(case, {"text": "A flat of my own in Alta", "target_on": add_months(moved_in, 18),
                                  "status": "open"})
            plans.add_goal(case, {"text": "Work training through the qualification programme",
                                  "target_on": add_months(moved_in, 6), "status": "in_progress"})
            plans.add_partner(case, {"partner": "nav", "name": None,
                                     "role": "The qualification programme and its stipend; follow-up towards work"})
            plans.add_partner(case, {"partner": "red_cross", "name": None,
                                     "role": "Leisure activities and a network outside the house"})
            plans.record_participation(case, {
                "consulted_on": planned, "method": "plan_meeting",
                "resident_said": "Wants work training with people, not another course.",
                "changed": "NAV was asked for a work placement instead of a course."}, self.worker)
            granted = moved_in + dt.timedelta(days=21)
            starts = add_months(granted, 1).replace(day=1)
            plans.save_programme(case, {"granted_on": granted, "starts_on": starts,
                                        "ends_on": add_months(starts, 12) - dt.timedelta(days=1), "children": 0,
                                        "child_rate_per_day": None})
        return case

    def moved_out(self, person: Person, flat: dict) -> Case:
        """Up to step 4, then out to a flat of their own in Alta a month ago: "Overgangen til egen
        bolig utenfor ettervernsboligen vil være del av siste fase i tiltakskjeden"."""
        moved_in = add_months(self.today, -20)
        case = self._resident(person, flat[FLAT_MOVED_OUT], moved_in)
        self._up(case, add_months(moved_in, 4), "Has kept the house rules and the agreement through the trial period.")
        self._up(case, add_months(moved_in, 9), "Has a permanent job and pays the rent on time.")
        out = self.today - dt.timedelta(days=30)
        with acting_as(self.leader):
            self._move(case, "plan_move_out", {"destination": "own_home_alta",
                                               "planned_on": out.isoformat()}, "Has been offered a flat in Alta.")
            self._move(case, "move_out", {"moved_out_on": out.isoformat(), "destination": "own_home_alta"},
                       "Moved to a flat of their own in Alta; help in the home as agreed.")
        return case

    # before intake

    def awaiting_intake(self, person: Person, flat: dict) -> Case:
        """Accepted while still in treatment, flat 5 reserved until the move-in after discharge."""
        started = add_months(self.today, -11)
        case = self._accepted(person, started, self.today + dt.timedelta(days=20), add_months(started, 8))
        with acting_as(self.leader):
            occupancy.reserve(flat[FLAT_RESERVED], case.id, self.today, "Moves in when the treatment ends.")
        return case

    def in_assessment(self, person: Person, flat: dict) -> Case:
        """Being assessed, with the consent recorded; the rules and intake are still to come."""
        started = add_months(self.today, -7)
        return self._assessed(person, started, add_months(self.today, 3), self.today - dt.timedelta(days=10))

    def applied(self, person: Person, flat: dict) -> Case:
        """Just applied, from another home municipality (a partner on the case)."""
        started = add_months(self.today, -3)
        return self._applied(person, started, add_months(self.today, 6), home_municipality="Hammerfest")
