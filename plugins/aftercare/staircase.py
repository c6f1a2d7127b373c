"""The staircase (trappetrinnsmodellen): the steps, a resident's place on them, the moves staff
decide, the contract of every step and the breaches recorded.

The plan (5.1): "I trappetrinnsmodellen er kvart trappesteg eit ledd i ein progresjon mot eigen
bustad som er juridisk regulert" — each step is regulated by its contract, "ordinær og
spesialhusleiekontrakt" between resident and owner, so a move is applied only with the new
step's contract. "Dersom den bustadslause bryt ein regel eller avtale, eller skapar vanskar, må
vedkommande ned eit eller fleire steg i trappa": a breach is recorded, the rule `step_change`
(`staircase_rules`) proposes how far down — or, for a move up, one step — and staff decide by
applying the decision that governs the case (the latest on the rule: an override supersedes).
"Tiltakene og hjelpen avtar i takt med beboernes avansement i boligtrappen": each step carries its
level of help and control.

Here the ladder starts on step 2: "Prosjektet her opererer ikke med hospits og herberge nivået";
the resident begins on the training flat at move-in (`begin`, from the stay's ``move_in``) and
leaves the staircase at move-out (`end`).

These functions write to the session and flush; the caller (an API view, a page, a hook) commits.
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
    Decision,
    ValidationFailed,
    add_or_find,
    audit,
    current_tenant,
    current_user,
    db,
    get_owned,
    tenant_today,
    utcnow,
)

from . import stays
from .manifest import PLUGIN_ID
from .markers import N_
from .models import Building, Flat
from .staircase_models import LEVELS, ORDINARY, SPECIAL, Breach, Lease, Step, StepPlacement

RULE = "step_change"
FIRST, LAST = 2, 5
#: the core deadline raised for a trial period ending (the daily job)
TRIAL_KIND = "aftercare.trial_period_ends"
TRIAL_WARNING_DAYS = 14
#: the journal entry of a move on the staircase
STEP_CHANGED = "step_changed"

#: Alta's ladder when a municipality has none yet. The names, contracts and rights are the plan's
#: (Dyb 2002 as quoted in 5.1); the plan gives no length of the trial periods ("prøvetid" on steps
#: 2, 3 and 4): three months is this module's default, which the housing's leader edits.
DEFAULT_STEPS: tuple[dict[str, Any], ...] = (
    {"number": 2, "name": N_("Training flat"), "contract_kind": SPECIAL, "trial_months": 3,
     "rights": N_("A small training flat, temporary and on trial, under a special contract and the house rules."),
     "help_level": "high", "control_level": "high"},
    {"number": 3, "name": N_("Ordinary flat, special contract"), "contract_kind": SPECIAL, "trial_months": 3,
     "rights": N_("An ordinary flat under a special contract with limited rights, on trial."),
     "help_level": "medium", "control_level": "medium"},
    {"number": 4, "name": N_("Ordinary flat, special contract, more rights"), "contract_kind": SPECIAL, "trial_months": 3,
     "rights": N_("An ordinary flat under a special contract with more rights than on step 3, on trial."),
     "help_level": "low", "control_level": "low"},
    {"number": 5, "name": N_("Ordinary flat, ordinary lease"), "contract_kind": ORDINARY, "trial_months": None,
     "rights": N_("An ordinary flat under an ordinary lease, with a tenant's ordinary rights; help is given in "
                  "the home as agreed."),
     "help_level": "minimal", "control_level": "minimal"},
)


def outcome_for(number: int) -> str:
    """A decision's outcome naming a step: ``step_3``."""
    return f"step_{number}"


OUTCOMES = tuple(outcome_for(n) for n in range(FIRST, LAST + 1))


def target_of(outcome: str) -> int | None:
    """The step a decision's outcome names, or None when it names none of the staircase's."""
    return int(outcome.removeprefix("step_")) if outcome in OUTCOMES else None


# --- the steps --------------------------------------------------------------------------------------

def _step_row(number: int) -> Step | None:
    return db.session.scalar(sa.select(Step).where(Step.number == number))


def steps(tenant=None) -> list[Step]:
    """The current tenant's steps 2–5, lowest first; Alta's defaults are created when none exist
    (`tenant` is the current one; it is named for the daily job's callers)."""
    found = list(db.session.scalars(sa.select(Step).order_by(Step.number)))
    if len(found) == len(DEFAULT_STEPS):
        return found
    have = {step.number for step in found}
    for default in DEFAULT_STEPS:
        if default["number"] not in have:
            add_or_find(Step(**default), lambda number=default["number"]: _step_row(number))
    db.session.flush()
    return list(db.session.scalars(sa.select(Step).order_by(Step.number)))


