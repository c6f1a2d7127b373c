"""Schemas of a person's record, its corrections (GDPR art. 16) and the review of possible
duplicates. Kept beside api/schemas.py, whose person schemas they extend."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from velferd.api.fields import column_limits
from velferd.api.quick_dump import QuickDump
from velferd.api.schemas import Id, PersonCreateSchema, PersonSchema, Strict
from velferd.duplicates import MERGE_SIDES
from velferd.identity import mask_national_id
from velferd.models import Person
from velferd.models.people import DUPLICATE_STATUSES

#: a telephone number as people write it: digits, an optional leading +, spaces, dashes, brackets
PHONE = validate.Regexp(r"^\+?[0-9][0-9 ()-]{2,39}$", error="A telephone number: digits, and + ( ) - or spaces.")
REASON = validate.Length(min=1, max=2000)


class Annotated:
    """A record with a few more attributes for its response schema (what a request did with
    it), without setting them on the model."""

    def __init__(self, record, **extra):
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._record, name)


def not_blank(value: str) -> bool:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")
    return True


class ContactFields(Strict):
    """Optional contact details; None clears one."""

    phone = fields.String(allow_none=True, validate=PHONE)
    email = fields.Email(allow_none=True)
    address = fields.String(allow_none=True)


@column_limits(Person)
class PersonRegistrationSchema(PersonCreateSchema, ContactFields):
    """A person to register: national id, names and, optionally, contact details."""


@column_limits(Person)
class PersonCorrectionInputSchema(ContactFields):
    """Any of the correctable fields, and the reason (required)."""

    given_name = fields.String(validate=[validate.Length(min=1, max=200), not_blank])
    family_name = fields.String(validate=[validate.Length(min=1, max=200), not_blank])
    national_id = fields.String(metadata={
        "description": "a valid national id for the municipality's country; birth date and kind follow it"})
    reason = fields.String(required=True, validate=[REASON, not_blank],
                           metadata={"description": "why the person is corrected; kept with the history"})

    @ma.validates_schema
    def _something_to_correct(self, data, **kwargs):
        if not set(data) - {"reason"}:
            raise ma.ValidationError("give at least one field to correct", "_schema")


class PersonDetailSchema(PersonSchema):
    """One person, contact details and duplicate links included."""

    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    same_as_id = fields.Integer(allow_none=True)
    merged_into_id = fields.Integer(allow_none=True)


class PersonRegisteredSchema(PersonDetailSchema):
    possible_duplicates = fields.List(fields.Integer(), metadata={
        "description": "persons of the same name and birth date, flagged for review (the person is created)"})


class PersonCorrectedSchema(PersonDetailSchema):
    corrected_fields = fields.List(fields.String(), metadata={"description": "the fields this request changed"})
    possible_duplicates = fields.List(fields.Integer(), metadata={
        "description": "persons the corrected name or birth date now matches, flagged for review"})


class PersonCorrectionSchema(QuickDump):
    id = fields.Integer()
    person_id = fields.Integer()
    field = fields.String()
    old_value = fields.String(allow_none=True)
    new_value = fields.String(allow_none=True)
    reason = fields.String()
    corrected_by_id = fields.Integer(allow_none=True)
    at = fields.AwareDateTime()


class DuplicatePersonSchema(QuickDump):
    """What a reviewer compares: names, birth date, the national id masked to the birth date."""

    id = fields.Integer()
    given_name = fields.String()
    family_name = fields.String()
    birth_date = fields.Date()
    national_id = fields.Function(lambda person: mask_national_id(person.national_id))
    national_id_kind = fields.String()
    created_at = fields.AwareDateTime()


class PossibleDuplicateSchema(QuickDump):
    id = fields.Integer()
    person_id = fields.Integer()
    candidate_id = fields.Integer()
    status = fields.String(metadata={"enum": list(DUPLICATE_STATUSES)})
    note = fields.String(allow_none=True)
    reviewed_by_id = fields.Integer(allow_none=True)
    reviewed_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class PossibleDuplicateReviewSchema(PossibleDuplicateSchema):
    """A flag in the review list, with the two persons side by side."""

    person = fields.Nested(DuplicatePersonSchema)
    candidate = fields.Nested(DuplicatePersonSchema)


class DuplicateListQuery(Strict):
    status = fields.String(load_default="open", validate=validate.OneOf(DUPLICATE_STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after_id = Id(load_default=0)


class DismissSchema(Strict):
    note = fields.String(required=True, validate=[REASON, not_blank],
                         metadata={"description": "why these are two people"})


class LinkSchema(Strict):
    note = fields.String(allow_none=True, load_default=None, validate=REASON)


class MergeSchema(Strict):
    keep = fields.String(load_default="candidate", validate=validate.OneOf(MERGE_SIDES), metadata={
        "description": "which record survives: the earlier one (candidate, the default) or the flagged person"})
    note = fields.String(allow_none=True, load_default=None, validate=REASON)


class MovedRowsSchema(QuickDump):
    table = fields.String()
    column = fields.String()
    ids = fields.List(fields.Integer(), metadata={"description": "the rows now pointing at the surviving person"})


class MergedSchema(PossibleDuplicateSchema):
    moved = fields.List(fields.Nested(MovedRowsSchema))
