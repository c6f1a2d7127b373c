"""Which records a rule finds due on a given day of the tenant's calendar, and which rows make
up a record (a case is its row and every row that carries its ``case_id``).

These queries must see every record of the tenant, whoever the member in the request is (an
approver's need-to-know scope must not hide a case from its own disposal): they run in the job
(no member) and in the approval request, and velferd.need_to_know's criteria must not apply here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from velferd.clock import tenant_zone
from velferd.db import Base, db
from velferd.models import Case, Invoice, InvoiceLine, Person, ReminderMail, Tenant
from velferd.person_links import person_link
from velferd.retention.models import RetentionMark, RetentionProposal
from velferd.retention.rules import TenantRule

#: a mark on a record still in the database (anonymised or deposited); a deleted one is gone, and
#: its id may be taken again by a new row (SQLite reuses the highest)
KEPT_MARK = RetentionMark.action != "delete"
#: the model of each record type
MODELS: dict[str, type] = {"case": Case, "person": Person, "invoice": Invoice, "reminder_mail": ReminderMail}
#: rows that carry a case_id but are not the case's to dispose of: bookkeeping has its own rule,
#: the audit trail and retention's own tables are never disposed of with a case
NOT_A_CASES_ROWS = frozenset({"invoice_line", "audit_event", "operator_audit_event"})


def years_after(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` calendar years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def local_date(tenant: Tenant, moment: dt.datetime) -> dt.date:
    return moment.astimezone(tenant_zone(tenant)).date()


def due_ids(tenant: Tenant, rule: TenantRule, case_rule_plugins: set[str], today: dt.date) -> list[int]:
    """The ids of the records `rule` finds due on `today`, leaving out those already anonymised
    or deposited and those in a pending proposal."""
    found = FINDERS[rule.rule.record_type](tenant, rule, case_rule_plugins, today)
    return sorted(set(found) - disposed_or_proposed(rule.rule.record_type))


def still_due(tenant: Tenant, rule: TenantRule, case_rule_plugins: set[str], ids: list[int],
              today: dt.date) -> set[int]:
    """Those of `ids` that `rule` finds due on `today` and that were not disposed of since."""
    finder = FINDERS[rule.rule.record_type]
    marked = set(db.session.scalars(sa.select(RetentionMark.record_id).where(
        RetentionMark.record_type == rule.rule.record_type, RetentionMark.record_id.in_(ids), KEPT_MARK)))
    return (set(finder(tenant, rule, case_rule_plugins, today)) & set(ids)) - marked


def disposed_or_proposed(record_type: str) -> set[int]:
    marked = set(db.session.scalars(sa.select(RetentionMark.record_id).where(
        RetentionMark.record_type == record_type, KEPT_MARK)))
    for ids in db.session.scalars(sa.select(RetentionProposal.record_ids).where(
            RetentionProposal.record_type == record_type, RetentionProposal.status == "pending")):
        marked.update(ids)
    return marked


def _due_cases(tenant, rule: TenantRule, case_rule_plugins: set[str], today: dt.date) -> Iterable[int]:
    """Closed cases of the rule's plugin (the core's rule: of every plugin without a case rule)."""
    stmt = sa.select(Case.id, Case.closed_at).where(Case.closed_at.is_not(None))
    if rule.plugin is not None:
        stmt = stmt.where(Case.plugin == rule.plugin)
    elif case_rule_plugins:
        stmt = stmt.where(Case.plugin.not_in(sorted(case_rule_plugins)))
    return [i for i, closed in db.session.execute(stmt) if years_after(local_date(tenant, closed), rule.years) <= today]


def _due_persons(tenant, rule: TenantRule, case_rule_plugins, today: dt.date) -> Iterable[int]:
    """Persons with no open case, counted from their last case closed (or, with none, from
    when they were registered)."""
    last_closed = (sa.select(Case.person_id, sa.func.max(Case.closed_at).label("closed"),
                             sa.func.count().label("cases"), sa.func.count(Case.closed_at).label("closed_cases"))
                   .group_by(Case.person_id).subquery())
    rows = db.session.execute(
        sa.select(Person.id, Person.created_at, last_closed.c.closed, last_closed.c.cases, last_closed.c.closed_cases)
        .outerjoin(last_closed, last_closed.c.person_id == Person.id))
    due = []
    for person_id, created, closed, cases, closed_cases in rows:
        if cases and cases != closed_cases:
            continue  # an open case: kept
        since = closed if cases else created
        if years_after(local_date(tenant, since), rule.years) <= today:
            due.append(person_id)
    return due


def _due_invoices(tenant, rule: TenantRule, case_rule_plugins, today: dt.date) -> Iterable[int]:
    """Issued invoices and credit notes whose financial year ended `years` years ago."""
    rows = db.session.execute(sa.select(Invoice.id, Invoice.issue_date).where(Invoice.issue_date.is_not(None)))
    return [i for i, issued in rows if dt.date(issued.year + rule.years, 12, 31) < today]


def _due_reminder_mails(tenant, rule: TenantRule, case_rule_plugins, today: dt.date) -> Iterable[int]:
    rows = db.session.execute(sa.select(ReminderMail.id, ReminderMail.sent_on))
    return [i for i, sent in rows if years_after(sent, rule.years) <= today]


FINDERS = {"case": _due_cases, "person": _due_persons, "invoice": _due_invoices,
           "reminder_mail": _due_reminder_mails}


def models_referring_to(column_name: str, table_name: str) -> list[type]:
    """Every model (the core's and the plugins' imported so far) with a `column_name` column
    referencing `table_name` — except bookkeeping, the audit trail, cases (a person's cases have
    their own rule) and retention's own tables."""
    found = []
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        column = table.c.get(column_name)
        if (column is None or table.name in NOT_A_CASES_ROWS or table.name == "case_file"
                or table.name.startswith("retention_")):
            continue
        if any(fk.column.table.name == table_name for fk in column.foreign_keys):
            found.append(mapper.class_)
    return sorted(found, key=lambda model: model.__tablename__)


