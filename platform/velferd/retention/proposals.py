"""The periodic job proposes; two different members approve; then the disposal is carried out.

`propose` runs in the job ``retention.propose`` (velferd.retention.tasks) on the tenant's
clock: for each rule, the records whose period is over become one proposal per action (the
rule's; "deposit" for child welfare, whatever the rule says). Nothing happens to a record until
two different members holding ``retention:approve`` have approved (`approve`); the second
approval carries the proposal out at once (velferd.retention.disposal), re-checking every
guard, since a case may have been reopened or put on hold in between.

Both must see every record of the tenant whoever asks: the job runs with no member, and the
approver's need-to-know scope must not hide a record from its disposal (velferd.need_to_know's
criteria are for reads of scoped members; the lead wires the exemption).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd import audit
from velferd.db import db
from velferd.errors import Conflict
from velferd.models import Tenant
from velferd.plugins.manager import PluginRegistry
from velferd.retention import guards
from velferd.retention.disposal import carry_out
from velferd.retention.models import RetentionApproval, RetentionProposal
from velferd.retention.records import due_ids
from velferd.retention.rules import TenantRule, case_rule_plugins, tenant_rules

APPROVALS_NEEDED = 2


def propose(tenant: Tenant, plugins: PluginRegistry, today: dt.date, job_id: int | None = None
            ) -> list[RetentionProposal]:
    """Write a proposal for what each rule finds due on `today` (held records left out)."""
    rules = tenant_rules(plugins)
    own = case_rule_plugins(rules)
    made = []
    for rule in rules:
        ids = due_ids(tenant, rule, own, today)
        held = guards.held_ids(rule.rule.record_type, ids)
        for action, reason, group in _by_action(rule, [i for i in ids if i not in held], today):
            made.append(RetentionProposal(rule=rule.name, record_type=rule.rule.record_type, action=action,
                                          reason=reason, record_ids=group, due_on=today, job_id=job_id))
    db.session.add_all(made)
    db.session.flush()
    for proposal in made:
        audit.record("retention.proposed", "retention_proposal", proposal.id, details={
            "rule": proposal.rule, "action": proposal.action, "records": len(proposal.record_ids)})
    return made


def rule_reason(rule: TenantRule) -> str:
    return (f"{rule.rule.title or rule.name}: {rule.rule.action} {rule.years} years after "
            f"{rule.rule.after.replace('_', ' ')} ({rule.rule.source})")


def _by_action(rule: TenantRule, ids: list[int], today: dt.date) -> list[tuple[str, str, list[int]]]:
    """The records split by what is done to them: child welfare deposited, the rest as the rule
    says; invoices still in the bookkeeping period left out."""
    record_type = rule.rule.record_type
    if record_type == "invoice":
        kept = guards.invoices_in_bookkeeping_period(ids, today)
        ids = [i for i in ids if i not in kept]
    child_welfare: set[int] = set()
    if record_type == "case":
        child_welfare = guards.child_welfare_case_ids(ids)
    elif record_type == "person":
        child_welfare = guards.child_welfare_person_ids(ids)
    if rule.rule.action == "deposit":
        child_welfare = set()  # deposited anyway, under the rule's own reason
    groups = [("deposit", guards.CHILD_WELFARE_REASON, sorted(child_welfare)),
              (rule.rule.action, rule_reason(rule), [i for i in ids if i not in child_welfare])]
    return [group for group in groups if group[2]]


def approve(tenant: Tenant, plugins: PluginRegistry, proposal: RetentionProposal, user_id: int,
            today: dt.date) -> RetentionProposal:
    """One member's approval; the second member's carries the proposal out. A member cannot
    approve the same proposal twice, and a proposal carried out cannot be approved again (409)."""
    if proposal.status != "pending":
        raise Conflict(f"retention proposal {proposal.id} was carried out already")
    approvers = approver_ids(proposal)
    if user_id in approvers:
        raise Conflict(f"you have approved retention proposal {proposal.id} already: "
                       "a second member holding retention:approve must approve it")
    db.session.add(RetentionApproval(proposal_id=proposal.id, user_id=user_id))
    db.session.flush()
    audit.record("retention.approved", "retention_proposal", proposal.id, details={
        "rule": proposal.rule, "action": proposal.action, "approval": len(approvers) + 1})
    if len(approvers) + 1 >= APPROVALS_NEEDED:
        carry_out(tenant, plugins, proposal, [*approvers, user_id], today)
    return proposal


def approver_ids(proposal: RetentionProposal) -> list[int]:
    return list(db.session.scalars(sa.select(RetentionApproval.user_id).where(
        RetentionApproval.proposal_id == proposal.id).order_by(RetentionApproval.id)))