def step_of(number: int) -> Step:
    """Step `number` (2–5) of the current tenant."""
    return next(step for step in steps() if step.number == number)


def update_step(number: int, changes: Mapping[str, Any]) -> Step:
    """Edit a step (not its number). The plan's ladders stay ladders: steps 2–4 are under a special
    contract and step 5 under an ordinary lease ("Trinn 5: Vanlig leilighet, ordinær
    leiekontrakt"), and help and control never grow as the resident rises ("Tiltakene og hjelpen
    avtar i takt med beboernes avansement")."""
    ladder = {step.number: step for step in steps()}
    if number not in ladder:
        raise ValidationFailed(f"there is no step {number}: number", {"number": [f"one of {FIRST}–{LAST}"]})
    step = ladder[number]
    kind = changes.get("contract_kind", step.contract_kind)
    if kind != (ORDINARY if number == LAST else SPECIAL):
        raise ValidationFailed("the contract kind does not fit the step: contract_kind", {"contract_kind": [
            f"step {number} is under {'an ordinary lease' if number == LAST else 'a special contract'}"]})
    for name in ("help_level", "control_level"):
        level = LEVELS.index(changes.get(name, getattr(step, name)))
        below = ladder.get(number - 1)
        above = ladder.get(number + 1)
        if below is not None and level < LEVELS.index(getattr(below, name)):
            raise ValidationFailed(f"{name} grows as the resident rises", {name: [
                f"help and control decrease as the resident rises: not more than step {number - 1}'s "
                f"({getattr(below, name)})"]})
        if above is not None and level > LEVELS.index(getattr(above, name)):
            raise ValidationFailed(f"{name} grows as the resident rises", {name: [
                f"help and control decrease as the resident rises: not less than step {number + 1}'s "
                f"({getattr(above, name)})"]})
    for name, value in changes.items():
        setattr(step, name, value)
    audit.record("aftercare.step_updated", "aftercare_step", step.id, details={"number": number, **changes})
    db.session.flush()
    return step


# --- a resident's place ------------------------------------------------------------------------------

def placements_of(case_id: int) -> list[StepPlacement]:
    """The case's placements, oldest first."""
    return list(db.session.scalars(sa.select(StepPlacement).where(StepPlacement.case_id == case_id)
                                   .order_by(StepPlacement.starts_on, StepPlacement.id)))


def current_placement(case_id: int, on: dt.date | None = None) -> StepPlacement | None:
    """The placement that lasts now (`on` None: the open one) or on the day `on`."""
    query = sa.select(StepPlacement).where(StepPlacement.case_id == case_id)
    if on is None:
        query = query.where(StepPlacement.ends_on.is_(None))
    else:
        query = query.where(StepPlacement.starts_on <= on,
                            sa.or_(StepPlacement.ends_on.is_(None), StepPlacement.ends_on > on))
    return db.session.scalar(query.order_by(StepPlacement.starts_on.desc(), StepPlacement.id.desc()).limit(1))


def current_step(case_id: int, on: dt.date | None = None) -> int | None:
    """The number of the step the resident is on now (or on the day `on`); None off the staircase."""
    placement = current_placement(case_id, on)
    return placement.step if placement is not None else None


def flat_owner(case_id: int) -> str | None:
    """The owner of the building of the resident's flat (Alta: Stiftelsen Utleieboliger)."""
    stay = stays.stay_of(case_id)
    if stay is None or stay.flat_id is None:
        return None
    flat = get_owned(Flat, stay.flat_id)
    building = get_owned(Building, flat.building_id) if flat is not None else None
    return building.owner if building is not None else None


def _trial_end(step: Step, on: dt.date) -> dt.date | None:
    return stays.add_months(on, step.trial_months) if step.trial_months else None


def _place(case_id: int, step: Step, on: dt.date, decision_id: int | None) -> StepPlacement:
    actor = current_user()
    placement = StepPlacement(case_id=case_id, step=step.number, starts_on=on, trial_ends_on=_trial_end(step, on),
                              decision_id=decision_id, created_by_id=actor and actor.id)
    db.session.add(placement)
    db.session.flush()
    return placement


