"""Two records of one citizen: flagged for a person to review, never merged by the machine.

A person registered (or corrected) whose given and family name — trimmed, in any case — and
birth date match another person of the municipality is still created, and a `PossibleDuplicate`
is opened for the pair: a D-number given at the first contact and a fødselsnummer later, or a
typo in a number, make two records of one human being. A reviewer then

* **dismisses** it (two people after all), with a note;
* **links** the pair (the same person, both records kept and used: ``Person.same_as_id``); or
* **merges** it: every row that points at the duplicate through a foreign key to ``person.id``
  — the core's tables and every plugin's, found from the SQLAlchemy metadata, so a plugin's new
  table is covered the day it is added — is moved to the surviving person. The merged person's
  row is kept, marked ``merged_into_id``, and each moved table leaves a `PersonCorrection` on the
  survivor, so the history of both is kept. A model says ``__kept_on_merge__ = True`` when its
  rows stay with the person they were written about (the history itself).

The lookups here must find persons whoever asks: the duplicate may lie outside the registering
caseworker's need to know (velferd.need_to_know), and a merge must move every row, not the
ones the reviewer may see. So they query the core tables (``Model.__table__``) with an explicit
``tenant_id`` filter for the current tenant instead of the ORM's scoped queries.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from velferd import audit
from velferd.corrections import record_correction
from velferd.auth import current_user
from velferd.db import Base, db, utcnow
from velferd.errors import Conflict, NotFound
from velferd.models import Person
from velferd.models.people import PossibleDuplicate
from velferd.tenancy import current_tenant_id, get_owned

MERGE_SIDES = ("candidate", "person")


def name_key(given_name: str, family_name: str) -> tuple[str, str]:
    """How names are compared: trimmed, inner spaces collapsed, case folded (Unicode-aware, so
    "ÆRLIG" is "ærlig" on every database — the comparison is done here, not in SQL)."""
    return " ".join(given_name.split()).casefold(), " ".join(family_name.split()).casefold()


def matching_persons(person: Person) -> list[int]:
    """The ids of the tenant's other persons with the same names and birth date, merged ones
    left out. Every person of the tenant is searched, whoever asks (see the module's docstring)."""
    table = Person.__table__
    rows = db.session.execute(sa.select(table.c.id, table.c.given_name, table.c.family_name).where(
        table.c.tenant_id == current_tenant_id(), table.c.birth_date == person.birth_date,
        table.c.id != person.id, table.c.merged_into_id.is_(None)).order_by(table.c.id))
    key = name_key(person.given_name, person.family_name)
    return [row.id for row in rows if name_key(row.given_name, row.family_name) == key]


def _already_paired(person_id: int, candidates: list[int]) -> set[int]:
    """Candidates that already have a flag with this person, either way round, of any status:
    a pair once dismissed is not raised again by a later correction."""
    table = PossibleDuplicate.__table__
    rows = db.session.execute(sa.select(table.c.person_id, table.c.candidate_id).where(
        table.c.tenant_id == current_tenant_id(),
        sa.or_(sa.and_(table.c.person_id == person_id, table.c.candidate_id.in_(candidates)),
               sa.and_(table.c.candidate_id == person_id, table.c.person_id.in_(candidates)))))
    return {other for pair in rows for other in pair if other != person_id}


def flag_matches(person: Person) -> list[PossibleDuplicate]:
    """Open a flag for each new match of `person` (audited on the person's log)."""
    candidates = matching_persons(person)
    if not candidates:
        return []
    known = _already_paired(person.id, candidates)
    flags = [PossibleDuplicate(person_id=person.id, candidate_id=c, status="open") for c in candidates
             if c not in known]
    db.session.add_all(flags)
    db.session.flush()
    for flag in flags:
        audit.record("possible_duplicate.flagged", "possible_duplicate", flag.id, person_id=person.id,
                     details={"candidate_id": flag.candidate_id})
    return flags


def list_flags(status: str = "open", *, limit: int = 50, after_id: int = 0) -> list[PossibleDuplicate]:
    """A page of the tenant's flags with this status, oldest first, with both persons loaded.

    Through the ORM, so within the reviewer's need to know (velferd.need_to_know): a flag is
    listed only when the reviewer may see *both* persons (the joins drop the others) — the review
    is a comparison, and one side of it must not be shown to someone with no need to know it."""
    visible = sa.select(Person.id)  # the ORM's criteria apply inside the subquery too
    return list(db.session.scalars(
        sa.select(PossibleDuplicate)
        .where(PossibleDuplicate.status == status, PossibleDuplicate.id > after_id,
               PossibleDuplicate.person_id.in_(visible), PossibleDuplicate.candidate_id.in_(visible))
        .options(selectinload(PossibleDuplicate.person), selectinload(PossibleDuplicate.candidate))
        .order_by(PossibleDuplicate.id).limit(limit)))


def _open_flag(flag_id: int) -> PossibleDuplicate:
    flag = get_owned(PossibleDuplicate, flag_id)
    if flag is None:
        raise NotFound(f"no possible duplicate {flag_id}")
    if flag.status != "open":
        raise Conflict(f"possible duplicate {flag_id} was already reviewed ({flag.status})", {"status": flag.status})
    return flag


def _person(person_id: int) -> Person:
    """A person of the flag, within the reviewer's need to know like the list (404 otherwise);
    what a merge then moves is every row, whoever merges (`_move_rows`)."""
    person = get_owned(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    return person


def _reviewed(flag: PossibleDuplicate, status: str, note: str | None) -> None:
    user = current_user()
    flag.status, flag.note, flag.reviewed_at = status, note, utcnow()
    flag.reviewed_by_id = user.id if user else None


def dismiss(flag_id: int, note: str) -> PossibleDuplicate:
    """Two people after all: the flag is closed with the reviewer's note; nothing else changes."""
    flag = _open_flag(flag_id)
    _reviewed(flag, "dismissed", note)
    db.session.flush()
    audit.record("possible_duplicate.dismissed", "possible_duplicate", flag.id, person_id=flag.person_id,
                 details={"candidate_id": flag.candidate_id})
    return flag


def link(flag_id: int, note: str | None = None) -> PossibleDuplicate:
    """The same human being, both records kept: the flagged person points at the candidate
    (``same_as_id``), the change kept as a correction."""
    flag = _open_flag(flag_id)
    person, candidate = _person(flag.person_id), _person(flag.candidate_id)
    for one in (person, candidate):
        if one.merged_into_id is not None:
            raise Conflict(f"person {one.id} was merged into person {one.merged_into_id}",
                           {"merged_into_id": one.merged_into_id})
    reason = _reason(f"linked as the same person as person {candidate.id} (possible duplicate {flag.id})", note)
    record_correction(person, "same_as_id", person.same_as_id, candidate.id, reason)
    person.same_as_id = candidate.id
    _reviewed(flag, "linked", note)
    db.session.flush()
    for one, other in ((person, candidate), (candidate, person)):
        audit.record("person.linked", "person", one.id, person_id=one.id,
                     details={"same_as": other.id, "duplicate_id": flag.id})
    return flag


def person_references() -> list[sa.Column]:
    """Every column of every mapped table (core and plugins) that is a foreign key to
    ``person.id``, except in models that keep their rows on merge (``__kept_on_merge__``)."""
    found = []
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__kept_on_merge__", False) or mapper.class_ is Person:
            continue
        for column in mapper.local_table.columns:
            if any(key.column is Person.__table__.c.id for key in column.foreign_keys):
                found.append(column)
    return sorted(found, key=lambda c: (c.table.name, c.name))


def merge(flag_id: int, keep: str = "candidate", note: str | None = None) -> tuple[PossibleDuplicate, dict]:
    """Merge the pair into the person `keep` names (the earlier record, the candidate, by
    default), in the caller's transaction. Returns the flag and ``{"table.column": [row ids]}``
    of what moved."""
    flag = _open_flag(flag_id)
    survivor_id, merged_id = ((flag.candidate_id, flag.person_id) if keep == "candidate"
                              else (flag.person_id, flag.candidate_id))
    survivor, merged = _person(survivor_id), _person(merged_id)
    for one in (survivor, merged):
        if one.merged_into_id is not None:
            raise Conflict(f"person {one.id} was merged into person {one.merged_into_id}",
                           {"merged_into_id": one.merged_into_id})
    reason = _reason(f"merged person {merged.id} into person {survivor.id} (possible duplicate {flag.id})", note)
    moved = _move_rows(merged.id, survivor.id)
    for place, ids in moved.items():
        record_correction(survivor, place, merged.id, survivor.id,
                                 f"{reason}; rows moved: {', '.join(map(str, ids))}")
    record_correction(merged, "merged_into_id", None, survivor.id, reason)
    merged.merged_into_id = survivor.id
    _reviewed(flag, "merged", note)
    db.session.flush()
    details = {"merged": merged.id, "merged_into": survivor.id, "duplicate_id": flag.id, "moved": sorted(moved)}
    for one in (survivor, merged):
        audit.record("person.merged", "person", one.id, person_id=one.id, details=details)
    return flag, moved


def _move_rows(from_id: int, to_id: int) -> dict[str, list[int]]:
    """Point every referencing row of this tenant at `to_id` (core-table statements with an
    explicit tenant filter: every row moves, whoever merges)."""
    db.session.flush()
    moved: dict[str, list[int]] = {}
    tenant_id = current_tenant_id()
    present = set(sa.inspect(db.session.connection()).get_table_names())
    for column in person_references():
        table = column.table
        if table.name not in present:  # a plugin's model imported, its tables not installed here: no rows
            continue
        if "tenant_id" not in table.c:
            raise RuntimeError(f"{table.name} refers to persons but is no tenant's table")
        where = sa.and_(column == from_id, table.c.tenant_id == tenant_id)
        key = next(iter(table.primary_key.columns))
        ids = list(db.session.scalars(sa.select(key).where(where).order_by(key)))
        if ids:
            db.session.execute(sa.update(table).where(where).values({column.name: to_id}))
            moved[f"{table.name}.{column.name}"] = ids
    if moved:
        db.session.expire_all()  # ORM copies of moved rows must be read again
    return moved


def _reason(what: str, note: str | None) -> str:
    return f"{what}: {note}" if note else what

