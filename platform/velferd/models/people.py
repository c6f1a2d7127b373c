"""Citizens: the subjects of cases. Their data is sensitive; every read is audited.

A person is corrected, never silently rewritten: each changed field leaves a `PersonCorrection`
(GDPR art. 16, the history kept). Two records of one human being (a D-number and later a
fødselsnummer) are flagged as a `PossibleDuplicate` for a person to review, never merged by the
machine; a confirmed pair is linked (`Person.same_as_id`) or merged (`Person.merged_into_id`:
the record is kept, its rows moved to the survivor) — see velferd.duplicates.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from velferd.db import Base, TenantOwned, Timestamped, utcnow
from velferd.personal_data import PERSONAL, SPECIAL


class Person(Base, TenantOwned, Timestamped):
    __tablename__ = "person"
    __not_personal__ = ("national_id_kind",)  # a code: fnr, dnr or cpr (velferd.personal_data)
    id: Mapped[int] = mapped_column(primary_key=True)
    national_id: Mapped[str] = mapped_column(sa.String(11), info=PERSONAL)
    national_id_kind: Mapped[str] = mapped_column(sa.String(3))
    birth_date: Mapped[dt.date] = mapped_column(info=PERSONAL)
    given_name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    family_name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    phone: Mapped[str | None] = mapped_column(sa.String(40), info=PERSONAL)
    email: Mapped[str | None] = mapped_column(sa.String(254), info=PERSONAL)
    address: Mapped[str | None] = mapped_column(sa.String(500), info=PERSONAL)
    #: confirmed to be the same human being as that person; both records are kept
    same_as_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    #: merged into that person: this record's rows were moved there; the record itself is kept
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "national_id"),)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonCorrection(Base, TenantOwned):
    """One changed field of a person, with its old and new value, the reason and who changed it
    (GDPR art. 16). Written once, never changed (velferd.people refuses it). A merge writes one
    per table whose rows it moved (`field` ``"<table>.<column>"``, the person ids as values)."""

    __tablename__ = "person_correction"
    __audit_person_link__ = "person_id"
    __kept_on_merge__ = True  # the history of the person it was written about (velferd.duplicates)
    __not_personal__ = ("field",)  # a column's name
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(120))
    old_value: Mapped[str | None] = mapped_column(sa.Text, info=PERSONAL)
    new_value: Mapped[str | None] = mapped_column(sa.Text, info=PERSONAL)
    reason: Mapped[str] = mapped_column(sa.Text, info=SPECIAL)  # free text a caseworker wrote
    corrected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


DUPLICATE_STATUSES = ("open", "linked", "merged", "dismissed")


class PossibleDuplicate(Base, TenantOwned, Timestamped):
    """A newly registered (or corrected) `person` whose name and birth date match an existing
    `candidate` of the tenant: open until a person reviews it (velferd.duplicates)."""

    __tablename__ = "possible_duplicate"
    __audit_person_link__ = "person_id"
    __kept_on_merge__ = True  # the review's own record
    __not_personal__ = ("status",)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    reviewed_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)  # free text a caseworker wrote

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="raise_on_sql")
    candidate: Mapped[Person] = relationship(foreign_keys=[candidate_id], lazy="raise_on_sql")

    __table_args__ = (
        sa.CheckConstraint(f"status in {DUPLICATE_STATUSES!r}", name="status"),
    )
