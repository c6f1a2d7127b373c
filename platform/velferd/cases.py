"""Opening cases, reading them (audited), moving them through their workflow, and the journal."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import contains_eager, joinedload

from velferd import audit, need_to_know
from velferd.auth import current_user
from velferd.clock import tenant_today
from velferd.db import db, utcnow
from velferd.errors import NotFound, ValidationFailed
from velferd.models import Case, CaseEvent, Deadline, Membership, Person, Tenant, Unit
from velferd.plugins.enablement import call_owner_hook, require_enabled, settings_for
from velferd.prebuilt import prebuilt
from velferd.tenancy import get_owned, require_tenant
from velferd.workflows import allowed_transition, workflow_for_plugin, workflow_of


def _check_references(person_id: int, referring_unit_id: int | None, assigned_to_id: int | None,
                      unit_id: int | None = None) -> Person:
    """Every id a case points at must exist in this tenant: a 422 naming the field, not a 500."""
    errors: dict[str, list[str]] = {}
    with need_to_know.unscoped():  # a unit may open its own case for a person another unit follows
        person = get_owned(Person, person_id)
    if person is None:
        errors["person_id"] = [f"no person {person_id} in this municipality"]
    for field, value in (("referring_unit_id", referring_unit_id), ("unit_id", unit_id)):
        if value is not None and get_owned(Unit, value) is None:
            errors[field] = [f"no unit {value} in this municipality"]
    if assigned_to_id is not None and db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == assigned_to_id)
    ) is None:
        errors["assigned_to_id"] = [f"user {assigned_to_id} is not staff in this municipality"]
    if errors:
        raise ValidationFailed("the case refers to records that do not exist here", errors)
    return person


def open_case(
    tenant: Tenant, plugin: str, person_id: int,
    referring_unit_id: int | None = None, assigned_to_id: int | None = None, unit_id: int | None = None,
) -> Case:
    """Open a case in `plugin`'s workflow. The unit that holds it (velferd.need_to_know) is
    `unit_id`, else the opener's unit when they work in exactly one."""
    require_enabled(tenant, plugin)
    if unit_id is None:
        unit_id = _openers_unit()
    person = _check_references(person_id, referring_unit_id, assigned_to_id, unit_id)
    workflow = workflow_for_plugin(plugin)
    case = Case(
        person=person, plugin=plugin, workflow=workflow.name, state=workflow.initial,
        referring_unit_id=referring_unit_id, assigned_to_id=assigned_to_id, unit_id=unit_id,
    )
    db.session.add(case)
    db.session.flush()
    actor = current_user()
    db.session.add(CaseEvent(case_id=case.id, kind="opened", to_state=case.state, actor_id=actor and actor.id))
    audit.record("case.created", "case", case.id, person_id=person_id)
    call_owner_hook("velferd_case_opened", tenant, case=case, actor=actor)
    return case


def _openers_unit() -> int | None:
    membership = g.get("velferd_membership")
    units = (membership.unit_ids or []) if membership is not None else []
    return units[0] if len(units) == 1 else None


def place_case(case: Case, unit_id: int | None) -> Case:
    """Give the case to the unit that is to hold it (None: no unit yet), journalled and audited."""
    if unit_id is not None and get_owned(Unit, unit_id) is None:
        raise ValidationFailed("no such unit here", {"unit_id": [f"no unit {unit_id} in this municipality"]})
    actor = current_user()
    previous, case.unit_id = case.unit_id, unit_id
    db.session.add(CaseEvent(case_id=case.id, kind="placed", data={"from_unit_id": previous, "to_unit_id": unit_id},
                             actor_id=actor and actor.id))
    db.session.flush()
    audit.record("case.placed", "case", case.id, person_id=case.person_id,
                 details={"from_unit_id": previous, "to_unit_id": unit_id})
    return case


_CASE_BY_ID = prebuilt(need_to_know.through_cases(
    sa.select(Case).options(joinedload(Case.person)).where(Case.id == sa.bindparam("case_id"))))


