"""Gapless invoice numbers, one series per tenant, shared by invoices and credit notes.

A number is taken by ``UPDATE invoice_number_sequence SET next_number = next_number + 1 …
RETURNING`` in the very transaction that issues the invoice. The UPDATE takes the row lock
that ``SELECT … FOR UPDATE`` would, in one round trip: a second issuer waits for the first to
commit or roll back, then reads the number after it. A rollback or a crash undoes the increment
together with the invoice, so no number is ever lost or given twice. (SQLite, the embedded
default, has a single writer, which serialises issuers the same way.)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from velferd.db import db
from velferd.models import InvoiceNumberSequence
from velferd.tenancy import require_tenant


def take_number() -> int:
    """The next number of the tenant in scope; it is used once this transaction commits."""
    taken = db.session.execute(
        sa.update(InvoiceNumberSequence)
        .values(next_number=InvoiceNumberSequence.next_number + 1)
        .returning(InvoiceNumberSequence.next_number)
        .execution_options(synchronize_session=False)
    ).scalar()
    if taken is None:
        _create_sequence()
        return take_number()
    return taken - 1


def _create_sequence() -> None:
    """The tenant's first invoice creates its series (concurrent first invoices: one insert wins)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(InvoiceNumberSequence.__table__)
        .values(tenant_id=require_tenant().id, next_number=1)
        .on_conflict_do_nothing(index_elements=["tenant_id"])
    )
