"""What no retention rule can override, as checks that refuse a declaration, a tenant's
adjustment or a disposal that would break it.

* **Child welfare is deposited, never deleted or anonymised away**: arkivlova and Riksarkivarens
  forskrift kap. 7 say child-welfare case files (barnevernssaker) are kept and deposited
  (avlevert) to the archive depot. A case whose referring unit, or holding unit, is a child
  welfare office (unit kind ``child_welfare``) — DUE youths referred by barnevernet among them —
  is deposited whatever its rule says; so is a person with such a case.
* **Records on hold or under appeal are skipped** (`velferd.retention.models.RetentionHold`):
  a hold on a person holds their cases, a hold on a case holds its person.
* **Bookkeeping is kept for its period**: bokføringsloven § 13 (Norway) and bogføringsloven § 12
  (Denmark) keep accounting records five years after the end of the financial year. No invoice
  rule may be shorter, and no invoice is disposed of before the period ends, whatever the rule.
* **The audit log itself is never disposed of**: no rule may name it, and a case's disposal never
  touches it (nor the invoices that bill the case, which have their own rule).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.db import db
from velferd.models import Case, Invoice, Unit
from velferd.plugins.specs import RetentionRule
from velferd.retention.models import RetentionHold

BOOKKEEPING_YEARS = 5
BOOKKEEPING_LAW = ("bokføringsloven § 13 / bogføringsloven § 12 keep invoices 5 years after the end of "
                   "the financial year")
CHILD_WELFARE = "child_welfare"
CHILD_WELFARE_REASON = ("child welfare: deposited, not deleted (arkivlova; Riksarkivarens forskrift kap. 7 — "
                        "barnevernssaker skal bevares og avleveres)")

#: record type → (the event its period counts from, the actions a rule may take)
RECORD_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "case": ("case_closed", frozenset({"anonymise", "deposit"})),
    "person": ("last_case_closed", frozenset({"anonymise", "deposit"})),
    "invoice": ("financial_year_end", frozenset({"anonymise"})),
    "reminder_mail": ("recorded", frozenset({"delete"})),
}
#: what no rule may ever name: the audit trail and the disposal log
NEVER_DISPOSED = frozenset({"audit", "audit_event", "operator_audit_event", "login_event", "retention_disposal"})


def declaration_errors(rule: RetentionRule) -> list[str]:
    """Why a declared rule is refused (none: it may be declared)."""
    if rule.record_type in NEVER_DISPOSED:
        return [f"the audit log ({rule.record_type}) is never disposed of"]
    if rule.record_type not in RECORD_TYPES:
        return [f"record_type must be one of {sorted(RECORD_TYPES)}, not {rule.record_type!r}"]
    event, actions = RECORD_TYPES[rule.record_type]
    errors = []
    if rule.after != event:
        errors.append(f"a {rule.record_type} rule counts from {event!r}, not {rule.after!r}")
    if rule.action not in actions:
        errors.append(f"a {rule.record_type} may be {' or '.join(sorted(actions))}ed, not {rule.action}ed")
    if rule.record_type == "invoice" and rule.min_years < BOOKKEEPING_YEARS:
        errors.append(f"min_years {rule.min_years} is shorter than the law allows: {BOOKKEEPING_LAW}")
    return errors + period_errors(rule, rule.years)


def period_errors(rule: RetentionRule, years: int) -> list[str]:
    """Why `years` cannot be the period of `rule` (none: it can)."""
    errors = []
    if not rule.min_years <= years <= rule.max_years:
        errors.append(f"must be between {rule.min_years} and {rule.max_years} years ({rule.source})")
    if rule.record_type == "invoice" and years < BOOKKEEPING_YEARS:
        errors.append(f"must be at least {BOOKKEEPING_YEARS} years: {BOOKKEEPING_LAW}")
    return errors


def child_welfare_case_ids(case_ids: list[int]) -> set[int]:
    """The cases among `case_ids` referred by, or held by, a child welfare unit."""
    if not case_ids:
        return set()
    child_welfare_units = sa.select(Unit.id).where(Unit.kind == CHILD_WELFARE)
    return set(db.session.scalars(sa.select(Case.id).where(
        Case.id.in_(case_ids),
        sa.or_(Case.referring_unit_id.in_(child_welfare_units), Case.unit_id.in_(child_welfare_units)))))


def child_welfare_person_ids(person_ids: list[int]) -> set[int]:
    """The persons among `person_ids` with at least one child-welfare case."""
    if not person_ids:
        return set()
    cases = dict(db.session.execute(sa.select(Case.id, Case.person_id).where(Case.person_id.in_(person_ids))).all())
    return {cases[case_id] for case_id in child_welfare_case_ids(list(cases))}


def held_ids(record_type: str, ids: list[int]) -> set[int]:
    """The records among `ids` (of `record_type`) that a standing hold covers."""
    if not ids:
        return set()
    standing = sa.select(RetentionHold.record_type, RetentionHold.record_id).where(RetentionHold.released_at.is_(None))
    holds = {(kind, record_id) for kind, record_id in db.session.execute(standing)}
    if not holds:
        return set()
    held = {i for i in ids if (record_type, i) in holds}
    if record_type == "case":
        persons = dict(db.session.execute(sa.select(Case.id, Case.person_id).where(Case.id.in_(ids))).all())
        held |= {i for i in ids if ("person", persons.get(i)) in holds}
    elif record_type == "person":
        cases = db.session.execute(sa.select(Case.id, Case.person_id).where(Case.person_id.in_(ids))).all()
        held |= {person_id for case_id, person_id in cases if ("case", case_id) in holds}
    return held


def bookkeeping_kept_until(issue_date: dt.date) -> dt.date:
    """The last day an invoice issued on `issue_date` must be kept (the financial year is the
    calendar year: 31 December of the fifth year after it)."""
    return dt.date(issue_date.year + BOOKKEEPING_YEARS, 12, 31)


def invoices_in_bookkeeping_period(ids: list[int], today: dt.date) -> set[int]:
    """The invoices among `ids` still within the bookkeeping period on `today` (drafts, which
    have no issue date yet, always)."""
    if not ids:
        return set()
    rows = db.session.execute(sa.select(Invoice.id, Invoice.issue_date).where(Invoice.id.in_(ids))).all()
    return {i for i, issued in rows if issued is None or today <= bookkeeping_kept_until(issued)}
