"""A case deposited to the archive is read-only in the live database: no transition, note,
meeting, deadline, form or plugin row on it may be written after its deposit (409 saying so).

Checked at the flush, for every case-linked row (velferd.person_links: the case itself and any
row with a ``case_id``), so a plugin's own writes are covered as the core's are. What is about
*access* to the case, not its content — a reasoned access grant ("breaking the glass") — stays
possible: reading the deposited case is still lawful.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from velferd.db import TenantSession
from velferd.errors import Conflict
from velferd.models import AccessGrant, Case
from velferd.retention.models import RetentionMark

#: rows about access to a case, not its record
NOT_THE_RECORD = (AccessGrant,)


#: in a session's info: the ids of cases created in its open transaction, which cannot have been
#: deposited yet — so a case being opened costs no query here (its journal's first row)
CREATED_HERE_KEY = "velferd_cases_created_here"


def _case_ids_written(session) -> set[int]:
    ids = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, NOT_THE_RECORD) or (obj in session.dirty and not session.is_modified(obj)):
            continue
        if isinstance(obj, Case):
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(getattr(obj, "case_id", None), int):
            ids.add(obj.case_id)
    return ids


@event.listens_for(TenantSession, "before_flush")
def _refuse_writes_to_deposited_cases(session, flush_context, instances) -> None:
    ids = _case_ids_written(session) - session.info.get(CREATED_HERE_KEY, set())
    if not ids:
        return
    with session.no_autoflush:
        deposited = sorted(session.scalars(sa.select(RetentionMark.record_id).where(
            RetentionMark.record_type == "case", RetentionMark.action == "deposit",
            RetentionMark.record_id.in_(ids))))
    if deposited:
        raise Conflict(f"case {deposited[0]} was deposited to the archive and can no longer be changed",
                       {"case_id": deposited})


@event.listens_for(TenantSession, "after_flush")
def _note_cases_created_here(session, flush_context) -> None:
    created = [obj.id for obj in session.new if isinstance(obj, Case)]
    if created:
        session.info.setdefault(CREATED_HERE_KEY, set()).update(created)


@event.listens_for(TenantSession, "after_transaction_end")
def _forget_cases_created_here(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CREATED_HERE_KEY, None)
