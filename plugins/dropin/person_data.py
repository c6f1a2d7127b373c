"""The citizen's rows in the plugin's tables, for their data export (GDPR art. 15; the core's
``velferd_person_data`` hook).

The core's walk (`toolkit.person_rows`) finds every row that leads to the person by a foreign key:
their consents, the contacts linked to them, their statutory meetings. What it cannot find is a
contact made anonymously under the person's citizen code and never linked to them — one recorded
after the consent was withdrawn, say: it is about them (the code is their pseudonym), so it is
theirs to see. A code ties contacts to one citizen only (consent.give refuses another person's),
so nothing of anyone else comes with it.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import Person, db, exported_row, person_rows

from .contact_models import Consent, Contact


def rows_of(person: Person) -> dict[str, list[dict]]:
    found = person_rows(person, __package__)
    codes = set(db.session.scalars(sa.select(Consent.citizen_code).where(Consent.person_id == person.id,
                                                                        Consent.citizen_code.is_not(None))))
    if codes:
        anonymous = db.session.scalars(sa.select(Contact).where(Contact.citizen_code.in_(codes),
                                                                Contact.person_id.is_(None)).order_by(Contact.id))
        contacts = found.setdefault(Contact.__tablename__, [])
        known = {row["id"] for row in contacts}
        contacts.extend(exported_row(c, person.id) for c in anonymous if c.id not in known)
        if not contacts:
            del found[Contact.__tablename__]
    return found
