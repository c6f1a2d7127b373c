"""Carrying out an approved proposal: every guard checked again, then each record anonymised,
deposited or deleted, and the disposal logged (ids only) and audited.

* ``anonymise`` overwrites the personal columns of the record's rows (velferd.retention.anonymise).
* ``deposit`` writes the record's archive package to the archive outbox and marks it deposited.
  **The record stays in the live database, unchanged, read-only by its mark** (a `RetentionMark`
  the services can ask with `is_deposited`): the outbox is not the depot, and until the depot
  has confirmed that it holds the package the municipality's copy is the only safe one.
  Anonymising it in the live database after the depot's receipt is a step for later.
* ``delete`` deletes the record's rows (only rules for rows nothing else refers to may delete).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd import audit
from velferd.db import db
from velferd.personal_data import anonymising
from velferd.models import Tenant
from velferd.plugins.manager import PluginRegistry
from velferd.retention import guards
from velferd.retention.anonymise import anonymise_row
from velferd.retention.deposit import package_for, write_package
from velferd.retention.models import RetentionDisposal, RetentionMark, RetentionProposal
from velferd.retention.records import person_of, rows_of, still_due
from velferd.retention.rules import case_rule_plugins, tenant_rule, tenant_rules

PAST_TENSE = {"anonymise": "anonymised", "deposit": "deposited", "delete": "deleted"}


def is_deposited(record_type: str, record_id: int) -> bool:
    """Whether a record was deposited to the archive (it is then kept read-only)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(RetentionMark).where(
        RetentionMark.record_type == record_type, RetentionMark.record_id == record_id,
        RetentionMark.action == "deposit")) > 0


def _skipped(tenant: Tenant, plugins: PluginRegistry, proposal: RetentionProposal,
             today: dt.date) -> dict[int, str]:
    """The proposal's records that may not be disposed of now, each with why."""
    rule = tenant_rule(plugins, proposal.rule)
    ids = list(proposal.record_ids)
    due = still_due(tenant, rule, case_rule_plugins(tenant_rules(plugins)), ids, today)
    skipped = {i: "no longer due (reopened, or its period was lengthened)" for i in ids if i not in due}
    for i in guards.held_ids(proposal.record_type, ids):
        skipped[i] = "on hold or under appeal"
    if proposal.record_type == "invoice":
        for i in guards.invoices_in_bookkeeping_period(ids, today):
            skipped[i] = f"within the bookkeeping period ({guards.BOOKKEEPING_LAW})"
    if proposal.action != "deposit":
        child_welfare = (guards.child_welfare_case_ids(ids) if proposal.record_type == "case"
                         else guards.child_welfare_person_ids(ids) if proposal.record_type == "person" else set())
        for i in child_welfare:
            skipped[i] = "child welfare: to be deposited, not " + PAST_TENSE[proposal.action]
    return skipped


def carry_out(tenant: Tenant, plugins: PluginRegistry, proposal: RetentionProposal, approvers: list[int],
              today: dt.date) -> RetentionDisposal:
    skipped = _skipped(tenant, plugins, proposal, today)
    done = [i for i in proposal.record_ids if i not in skipped]
    disposal = RetentionDisposal(
        proposal_id=proposal.id, rule=proposal.rule, record_type=proposal.record_type, action=proposal.action,
        record_ids=done, skipped=[{"id": i, "reason": reason} for i, reason in sorted(skipped.items())],
        proposed_by_job_id=proposal.job_id, approver_ids=list(approvers))
    db.session.add(disposal)
    db.session.flush()
    packages = []
    for record_id in done:
        rows = rows_of(proposal.record_type, record_id)
        if not rows:
            continue
        person_id = person_of(proposal.record_type, rows[0][1])
        if proposal.action == "deposit":
            packages.append(write_package(tenant, package_for(
                tenant, proposal.rule, proposal.record_type, record_id, rows, proposal.reason, disposal.id)))
        elif proposal.action == "anonymise":
            with anonymising(db.session()):
                for _table, row in rows:
                    anonymise_row(row)
                db.session.flush()
        else:
            for _table, row in reversed(rows):
                db.session.delete(row)
        db.session.add(RetentionMark(record_type=proposal.record_type, record_id=record_id,
                                     action=proposal.action, disposal_id=disposal.id))
        audit.record(f"retention.{PAST_TENSE[proposal.action]}", proposal.record_type, record_id,
                     person_id=person_id if proposal.action != "delete" else None,
                     details={"rule": proposal.rule, "disposal_id": disposal.id})
    disposal.packages = packages
    proposal.status = "carried_out"
    db.session.flush()
    audit.record("retention.carried_out", "retention_disposal", disposal.id, details={
        "rule": proposal.rule, "action": proposal.action, "records": len(done), "skipped": len(skipped)})
    return disposal