def _complete_trial_deadlines(case_id: int) -> None:
    for deadline in db.session.scalars(sa.select(Deadline).where(
            Deadline.case_id == case_id, Deadline.kind == TRIAL_KIND, Deadline.completed_at.is_(None))):
        deadline.completed_at = utcnow()


def begin(case: Case, on: dt.date) -> StepPlacement:
    """The resident starts on step 2, the training flat, on the day of the move-in. Its special
    contract is the binding agreement signed with the owner before intake ("bindende, klare regler
    og avtaler mellom beboere og boligeier" — the stay's ``rules_agreed_on``), recorded as the
    step's lease when the flat's owner is known."""
    current = current_placement(case.id)
    if current is not None:
        raise Conflict(f"case {case.id} is already on step {current.step} since {current.starts_on.isoformat()}")
    first = step_of(FIRST)
    placement = _place(case.id, first, on, None)
    owner = flat_owner(case.id)
    if owner is not None:
        stay = stays.stay_of(case.id)
        signed = stay.rules_agreed_on if stay is not None and stay.rules_agreed_on else on
        db.session.add(Lease(case_id=case.id, placement_id=placement.id, kind=first.contract_kind, owner=owner,
                             signed_on=signed, note="The special contract and binding rules signed before intake."))
    db.session.add(CaseEvent(case_id=case.id, kind=STEP_CHANGED, text=f"Began on step {FIRST} ({first.name}).",
                             data={"from": None, "to": FIRST, "on": on.isoformat(), "decision_id": None}))
    db.session.flush()
    return placement


def end(case_id: int, on: dt.date) -> StepPlacement | None:
    """The resident leaves the staircase (move-out) on `on`: the open placement ends that day."""
    current = current_placement(case_id)
    if current is None:
        return None
    if on < current.starts_on:
        raise Conflict(f"the move-out on {on.isoformat()} is before step {current.step} began on "
                       f"{current.starts_on.isoformat()}")
    current.ends_on = on
    _complete_trial_deadlines(case_id)
    db.session.flush()
    return current


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def on_transitioned(tenant, case, transition, from_state, actor, payload) -> None:
    """ON_TRANSITIONED (after the stays' handler, which has set the stay's dates): begin on step 2
    at move-in, leave the staircase at move-out."""
    if transition.name not in ("move_in", "move_out"):
        return
    stay = stays.stay_of(case.id)
    if transition.name == "move_in":
        on = stay.moved_in_on if stay is not None and stay.moved_in_on else _date(payload["moved_in_on"])
        begin(case, on)
    else:
        on = stay.moved_out_on if stay is not None and stay.moved_out_on else _date(payload["moved_out_on"])
        end(case.id, on)


# --- breaches -------------------------------------------------------------------------------------------

def breaches_of(case_id: int) -> list[Breach]:
    return list(db.session.scalars(sa.select(Breach).where(Breach.case_id == case_id)
                                   .order_by(Breach.occurred_on, Breach.id)))


def record_breach(case: Case, data: Mapping[str, Any]) -> Breach:
    """A breach of a rule or of the agreement, while the resident is on the staircase, on a day
    that has come and not before the resident moved in."""
    if current_placement(case.id) is None:
        raise Conflict(f"case {case.id} is not on the staircase: a breach is recorded while the resident lives here")
    occurred = data["occurred_on"]
    first = placements_of(case.id)[0]
    if occurred > tenant_today(current_tenant()):
        raise ValidationFailed("the breach is in the future: occurred_on",
                               {"occurred_on": [f"{occurred.isoformat()} has not come yet"]})
    if occurred < first.starts_on:
        raise ValidationFailed("the breach is before the move-in: occurred_on", {"occurred_on": [
            f"{occurred.isoformat()} is before the resident came on the staircase ({first.starts_on.isoformat()})"]})
    actor = current_user()
    breach = Breach(case_id=case.id, occurred_on=occurred, kind=data["kind"], description=data["description"].strip(),
                    recorded_by_id=actor and actor.id)
    db.session.add(breach)
    db.session.flush()
    audit.record("aftercare.breach_recorded", "aftercare_breach", breach.id, person_id=case.person_id,
                 details={"case_id": case.id, "kind": breach.kind})
    return breach


# --- moves ------------------------------------------------------------------------------------------

