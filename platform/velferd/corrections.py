"""A person's correction history (GDPR art. 16): one row per changed field, with the old and
new value, the reason and who corrected it — never edited, so what was once recorded can always
be shown, and an auditor sees who changed a national id and why. A retention disposal may
anonymise the values (velferd.personal_data.anonymising); nothing else may change or delete them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from velferd.auth import current_user
from velferd.db import TenantSession, db
from velferd.errors import NotFound
from velferd.models import Person
from velferd.models.people import PersonCorrection
from velferd.personal_data import is_anonymising
from velferd.tenancy import get_owned


def record_correction(person: Person, field: str, old: Any, new: Any, reason: str) -> PersonCorrection:
    """Add one history row (values as text; None stays None)."""
    user = current_user()
    correction = PersonCorrection(
        person_id=person.id, field=field, old_value=None if old is None else str(old),
        new_value=None if new is None else str(new), reason=reason, corrected_by_id=user.id if user else None)
    db.session.add(correction)
    return correction


def corrections_of(person_id: int) -> list[PersonCorrection]:
    """The person's correction history, oldest first; 404 for a person of no record here."""
    if get_owned(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    return list(db.session.scalars(sa.select(PersonCorrection).where(PersonCorrection.person_id == person_id)
                                   .order_by(PersonCorrection.id)))

class CorrectionsAreKept(RuntimeError):
    pass


@event.listens_for(TenantSession, "before_flush")
def _refuse_changes_to_corrections(session, flush_context, instances) -> None:
    """A correction is history: once written it is never changed or deleted — but for its
    personal values, which a retention disposal anonymises with the person's other rows
    (velferd.personal_data.anonymising)."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, PersonCorrection) and (obj in session.deleted or (
                session.is_modified(obj) and not is_anonymising(session))):
            raise CorrectionsAreKept("person corrections are never changed or deleted")
