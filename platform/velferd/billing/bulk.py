"""Writing a batch of invoices' lines with a fixed, small number of round trips.

On PostgreSQL the lines are streamed with ``COPY`` into a temporary staging table (one per
connection, emptied at every commit) and moved into ``invoice_line`` with one
``INSERT … SELECT``. ``COPY`` cannot go into ``invoice_line`` itself — PostgreSQL refuses
``COPY FROM`` into a table with row-level security — but the ``INSERT`` is checked by the
table's policy like any other, so the staging step bypasses nothing. It is what makes a batch
of thousands of lines cheap: ``COPY`` formats rows in psycopg's C code, where one array
parameter per column (``unnest``) cost about a microsecond per value in Python. Elsewhere
(SQLite) it is an ordinary executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from velferd.db import db
from velferd.models import InvoiceLine

# the columns of a line row, in order; each row is (tenant id, invoice id, *PricedLine)
COLUMNS = ("tenant_id", "invoice_id", "position", "description", "quantity", "unit_price", "amount",
           "period_start", "period_end", "case_id", "case_reference", "line_key")
STAGING = "invoice_line_staging"
CREATE_STAGING = sa.text(
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (tenant_id integer, invoice_id integer, position integer, "
    "description text, quantity numeric, unit_price numeric, amount numeric, period_start date, period_end date, "
    "case_id integer, case_reference text, line_key text) ON COMMIT DELETE ROWS")
COPY_TO_STAGING = f"COPY {STAGING} ({', '.join(COLUMNS)}) FROM STDIN"
MOVE_FROM_STAGING = sa.text(
    f"INSERT INTO invoice_line ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {STAGING}")


def insert_lines(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert line rows (tuples in `COLUMNS` order) in the current transaction."""
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(InvoiceLine.__table__.insert(), [dict(zip(COLUMNS, row, strict=True)) for row in rows])
        return
    connection = db.session.connection()
    connection.execute(CREATE_STAGING)  # a no-op but for a connection's first batch
    with connection.connection.dbapi_connection.cursor() as cursor:
        with cursor.copy(COPY_TO_STAGING) as copy:
            for row in rows:
                copy.write_row(row)
    connection.execute(MOVE_FROM_STAGING)