def decisions_of(case_id: int) -> list[Decision]:
    """The case's decisions on the staircase rule, newest first."""
    return list(db.session.scalars(sa.select(Decision).where(
        Decision.case_id == case_id, Decision.plugin == PLUGIN_ID, Decision.rule == RULE)
        .order_by(Decision.id.desc())))


def effective_decision(case_id: int) -> Decision | None:
    """The decision that governs the case's next move: the latest on the rule (decisions are never
    edited; an override is a newer one that supersedes)."""
    return db.session.scalar(sa.select(Decision).where(
        Decision.case_id == case_id, Decision.plugin == PLUGIN_ID, Decision.rule == RULE)
        .order_by(Decision.id.desc()).limit(1))


def _applied(decision_id: int) -> StepPlacement | None:
    return db.session.scalar(sa.select(StepPlacement).where(StepPlacement.decision_id == decision_id))


def open_proposal(case_id: int) -> Decision | None:
    """The governing decision while it is still to be applied: not applied yet and naming another
    step than the current one."""
    decision = effective_decision(case_id)
    current = current_placement(case_id)
    if decision is None or current is None or _applied(decision.id) is not None:
        return None
    return decision if target_of(decision.outcome) not in (None, current.step) else None


def _governing(case: Case, decision_id: int) -> Decision:
    decision = get_owned(Decision, decision_id)
    if decision is None or decision.case_id != case.id or decision.plugin != PLUGIN_ID or decision.rule != RULE:
        raise ValidationFailed("the decision is not a staircase decision of this case: decision_id",
                               {"decision_id": [f"no staircase decision {decision_id} on case {case.id}"]})
    governing = effective_decision(case.id)
    if governing.id != decision.id:
        raise Conflict(f"decision {decision.id} no longer governs the case: decision {governing.id} is the latest "
                       "(an override, or a newer proposal); apply that one")
    applied = _applied(decision.id)
    if applied is not None:
        raise Conflict(f"decision {decision.id} was applied on {applied.starts_on.isoformat()}; evaluate the rule "
                       "again for another move")
    return decision


def apply_move(case: Case, data: Mapping[str, Any]) -> StepPlacement:
    """Staff decide: the resident moves to the step the governing decision names, on `on`, with
    that step's contract (``data``: decision_id, on, lease {kind, signed_on, owner?, note?})."""
    current = current_placement(case.id)
    if current is None:
        raise Conflict(f"case {case.id} is not on the staircase: the resident has not moved in, or has moved out")
    decision = _governing(case, data["decision_id"])
    target = target_of(decision.outcome)
    if target is None or target == current.step:
        raise Conflict(f"decision {decision.id} keeps the resident on step {current.step}: there is no move to apply; "
                       "override it with a reason to move now")
    on = data["on"]
    if on > tenant_today(current_tenant()):
        raise ValidationFailed("the move is in the future: on", {"on": [
            f"{on.isoformat()} has not come yet; record the move on the day it happens"]})
    if on <= current.starts_on:
        raise ValidationFailed("the move is not after the current step began: on", {"on": [
            f"step {current.step} began on {current.starts_on.isoformat()}; the next step begins on a later day"]})
    step = step_of(target)
    lease = data["lease"]
    if lease["kind"] != step.contract_kind:
        wanted = "an ordinary lease" if step.contract_kind == ORDINARY else "a special contract"
        raise ValidationFailed("the contract does not fit the step: lease.kind", {"lease": {"kind": [
            f"step {target} ({step.name}) is under {wanted} ({step.contract_kind})"]}})
    if lease["signed_on"] > on:
        raise ValidationFailed("the contract is signed after the move: lease.signed_on", {"lease": {"signed_on": [
            f"the contract is signed before the step begins ({on.isoformat()}): binding contracts are a precondition"]}})
    owner = (lease.get("owner") or "").strip() or flat_owner(case.id)
    if not owner:
        raise ValidationFailed("the owner of the flat is not known: lease.owner", {"lease": {"owner": [
            "name the owner: the resident's flat has no building with an owner"]}})
    current.ends_on = on
    _complete_trial_deadlines(case.id)
    placement = _place(case.id, step, on, decision.id)
    db.session.add(Lease(case_id=case.id, placement_id=placement.id, kind=lease["kind"], owner=owner,
                         signed_on=lease["signed_on"], note=lease.get("note")))
    for breach_id in (decision.inputs or {}).get("breach_ids") or ():
        breach = get_owned(Breach, int(breach_id))
        if breach is not None and breach.case_id == case.id:
            breach.decision_id = decision.id
    way = "up" if target > current.step else "down"
    db.session.add(CaseEvent(case_id=case.id, kind=STEP_CHANGED,
                             text=f"Moved {way} from step {current.step} to step {target} ({step.name}) "
                                  f"by decision {decision.id}.",
                             data={"from": current.step, "to": target, "on": on.isoformat(), "decision_id": decision.id},
                             actor_id=(current_user() and current_user().id)))
    audit.record("aftercare.step_changed", "aftercare_step_placement", placement.id, person_id=case.person_id,
                 details={"case_id": case.id, "from": current.step, "to": target, "decision_id": decision.id})
    db.session.flush()
    return placement


