"""Building municipalities, staff and tokens for tests, through the same services the app uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import sqlalchemy as sa

from velferd import testing, tenants
from velferd.auth import issue_token
from velferd.db import TenantOwned, db
from velferd.models import Tenant
from velferd.tenancy import tenant_scope
from velferd.testing import COUNTRY, CORE_ROLES, ORGNR, PASSWORD, Municipality, Staff, synthetic_id

__all__ = ["COUNTRY", "ORGNR", "Municipality", "Staff", "synthetic_id"]  # imported from here by test modules


def make_municipality(app, slug: str, roles=CORE_ROLES, plugins=("example",)) -> Municipality:
    """`velferd.testing.make_municipality`, with the suite's example plugin enabled by default."""
    return testing.make_municipality(app, slug, roles, plugins)


def reloaded(app, town: Municipality) -> Municipality:
    """`town` for a test of its own after `tests.databases.restore_snapshot`: the tenant read
    afresh from the restored database, the staff copied (a test may add some)."""
    with app.app_context():
        tenant = db.session.get(Tenant, town.tenant.id)
    return Municipality(tenant, {key: dataclasses.replace(staff) for key, staff in town.staff.items()})


_births = itertools.count()


def add_person(client, town: Municipality, national_id: str | None = None, role: str = "caseworker",
               given_name: str = "Ola", family_name: str = "Nordmann") -> dict:
    """Register a person through the API (a fresh synthetic id unless given); returns the body."""
    if national_id is None:
        birth = dt.date(2001, 1, 1) + dt.timedelta(days=next(_births) % 6000)
        national_id = synthetic_id(town.tenant.country, birth)
    r = client.post(town.url("/persons"), json={"national_id": national_id, "given_name": given_name,
                                                "family_name": family_name}, headers=town.staff[role].headers)
    assert r.status_code == 201, r.json
    return r.json


def open_case(client, town: Municipality, person_id: int, role: str = "caseworker", **fields) -> dict:
    """Open an example-plugin case through the API; returns the body."""
    r = client.post(town.url("/cases"), json={"person_id": person_id, "plugin": "example", **fields},
                    headers=town.staff[role].headers)
    assert r.status_code == 201, r.json
    return r.json


def row_counts(app, *models) -> dict[str, int]:
    """Rows per table across every tenant, each tenant counted in its own scope (as RLS requires)."""
    counts = {}
    with app.app_context():
        towns = db.session.scalars(sa.select(Tenant)).all()
        for model in models:
            scopes = towns if issubclass(model, TenantOwned) else [None]
            total = 0
            for town in scopes:
                with tenant_scope(town):
                    total += db.session.scalar(sa.select(sa.func.count()).select_from(model))
            counts[model.__tablename__] = total
    return counts


# --- a municipality with one record of every kind (tenant isolation, row-level security) -------

EVERY_ROLE = "every_role"


def add_staff(app, town: Municipality, key: str, roles) -> Staff:
    """One more staff member of `town` holding all of `roles`, reachable as ``town.staff[key]``."""
    with app.app_context(), tenant_scope(town.tenant):
        user = tenants.create_user(f"{key}@{town.slug}.test", f"{key} {town.slug}", PASSWORD)
        tenants.add_member(user, roles)
        _, token = issue_token(user, town.tenant, "test", dt.timedelta(days=1))
        db.session.commit()
        town.staff[key] = Staff(user.email, token, user.id)
    return town.staff[key]


def populated_municipality(app, client, slug: str) -> tuple[Municipality, dict]:
    """A municipality whose staff member with every role (``town.every_role``) has put one record
    of every kind in it through the API: unit, person (and a correction of them), case, journal
    note, meeting, deadline, form submission, decision and its override, token, and a second
    person of the first one's name and birth date, with no case (a possible duplicate,
    ``duplicate_id``). Names carry the municipality's name.

    Returns the town and the ids keyed by the URL parameter names of the routes (``unit_id``,
    ``case_id``, ``plugin_id``…; ``forms.name``/``rules.name`` for the ``name`` of a form/rule)."""
    town = make_municipality(app, slug)
    add_staff(app, town, EVERY_ROLE, sorted(app.extensions["velferd.plugins"].roles))
    name = town.tenant.name

    def post(path: str, body: dict) -> int:
        r = client.post(town.url(path), json=body, headers=town.every_role.headers)
        assert r.status_code == 201, (path, r.json)
        return r.json["id"]

    ids = {"plugin": "example", "plugin_id": "example", "forms.name": "referral", "rules.name": "eligibility",
           "user_id": town.caseworker.user_id, "membership_id": town.caseworker.membership_id}
    ids["unit_id"] = post("/units", {"name": f"{name} barnevern", "kind": "child_welfare",  # a payer: billed below
                                     "organisation_number": ORGNR[slug], "payer_kind": "internal",
                                     "delivery_channel": "finance_export"})
    person = add_person(client, town, role=EVERY_ROLE, given_name=f"{name}-Kari", family_name=f"{name}sen")
    ids["person_id"], ids["national_id"] = person["id"], person["national_id"]
    r = client.patch(town.url(f"/persons/{person['id']}"), headers=town.every_role.headers,
                     json={"phone": "+47 55 56 00 00", "reason": "Given by phone"})
    assert r.status_code == 200, r.json
    birth, twin_id = dt.date.fromisoformat(person["birth_date"]), person["national_id"]
    while twin_id == person["national_id"]:  # one date has few synthetic numbers: never draw the first's
        twin_id = synthetic_id(town.tenant.country, birth)
    twin = add_person(client, town, twin_id, role=EVERY_ROLE, given_name=f"{name}-Kari", family_name=f"{name}sen")
    (flag,) = client.get(town.url("/duplicates"), headers=town.every_role.headers).json
    assert flag["person_id"] == twin["id"], flag
    ids["duplicate_id"] = flag["id"]
    case_id = open_case(client, town, person["id"], role=EVERY_ROLE, referring_unit_id=ids["unit_id"])["id"]
    ids["case_id"] = case_id
    ids["note_id"] = post(f"/cases/{case_id}/journal", {"text": f"First talk with {name}-Kari."})
    ids["meeting_id"] = post(f"/cases/{case_id}/meetings", {"kind": "network meeting", "place": f"{name} rådhus",
                                                            "starts_at": "2026-03-02T10:00:00+01:00"})
    ids["deadline_id"] = post(f"/cases/{case_id}/deadlines", {"kind": "follow-up", "due_on": "2026-04-01"})
    ids["submission_id"] = post("/forms/example/referral/submissions", {"case_id": case_id, "data": {
        "motivation": f"Leaving care in {name}.", "criteria": ["leaving_institution"], "age": 19}})
    ids["decision_id"] = post("/rules/example/eligibility/evaluations", {
        "case_id": case_id, "inputs": {"age": 19, "criteria": ["leaving_institution"]}})
    ids["override_id"] = post(f"/decisions/{ids['decision_id']}/overrides", {
        "outcome": "not_eligible", "reason": f"{name} has no place free this year."})
    ids["grant_id"] = post(f"/cases/{case_id}/break-glass", {"reason": f"Covering {name}'s duty phone tonight."})
    ids["token_id"] = post("/tokens", {"name": f"{name} integration"})
    ids["invitation_id"] = post("/members", {"email": f"invited@{slug}.test", "name": f"{name} newcomer",
                                             "roles": ["caseworker"]})
    ids.update(billed_period(client, town))
    ids["job_id"] = failed_job(app, town)
    ids.update(retention_samples(app, client, town, case_id))
    reminder_mailed(app, town)
    return town, ids