#: which rows belong to a record of each type beside its own: (column, the table it references)
PARTS = {"case": ("case_id", "case_file"), "person": ("person_id", "person"), "invoice": ("invoice_id", "invoice")}


def present_tables() -> set[str]:
    """The tables this database has (a plugin imported in the process need not be migrated here)."""
    return set(sa.inspect(db.session.connection()).get_table_names())


def rows_of(record_type: str, record_id: int) -> list[tuple[str, object]]:
    """The rows that make up one record, its own row first: (table, row). A case's are every row
    carrying its ``case_id`` (the plugins' tables included); a person's every row carrying their
    ``person_id`` but their cases; an invoice's its lines."""
    model = MODELS[record_type]
    row = db.session.get(model, record_id)
    if row is None:
        return []
    rows: list[tuple[str, object]] = [(model.__tablename__, row)]
    if record_type in PARTS:
        column, table = PARTS[record_type]
        present = present_tables()
        parts = [InvoiceLine] if record_type == "invoice" else models_referring_to(column, table)
        for part in parts:
            if part.__tablename__ in present:
                rows.extend((part.__tablename__, r) for r in db.session.scalars(
                    sa.select(part).where(getattr(part, column) == record_id).order_by(part.id)))
        if record_type != "invoice":
            rows.extend(_further_rows(rows, present))
    return rows


def _further_rows(found: list[tuple[str, object]], present: set[str]) -> list[tuple[str, object]]:
    """Rows further from the record, found by the same foreign keys the read audit follows
    (velferd.person_links): an aftercare plan's goals under the plan on the case, a complaint under
    a forum decision … — step by step until a step finds nothing new."""
    by_model: dict[type, set[int]] = {}
    for _, row in found:
        by_model.setdefault(type(row), set()).add(row.id)
    further: list[tuple[str, object]] = []
    frontier = dict(by_model)
    while frontier:
        step: dict[type, set[int]] = {}
        for mapper in Base.registry.mappers:
            model = mapper.class_
            table = mapper.local_table.name
            link = person_link(model)
            if (link is None or link.target not in frontier or table not in present or table in NOT_A_CASES_ROWS
                    or table == "case_file" or table.startswith("retention_") or model is Person):
                continue
            known = by_model.get(model, set())
            for row in db.session.scalars(sa.select(model).where(
                    getattr(model, link.column).in_(frontier[link.target])).order_by(model.id)):
                if row.id not in known:
                    step.setdefault(model, set()).add(row.id)
                    further.append((table, row))
        for model, ids in step.items():
            by_model.setdefault(model, set()).update(ids)
        frontier = step
    return further


def person_of(record_type: str, row: object) -> int | None:
    """The person a record is about, for its audit row."""
    if record_type == "person":
        return row.id
    return getattr(row, "person_id", None)