# --- the daily job ------------------------------------------------------------------------------------

def raise_trial_period_warnings(tenant, settings: Mapping[str, Any], today: dt.date) -> int:
    """The daily job's part: a core deadline "aftercare.trial_period_ends", due on the day the trial
    ends, for each current placement whose trial period ends within 14 days (or has ended with no
    warning yet) — the time to consider the move up. Created once per placement's trial end (a
    re-run raises nothing twice). Returns how many it created."""
    horizon = today + dt.timedelta(days=TRIAL_WARNING_DAYS)
    placements = db.session.scalars(
        sa.select(StepPlacement).join(Case, Case.id == StepPlacement.case_id)
        .where(Case.plugin == PLUGIN_ID, StepPlacement.ends_on.is_(None), StepPlacement.trial_ends_on.is_not(None),
               StepPlacement.trial_ends_on <= horizon)
        .order_by(StepPlacement.trial_ends_on, StepPlacement.id)).all()
    created = 0
    for placement in placements:
        exists = db.session.scalar(sa.select(Deadline.id).where(
            Deadline.case_id == placement.case_id, Deadline.kind == TRIAL_KIND,
            Deadline.due_on == placement.trial_ends_on).limit(1))
        if exists is None:
            db.session.add(Deadline(case_id=placement.case_id, kind=TRIAL_KIND, due_on=placement.trial_ends_on))
            created += 1
    db.session.flush()
    return created


# --- what the API and the pages show ---------------------------------------------------------------------

def _decision_body(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"id": decision.id, "outcome": decision.outcome, "step": target_of(decision.outcome),
            "reasons": list(decision.reasons or ()), "inputs": decision.inputs, "supersedes_id": decision.supersedes_id,
            "decided_at": decision.decided_at}


def step_body(step: Step) -> dict[str, Any]:
    return {name: getattr(step, name) for name in ("number", "name", "contract_kind", "trial_months", "rights",
                                                   "help_level", "control_level")}


def staircase_view(case: Case, today: dt.date) -> dict[str, Any]:
    """The case's staircase: the current step, the history with each move's decision and reasons
    and each step's contract, the breaches, and the proposal waiting to be applied."""
    ladder = {step.number: step for step in steps()}
    leases = {lease.placement_id: lease for lease in db.session.scalars(
        sa.select(Lease).where(Lease.case_id == case.id))}
    history = []
    for placement in placements_of(case.id):
        decision = get_owned(Decision, placement.decision_id) if placement.decision_id else None
        lease = leases.get(placement.id)
        history.append({
            "id": placement.id, "step": placement.step, "step_name": ladder[placement.step].name,
            "starts_on": placement.starts_on, "ends_on": placement.ends_on, "trial_ends_on": placement.trial_ends_on,
            "in_trial": placement.ends_on is None and placement.trial_ends_on is not None
                        and today < placement.trial_ends_on,
            "decision": _decision_body(decision),
            "lease": {c: getattr(lease, c) for c in ("id", "kind", "owner", "signed_on", "note")} if lease else None,
        })
    current = next((entry for entry in history if entry["ends_on"] is None), None)
    return {
        "case_id": case.id,
        "current": current,
        "step": step_body(ladder[current["step"]]) if current else None,
        "history": list(reversed(history)),
        "breaches": [{c: getattr(b, c) for c in ("id", "occurred_on", "kind", "description", "recorded_by_id",
                                                 "recorded_at", "decision_id")} for b in reversed(breaches_of(case.id))],
        "proposal": _decision_body(open_proposal(case.id)),
        "decisions": [_decision_body(d) for d in decisions_of(case.id)],
    }
