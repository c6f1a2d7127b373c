"""Many payer units, each referring open example cases, written in two statements — enough for an
invoice run long enough to be killed in the middle (tests/test_billing_kill.py,
tests/test_faults_jobs.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.helpers import add_person
from velferd.db import db
from velferd.models import Case, Unit
from velferd.tenancy import tenant_scope


def add_payers(app, client, town, units: list[dict], cases_per_payer: int) -> None:
    """One unit per dict in `units` (name, delivery channel, …; an internal child-welfare payer
    unless they say otherwise), each referring `cases_per_payer` accepted example cases."""
    person = add_person(client, town)
    with app.app_context(), tenant_scope(town.tenant):
        db.session.execute(sa.insert(Unit), [
            {"tenant_id": town.tenant.id, "kind": "child_welfare", "organisation_number": "964338531",
             "payer_kind": "internal", **unit} for unit in units])
        unit_ids = db.session.scalars(sa.select(Unit.id).where(Unit.name.in_([unit["name"] for unit in units]))).all()
        now = dt.datetime.now(dt.timezone.utc)
        db.session.execute(sa.insert(Case), [
            {"tenant_id": town.tenant.id, "person_id": person["id"], "plugin": "example", "workflow": "example_intake",
             "state": "accepted", "referring_unit_id": unit_id, "updated_at": now, "created_at": now}
            for unit_id in unit_ids for _ in range(cases_per_payer)])
        db.session.commit()