def reminder_mailed(app, town: Municipality) -> int:
    """The row the daily deadline reminder leaves for a member it mailed (velferd.reminder_mail)."""
    from velferd.models import ReminderMail

    with app.app_context(), tenant_scope(town.tenant):
        row = ReminderMail(user_id=town.every_role.user_id, sent_on=dt.date(2026, 3, 2), overdue=1, upcoming=2)
        db.session.add(row)
        db.session.commit()
        return row.id


def retention_samples(app, client, town: Municipality, case_id: int) -> dict:
    """Retention's records (velferd.retention): a disposal carried out after two approvals (an
    old reminder mail deleted), a proposal awaiting its approvals (another one) and a hold on the
    case. Returns ``proposal_id``, ``hold_id`` and the samples for ``/retention/…``'s ``name``
    (a rule) and a hold's ``record_id``."""
    from velferd.jobs import enqueue
    from velferd.models import ReminderMail

    def old_mail_proposed() -> int:
        with app.app_context(), tenant_scope(town.tenant):
            db.session.add(ReminderMail(user_id=town.every_role.user_id, overdue=0, upcoming=1,
                                        sent_on=dt.date.today() - dt.timedelta(days=800)))
            db.session.commit()
            job = enqueue("retention.propose", tenant=town.tenant)
            db.session.commit()
            (proposal,) = job.result["proposals"]
            return proposal["id"]

    carried_out = old_mail_proposed()
    for staff in (town.every_role, town.tenant_admin):
        r = client.post(town.url(f"/retention/proposals/{carried_out}/approvals"), headers=staff.headers)
        assert r.status_code == 201, r.json
    r = client.post(town.url("/retention/holds"), json={
        "record_type": "case", "record_id": case_id, "kind": "appeal", "reason": f"Klage fra {town.tenant.name}."},
        headers=town.every_role.headers)
    assert r.status_code == 201, r.json
    hold_id = r.json["id"]
    r = client.put(town.url("/retention/rules/core.case"), json={"years": 12}, headers=town.every_role.headers)
    assert r.status_code == 200, r.json
    return {"proposal_id": old_mail_proposed(), "hold_id": hold_id, "retention.name": "core.case",
            "retention.record_id": case_id}


def failed_job(app, town: Municipality) -> int:
    """A job of the example plugin that failed (run in-process: the suite has no broker)."""
    from velferd.jobs import enqueue

    with app.app_context(), tenant_scope(town.tenant):
        job = enqueue("example.broken", tenant=town.tenant)
        db.session.commit()
        assert job.state == "failed", job.error
        return job.id


def billed_period(client, town: Municipality) -> dict:
    """Bill last month (the example plugin bills the open case referred by the paying unit):
    a billing profile, an invoice run with its export, an issued invoice with its line and its
    delivery attempt. Returns ``invoice_id``, ``run_id`` and the ``sequence`` of the run's export file."""
    headers = town.every_role.headers
    r = client.put(town.url("/billing-profile"), json={"bank_account": "1503 12 34562"}, headers=headers)
    assert r.status_code == 200, r.json
    period = f"{dt.date.today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"
    r = client.post(town.url("/invoice-runs"), json={"period": period}, headers=headers)
    assert r.status_code == 202, r.json
    (invoice,) = client.get(town.url("/invoices"), headers=headers).json["items"]
    assert invoice["number"] == 1, invoice
    return {"invoice_id": invoice["id"], "run_id": invoice["run_id"], "sequence": 1}
