"""Gapless invoice numbers, one series per tenant, shared by invoices and credit notes.

Numbers are taken in the very transaction that issues the invoices, by one statement that
creates the tenant's series on its first use and otherwise advances it: ``INSERT … ON CONFLICT
(tenant_id) DO UPDATE SET next_number = next_number + n RETURNING next_number`` — one round trip
for a whole batch of the invoice run, which gets ``n`` consecutive numbers. The update takes the
row lock that ``SELECT … FOR UPDATE`` would (and two first uses meet on the unique index): a
second issuer waits for the first to commit or roll back, then reads the number after it. A
rollback or a crash undoes the increment together with the invoices, so no number is ever lost
or given twice. (SQLite, the embedded default, has a single writer, which serialises issuers
the same way.)
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.db import db
from velferd.tenancy import require_tenant

# plain SQL that both PostgreSQL and SQLite (3.35+) run; a dialect's ON CONFLICT construct
# would be compiled again on every call
ADVANCE = sa.text(
    "INSERT INTO invoice_number_sequence (tenant_id, next_number) VALUES (:tenant_id, 1 + :count) "
    "ON CONFLICT (tenant_id) DO UPDATE SET next_number = invoice_number_sequence.next_number + :count "
    "RETURNING next_number")


def take_number() -> int:
    """The next number of the tenant in scope; it is used once this transaction commits."""
    return take_numbers(1)[0]


def take_numbers(count: int) -> list[int]:
    """`count` consecutive numbers of the tenant in scope, in one round trip; used once this
    transaction commits. A count of 0 takes none and locks nothing."""
    if count <= 0:
        return []
    after = db.session.execute(ADVANCE, {"tenant_id": require_tenant().id, "count": count}).scalar_one()
    return list(range(after - count, after))
