"""Retention on the tenant's clock: what is past its period is proposed by the nightly job and
disposed of only after two different members approve; child welfare is deposited, invoices are
kept for the bookkeeping period, the audit log is never touched, and held records are skipped.

velferd.clock has no clock to turn forward, so these tests turn the records back instead: a
case closed through the API has its closing moved years into the past ("closed eleven years
ago"), which is what the job would meet on a real clock that many years on. Nothing sleeps.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.helpers import ORGNR, add_person, add_staff, billed_period, open_case
from velferd.db import db
from velferd.jobs import enqueue
from velferd.models import AuditEvent, Case, Invoice, Person
from velferd.plugins.manager import PluginError, build_registry
from velferd.retention.rules import check_declared_rules
from velferd.tenancy import tenant_scope
from velferd.toolkit import Manifest, Plugin, RetentionRule, hookimpl


@pytest.fixture
def town(app, bergen):
    """Bergen with an archivist beside its tenant admin: the two who approve disposals."""
    add_staff(app, bergen, "archivist", ["archivist"])
    return bergen


def closed_case(app, client, town, years_ago: float, note: str = "Talked about the flat.", **fields) -> dict:
    """A case opened, noted and closed through the API, its closing then moved `years_ago` back."""
    person = add_person(client, town)
    case = open_case(client, town, person["id"], **fields)
    headers = town.leader.headers
    r = client.post(town.url(f"/cases/{case['id']}/journal"), json={"text": note}, headers=headers)
    assert r.status_code == 201, r.json
    for transition in ("decline", "close"):
        r = client.post(town.url(f"/cases/{case['id']}/transitions"), json={"transition": transition}, headers=headers)
        assert r.status_code == 200, r.json
    with app.app_context(), tenant_scope(town.tenant):
        row = db.session.get(Case, case["id"])
        row.closed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=round(365.25 * years_ago))
        db.session.commit()
    return {"case_id": case["id"], "person_id": person["id"], "note": note}


def run_the_nightly_job(app, town) -> dict:
    with app.app_context(), tenant_scope(town.tenant):
        job = enqueue("retention.propose", tenant=town.tenant)
        db.session.commit()
        assert job.state == "succeeded", job.error
        return job.result


def proposals(client, town, rule: str | None = None) -> list[dict]:
    r = client.get(town.url("/retention/proposals"), headers=town.archivist.headers)
    assert r.status_code == 200, r.json
    return [p for p in r.json if rule is None or p["rule"] == rule]


def proposal_for(client, town, rule: str, record_id: int) -> dict:
    (found,) = [p for p in proposals(client, town, rule) if record_id in p["record_ids"]]
    return found


def approve(client, town, proposal: dict, who: str):
    return client.post(town.url(f"/retention/proposals/{proposal['id']}/approvals"), headers=town.staff[who].headers)


def journal_texts(client, town, case_id: int) -> list:
    r = client.get(town.url(f"/cases/{case_id}/journal"), headers=town.leader.headers)
    assert r.status_code == 200, r.json
    return [event.get("text") for event in r.json]


def disposal_log(client, town) -> list[dict]:
    r = client.get(town.url("/retention/log"), headers=town.archivist.headers)
    assert r.status_code == 200, r.json
    return r.json


# --- anonymising, after two different approvals ---------------------------------------------

def test_a_closed_case_past_its_period_is_anonymised_only_after_two_different_approvals(app, client, town):
    old = closed_case(app, client, town, years_ago=11, note="Kari fortalte om rusbruken.")
    recent = closed_case(app, client, town, years_ago=2)

    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", old["case_id"])
    assert proposal["action"] == "anonymise" and proposal["status"] == "pending"
    assert recent["case_id"] not in proposal["record_ids"]

    assert approve(client, town, proposal, "caseworker").status_code == 403  # no retention:approve
    r = approve(client, town, proposal, "archivist")
    assert r.status_code == 201, r.json
    assert r.json["status"] == "pending" and r.json["approver_ids"] == [town.archivist.user_id]
    assert old["note"] in journal_texts(client, town, old["case_id"])  # one approval changes nothing

    r = approve(client, town, proposal, "archivist")  # the same person cannot be the second
    assert r.status_code == 409, r.json
    assert old["note"] in journal_texts(client, town, old["case_id"])

    r = approve(client, town, proposal, "tenant_admin")
    assert r.status_code == 201, r.json
    assert r.json["status"] == "carried_out"
    assert old["note"] not in journal_texts(client, town, old["case_id"])
    assert recent["note"] in journal_texts(client, town, recent["case_id"])  # still in its period
    r = client.get(town.url(f"/cases/{old['case_id']}"), headers=town.leader.headers)
    assert r.status_code == 200, r.json  # anonymised, not deleted

    (entry,) = [e for e in disposal_log(client, town) if e["proposal_id"] == proposal["id"]]
    assert (entry["rule"], entry["record_type"], entry["action"]) == ("core.case", "case", "anonymise")
    assert old["case_id"] in entry["record_ids"]
    assert entry["approver_ids"] == [town.archivist.user_id, town.tenant_admin.user_id]
    assert "Kari" not in json.dumps(entry)  # the log holds ids, no personal data
    assert approve(client, town, proposal, "archivist").status_code == 409  # carried out already


def test_a_person_whose_last_case_closed_long_ago_is_anonymised_keeping_the_unique_national_id(app, client, town):
    old = closed_case(app, client, town, years_ago=12)
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.person", old["person_id"])
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    with app.app_context(), tenant_scope(town.tenant):
        person = db.session.get(Person, old["person_id"])
        assert (person.given_name, person.family_name) == ("anonymised", "anonymised")
        assert person.national_id == f"X{person.id}"  # unique per tenant still, and no valid id
        assert person.birth_date == dt.date(1900, 1, 1)


def test_a_person_with_an_open_case_is_not_proposed(app, client, town):
    old = closed_case(app, client, town, years_ago=12)
    open_case(client, town, old["person_id"])
    run_the_nightly_job(app, town)
    assert [p for p in proposals(client, town, "core.person") if old["person_id"] in p["record_ids"]] == []


# --- child welfare is deposited ------------------------------------------------------------

def test_a_child_welfare_case_is_deposited_to_the_archive_outbox_and_kept(app, client, town):
    r = client.post(town.url("/units"), json={"name": "Bergen barnevern", "kind": "child_welfare"},
                    headers=town.tenant_admin.headers)
    assert r.status_code == 201, r.json
    case = closed_case(app, client, town, years_ago=11, note="Melding fra skolen.", referring_unit_id=r.json["id"])

    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", case["case_id"])
    assert proposal["action"] == "deposit"  # the core rule says anonymise; child welfare overrides it
    assert "arkivlova" in proposal["reason"]
    person_proposal = proposal_for(client, town, "core.person", case["person_id"])
    assert person_proposal["action"] == "deposit"  # a person with a child-welfare case too
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201

    (entry,) = [e for e in disposal_log(client, town) if e["proposal_id"] == proposal["id"]]
    assert entry["action"] == "deposit" and entry["record_ids"] == [case["case_id"]]
    (package_path,) = entry["packages"]
    package = json.loads(Path(app.instance_path, package_path).read_text())
    assert Path(app.instance_path, package_path).parent == Path(
        app.instance_path, "tenants", str(town.tenant.id), "archive-outbox")
    assert package["record_type"] == "case" and package["record_id"] == case["case_id"]
    assert case["note"] in [row["text"] for row in package["tables"]["case_event"]]

    r = client.get(town.url(f"/cases/{case['case_id']}"), headers=town.leader.headers)
    assert r.status_code == 200, r.json  # the record is not gone
    assert case["note"] in journal_texts(client, town, case["case_id"])  # kept as it was, read-only
    run_the_nightly_job(app, town)
    assert [p for p in proposals(client, town, "core.case") if p["status"] == "pending"
            and case["case_id"] in p["record_ids"]] == []  # deposited once


def test_a_case_found_to_be_child_welfare_after_its_proposal_is_not_anonymised(app, client, town):
    case = closed_case(app, client, town, years_ago=11, note="Bekymringsmelding.")
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", case["case_id"])
    assert proposal["action"] == "anonymise"
    r = client.post(town.url("/units"), json={"name": "Bergen barnevern", "kind": "child_welfare"},
                    headers=town.tenant_admin.headers)
    with app.app_context(), tenant_scope(town.tenant):  # the referral is registered late
        db.session.get(Case, case["case_id"]).referring_unit_id = r.json["id"]
        db.session.commit()
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    (entry,) = [e for e in disposal_log(client, town) if e["proposal_id"] == proposal["id"]]
    assert [(s["id"], s["reason"]) for s in entry["skipped"]] == [
        (case["case_id"], "child welfare: to be deposited, not anonymised")]
    assert case["note"] in journal_texts(client, town, case["case_id"])
    run_the_nightly_job(app, town)  # and the next night proposes its deposit
    assert [p["action"] for p in proposals(client, town, "core.case")
            if p["status"] == "pending" and case["case_id"] in p["record_ids"]] == ["deposit"]


def test_no_rule_may_delete_cases_and_no_plugin_rule_may_name_the_audit_log():
    class Declares:
        def __init__(self, rule):
            self.rule = rule

        @hookimpl
        def velferd_plugin(self):
            return Plugin(Manifest("bad", "Bad", "1"), retention=(self.rule,))

    refused = {
        RetentionRule("bad.case", "case", "case_closed", 1, 0, 5, "delete", "none"): "anonymise or deposit",
        RetentionRule("bad.audit", "audit_event", "recorded", 1, 0, 5, "delete", "none"): "never disposed of",
        RetentionRule("bad.invoice", "invoice", "financial_year_end", 3, 3, 5, "anonymise", "x"): "bokføringsloven",
        RetentionRule("case", "case", "case_closed", 1, 0, 5, "anonymise", "none"): "must be named 'bad.",
    }
    for rule, phrase in refused.items():
        with pytest.raises(PluginError, match=phrase):
            check_declared_rules(build_registry([Declares(rule)], load_entry_points=False))
    with pytest.raises(PluginError, match="Plugin.retention must be a list or tuple of RetentionRule"):
        build_registry([Declares("due.case, 5 years")], load_entry_points=False)
    with pytest.raises(ValueError, match="min_years <= years <= max_years"):
        RetentionRule("bad.case", "case", "case_closed", 30, 0, 25, "deposit", "arkivlova")


# --- bookkeeping is kept -------------------------------------------------------------------

def set_issue_date(app, town, invoice_id: int, issued: dt.date) -> None:
    with app.app_context(), tenant_scope(town.tenant):
        db.session.get(Invoice, invoice_id).issue_date = issued
        db.session.commit()


def test_invoices_are_kept_five_years_after_the_end_of_their_financial_year(app, client, town):
    r = client.post(town.url("/units"), json={"name": "Bergen NAV", "kind": "nav_office", "organisation_number": ORGNR["bergen"],
                                              "payer_kind": "internal", "delivery_channel": "finance_export"},
                    headers=town.tenant_admin.headers)
    assert r.status_code == 201, r.json
    add_staff(app, town, "every_role", sorted(app.extensions["velferd.plugins"].roles))  # billed_period bills as them
    open_case(client, town, add_person(client, town)["id"], referring_unit_id=r.json["id"])
    invoice_id = billed_period(client, town)["invoice_id"]
    today = dt.date.today()

    set_issue_date(app, town, invoice_id, dt.date(today.year - 5, 1, 15))  # kept until 31 Dec this year
    run_the_nightly_job(app, town)
    assert proposals(client, town, "core.invoice") == []

    set_issue_date(app, town, invoice_id, dt.date(today.year - 6, 12, 31))  # its period ended last 31 Dec
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.invoice", invoice_id)

    # issued again within the period before the approvals: the disposal refuses it
    set_issue_date(app, town, invoice_id, dt.date(today.year - 2, 3, 1))
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    (entry,) = [e for e in disposal_log(client, town) if e["proposal_id"] == proposal["id"]]
    assert entry["record_ids"] == []
    assert [s["id"] for s in entry["skipped"]] == [invoice_id]
    assert "within the bookkeeping period" in entry["skipped"][0]["reason"]
    with app.app_context(), tenant_scope(town.tenant):
        assert db.session.get(Invoice, invoice_id).lines  # the invoice and its lines are all there

    r = client.put(town.url("/retention/rules/core.invoice"), json={"years": 4}, headers=town.tenant_admin.headers)
    assert r.status_code == 422, r.json
    assert "years" in r.json["fields"] and "bokføringsloven" in " ".join(r.json["fields"]["years"])


# --- the audit log is kept -----------------------------------------------------------------

def test_a_disposal_keeps_every_audit_row_and_adds_its_own(app, client, town):
    old = closed_case(app, client, town, years_ago=11)
    with app.app_context(), tenant_scope(town.tenant):
        before = set(db.session.scalars(sa.select(AuditEvent.id)))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.record_type == "case", AuditEvent.record_id == str(old["case_id"]))) > 0
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", old["case_id"])
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    with app.app_context(), tenant_scope(town.tenant):
        after = set(db.session.scalars(sa.select(AuditEvent.id)))
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.id.not_in(before))))
    assert before <= after
    assert {"retention.proposed", "retention.approved", "retention.anonymised", "retention.carried_out"} <= actions


# --- holds ---------------------------------------------------------------------------------

def test_a_held_record_is_skipped_until_its_hold_is_released(app, client, town):
    held = closed_case(app, client, town, years_ago=11, note="Under klage.")
    late = closed_case(app, client, town, years_ago=11, note="Held after the proposal.")
    r = client.post(town.url("/retention/holds"), json={"record_type": "person", "record_id": held["person_id"],
                                                         "kind": "appeal", "reason": "Klage til Statsforvalteren."},
                    headers=town.archivist.headers)
    assert r.status_code == 201, r.json
    hold_id = r.json["id"]

    run_the_nightly_job(app, town)
    assert not any(held["case_id"] in p["record_ids"] for p in proposals(client, town, "core.case"))
    proposal = proposal_for(client, town, "core.case", late["case_id"])

    r = client.post(town.url("/retention/holds"), json={"record_type": "case", "record_id": late["case_id"],
                                                         "kind": "legal_hold", "reason": "Tilsynssak."},
                    headers=town.tenant_admin.headers)
    assert r.status_code == 201, r.json
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    (entry,) = [e for e in disposal_log(client, town) if e["proposal_id"] == proposal["id"]]
    assert {"id": late["case_id"], "reason": "on hold or under appeal"} in entry["skipped"]
    assert late["note"] in journal_texts(client, town, late["case_id"])

    assert client.delete(town.url(f"/retention/holds/{hold_id}"), headers=town.archivist.headers).status_code == 204
    assert client.delete(town.url(f"/retention/holds/{hold_id}"), headers=town.archivist.headers).status_code == 409
    run_the_nightly_job(app, town)
    assert proposal_for(client, town, "core.case", held["case_id"])["status"] == "pending"
    holds = client.get(town.url("/retention/holds"), headers=town.archivist.headers).json
    assert [h["released_at"] is not None for h in holds if h["id"] == hold_id] == [True]


def test_a_hold_must_name_a_record_of_the_municipality(client, town):
    r = client.post(town.url("/retention/holds"), json={"record_type": "case", "record_id": 999999,
                                                         "kind": "legal_hold", "reason": "x"},
                    headers=town.archivist.headers)
    assert r.status_code == 422 and "record_id" in r.json["fields"], r.json


# --- the tenant's periods ------------------------------------------------------------------

def test_a_tenant_adjusts_a_period_only_within_its_legal_bounds(client, town):
    rules = {r["name"]: r for r in client.get(town.url("/retention/rules"), headers=town.archivist.headers).json}
    assert {"core.case", "core.person", "core.invoice", "core.reminder_mail"} <= set(rules)
    assert all(rule["source"] for rule in rules.values())
    case_rule = rules["core.case"]

    r = client.put(town.url("/retention/rules/core.case"), json={"years": case_rule["min_years"] - 1},
                   headers=town.tenant_admin.headers)
    assert r.status_code == 422, r.json
    assert f"between {case_rule['min_years']} and {case_rule['max_years']} years" in r.json["fields"]["years"][0]
    r = client.put(town.url("/retention/rules/core.case"), json={"years": case_rule["max_years"] + 1},
                   headers=town.tenant_admin.headers)
    assert r.status_code == 422 and "years" in r.json["fields"], r.json

    assert client.put(town.url("/retention/rules/core.case"), json={"years": 12},
                      headers=town.archivist.headers).status_code == 403  # approves, does not set periods
    r = client.put(town.url("/retention/rules/core.case"), json={"years": 12}, headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert (r.json["years"], r.json["declared_years"], r.json["adjusted"]) == (12, case_rule["years"], True)
    assert client.put(town.url("/retention/rules/no.such"), json={"years": 12},
                      headers=town.tenant_admin.headers).status_code == 404


def test_a_lengthened_period_keeps_a_case_the_shorter_one_would_have_disposed_of(app, client, town):
    old = closed_case(app, client, town, years_ago=11)
    r = client.put(town.url("/retention/rules/core.case"), json={"years": 15}, headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    run_the_nightly_job(app, town)
    assert not any(old["case_id"] in p["record_ids"] for p in proposals(client, town, "core.case"))


def test_the_plugins_declare_their_rules_with_sources():
    from tests.all_plugins import BUNDLED_PLUGINS

    rules = {rule.name: rule for plugin in BUNDLED_PLUGINS for rule in plugin.velferd_plugin().retention}
    assert set(rules) == {"due.case", "aftercare.case", "dropin.case", "nav_split.case"}
    assert rules["due.case"].action == "deposit"  # a child-welfare measure
    check_declared_rules(build_registry(BUNDLED_PLUGINS, load_entry_points=False))


def test_the_nightly_job_is_scheduled_and_running_it_twice_proposes_once(app, client, town):
    from velferd.jobs.registry import beat_entries

    with app.app_context():
        assert beat_entries()["retention-propose"].entry.task == "retention.propose"
    old = closed_case(app, client, town, years_ago=11)
    run_the_nightly_job(app, town)
    again = run_the_nightly_job(app, town)
    assert again == {"proposals": []}
    assert len([p for p in proposals(client, town, "core.case") if old["case_id"] in p["record_ids"]]) == 1