def find_case(case_id: int) -> Case:
    """The case with its person, or 404. Not audited by itself: the caller records what it did."""
    case = db.session.scalar(_CASE_BY_ID, {"case_id": case_id})
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def list_cases(*, limit: int, after_id: int = 0, newest_first: bool = False, open_only: bool = False,
               unassigned: bool = False, overdue: bool = False, **filters: Any) -> list[Case]:
    """A page of the tenant's cases with their persons, in one query — the API's case list and
    the web caseload. `filters` are equalities on ``plugin``, ``state``, ``person_id`` or
    ``assigned_to_id`` (None or missing: not filtered); `open_only` keeps cases not closed,
    `unassigned` those assigned to nobody, `overdue` those with an overdue deadline
    (`has_overdue_deadline`, today in the tenant's zone); `after_id` continues a page in id order
    (oldest first), `newest_first` pages the other way (ids below `after_id` when given).

    The page's ids are cut in a subquery before persons are joined. Joined directly, the tenant
    filter on `person` made PostgreSQL underestimate the rows and, towards the end of a big
    tenant's cases, hash-join every person of the tenant: time grew with its size. The caller
    audits the persons shown (velferd.read_audit)."""
    filtered = tuple(column for column in LISTED_BY if filters.get(column) is not None)
    statement = _case_page(newest_first, bool(after_id), filtered, open_only, unassigned, overdue)
    params = {"limit": limit, "after_id": after_id, **{f"by_{column}": filters[column] for column in filtered}}
    if overdue:
        params["today"] = tenant_today(require_tenant())
    return list(db.session.scalars(statement, params))


@functools.cache
def _case_page(newest_first: bool, after: bool, filtered: tuple[str, ...], open_only: bool, unassigned: bool,
               overdue: bool) -> sa.Select:
    """The statement of one shape of `list_cases`, its values bound parameters (velferd.prebuilt);
    a few dozen shapes at most."""
    order = Case.id.desc() if newest_first else Case.id
    cut = sa.select(Case.id).order_by(order).limit(sa.bindparam("limit", type_=sa.Integer))
    if after:
        after_id = sa.bindparam("after_id", type_=sa.Integer)
        cut = cut.where(Case.id < after_id if newest_first else Case.id > after_id)
    for column in filtered:
        cut = cut.where(getattr(Case, column) == sa.bindparam(f"by_{column}"))
    if open_only:
        cut = cut.where(is_open())
    if unassigned:
        cut = cut.where(Case.assigned_to_id.is_(None))
    if overdue:
        cut = cut.where(has_overdue_deadline(sa.bindparam("today", type_=sa.Date)))
    return prebuilt(need_to_know.through_cases(
        sa.select(Case).join(Case.person).options(contains_eager(Case.person)).where(Case.id.in_(cut)).order_by(order)))


LISTED_BY = ("plugin", "state", "person_id", "assigned_to_id")


def is_open() -> sa.ColumnElement[bool]:
    """A case is open until its workflow reaches a final state (`transition_case` sets closed_at)."""
    return Case.closed_at.is_(None)


def is_overdue(today: dt.date) -> sa.ColumnElement[bool]:
    """A deadline not completed and due before `today` — the municipality's today
    (velferd.clock.tenant_today), as the case page marks it. One rule for the caseload's filter
    and the dashboard's count (velferd.caseload_figures), so a figure is what its link lists."""
    return sa.and_(Deadline.completed_at.is_(None), Deadline.due_on < today)


def has_overdue_deadline(today: dt.date) -> sa.ColumnElement[bool]:
    """The case has a deadline that `is_overdue`."""
    return sa.exists().where(Deadline.case_id == Case.id, is_overdue(today))


def read_case(case_id: int) -> Case:
    """The case for someone to look at: the read is audited."""
    case = find_case(case_id)
    audit.record("case.read", "case", case.id, person_id=case.person_id)
    return case


def transition_case(tenant: Tenant, case: Case, name: str, payload: Mapping[str, Any], note: str | None) -> Case:
    """Take transition `name` on `case` (409 with the reason if not allowed), journal it,
    audit it and tell the tenant's plugins — all in one transaction."""
    require_enabled(tenant, case.plugin)
    transition = allowed_transition(tenant, case, name, payload, settings_for(tenant, case.plugin))
    from_state = case.state
    case.state = transition.target
    if transition.target in workflow_of(case).final:
        case.closed_at = utcnow()
    actor = current_user()
    db.session.add(CaseEvent(
        case_id=case.id, kind="transition", transition=name, from_state=from_state,
        to_state=case.state, text=note, data=dict(payload), actor_id=actor and actor.id,
    ))
    db.session.flush()
    audit.record("case.transitioned", "case", case.id, person_id=case.person_id,
                 details={"transition": name, "from": from_state, "to": case.state})
    call_owner_hook("velferd_case_transitioned", tenant, case=case, transition=transition, from_state=from_state,
                    actor=actor, payload=dict(payload))
    return case


def add_note(case: Case, text: str) -> CaseEvent:
    actor = current_user()
    entry = CaseEvent(case_id=case.id, kind="note", text=text, actor_id=actor and actor.id)
    db.session.add(entry)
    db.session.flush()
    audit.record("case.noted", "case", case.id, person_id=case.person_id)
    return entry


def journal(case: Case) -> list[CaseEvent]:
    return list(db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
