"""The contacts at the centres and the citizens' consents — the tables of the contacts part.

A contact starts anonymous: it has no person and no case, only what help was given, by which
service, in what role the worker acted, and (for the evaluation) whether the citizen was known to
the municipality before and whether this was the first contact. An optional citizen code — a
pseudonym, never a national id — ties one citizen's anonymous contacts together. A consent is what
turns a citizen into a person with a case: it is dated, has a scope (what may be shared, and with
whom) and can be withdrawn (dated, with the reason).

Every table is tenant-owned (the toolkit's TenantOwned, and row-level security from the
migration). A contact with a person is person-linked by its ``person_id`` (velferd.read_audit
audits every read of it); an anonymous one is about no one. The migration is
``0003_dropin_contacts`` and must stay identical to these classes.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, SPECIAL, Base, TenantOwned, utcnow

#: A list of values (the help given, the consent's scope): JSON, JSONB on PostgreSQL (the
#: migration's `json_column`).
JsonList = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

CODE_MAX = 20
NOTE_MAX = 500


class Contact(Base, TenantOwned):
    """One contact at a centre; anonymous while `person_id` is None."""

    __tablename__ = "dropin_contact"
    __not_personal__ = ("service", "worker_role", "previously_known", "first_contact")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    contact_on: Mapped[dt.date]
    contact_at: Mapped[dt.time | None] = mapped_column(sa.Time)
    #: the kinds of help given (contacts.HELP_KINDS), one or more
    help: Mapped[list] = mapped_column(JsonList, info=SPECIAL)
    service: Mapped[str] = mapped_column(sa.String(30))
    #: "centre_staff" or "municipal_authority": the citizen must never be in doubt which
    worker_role: Mapped[str] = mapped_column(sa.String(30))
    previously_known: Mapped[str] = mapped_column(sa.String(10))
    first_contact: Mapped[str] = mapped_column(sa.String(10))
    #: a pseudonym (upper case), never a national id; ties anonymous contacts together
    citizen_code: Mapped[str | None] = mapped_column(sa.String(CODE_MAX), index=True, info=PERSONAL)
    note: Mapped[str | None] = mapped_column(sa.String(NOTE_MAX), info=SPECIAL)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __audit_person_link__ = "person_id"


class Consent(Base, TenantOwned):
    """A citizen's consent to be a person with a case of the plugin; in force until withdrawn."""

    __tablename__ = "dropin_consent"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    given_on: Mapped[dt.date]
    #: the citizen code whose anonymous contacts became the case's (None: no code); it stays the
    #: person's, so a later contact with it is linked while the consent is in force
    citizen_code: Mapped[str | None] = mapped_column(sa.String(CODE_MAX), index=True, info=PERSONAL)
    #: with whom what is recorded may be shared (consent.SCOPES), one or more
    scope: Mapped[list] = mapped_column(JsonList, info=PERSONAL)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    withdrawn_on: Mapped[dt.date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.String(NOTE_MAX), info=SPECIAL)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __audit_person_link__ = "person_id"
