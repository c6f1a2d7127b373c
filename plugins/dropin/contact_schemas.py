"""Request and response schemas of the contacts and the consents (marshmallow; in the OpenAPI
document, and drawn as the pages' forms).

Unknown fields are a 422 naming them. The rules that need the database, the user or more than one
field (authority, the day not in the future, a CPR-like code or note, linking to a person) are in
`contacts` and `consent`. Response schemas are named Contact…/Consent… so they do not clash with
another plugin's in the OpenAPI document.
"""

from __future__ import annotations

from velferd.toolkit import Id, ValidationError, fields, ma, validate, validates_schema

from .consent import SCOPES
from .contact_models import CODE_MAX, NOTE_MAX
from .contacts import ANSWERS, HELP_KINDS, SERVICES, UNKNOWN, WORKER_ROLES
from .strict import Strict

_CODE = dict(title="Citizen code", description="A pseudonym the citizen chooses or the centre gives, to connect "
                                               "their contacts without identifying them; never a CPR number")
_NOTE = dict(title="Note", description="What was talked about, without names, CPR numbers or anything else that "
                                       "identifies the citizen")


def _choice(choices, required: bool = True, default=None, **metadata):
    extra = {} if required else {"load_default": default}
    return fields.String(required=required, validate=validate.OneOf(tuple(choices)), metadata=metadata, **extra)


class ContactFields(Strict):
    """A contact as the centre's page records it (the centre is the page's)."""

    contact_on = fields.Date(required=True, metadata={"title": "Day of the contact"})
    contact_at = fields.Time(allow_none=True, metadata={"title": "Time", "description": "HH:MM, if known"})
    help = fields.List(fields.String(validate=validate.OneOf(tuple(HELP_KINDS))), required=True,
                       validate=validate.Length(min=1, error="Choose at least one."),
                       metadata={"title": "Help given", "description": "One or more"})
    service = _choice(SERVICES, title="Service", description="The service the worker came from")
    worker_role = _choice(WORKER_ROLES, title="The worker acted as",
                          description="Centre staff, or a municipal worker with authority: the citizen must "
                                      "never be in doubt which")
    previously_known = _choice(ANSWERS, required=False, default=UNKNOWN, title="Known to the municipality before",
                               description="Was the citizen known to the municipality before this contact?")
    first_contact = _choice(ANSWERS, required=False, default=UNKNOWN, title="First contact",
                            description="Is this the citizen's first contact with the outreach services?")
    citizen_code = fields.String(allow_none=True, validate=validate.Length(max=CODE_MAX), metadata=_CODE)
    note = fields.String(allow_none=True, validate=validate.Length(max=NOTE_MAX), metadata=_NOTE)


class ContactInput(ContactFields):
    """A contact through the API: its centre, and (only for a citizen whose consent is in force)
    the person."""

    centre_id = Id(strict=True, required=True, metadata={"title": "Centre"})
    person_id = Id(strict=True, allow_none=True, metadata={
        "title": "Person", "description": "Only for a citizen who has consented; leave out for an anonymous contact"})


class ContactQuery(Strict):
    centre_id = Id(load_default=None, metadata={"title": "Centre"})
    start = fields.Date(load_default=None, metadata={"title": "From"})
    end = fields.Date(load_default=None, metadata={"title": "To"})
    citizen_code = fields.String(load_default=None, validate=validate.Length(min=1, max=CODE_MAX), metadata=_CODE)


class CentreContactSchema(ma.Schema):
    id = fields.Integer(strict=True)
    centre_id = Id(strict=True)
    contact_on = fields.Date()
    contact_at = fields.Time(allow_none=True)
    help = fields.List(fields.String(metadata={"enum": list(HELP_KINDS)}))
    service = fields.String(metadata={"enum": list(SERVICES)})
    worker_role = fields.String(metadata={"enum": list(WORKER_ROLES)})
    worker_role_title = fields.String(metadata={"description": "The worker's role in words (English)"})
    previously_known = fields.String(metadata={"enum": list(ANSWERS)})
    first_contact = fields.String(metadata={"enum": list(ANSWERS)})
    citizen_code = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    anonymous = fields.Boolean(metadata={"description": "True when the contact is linked to no person"})
    person_id = Id(strict=True, allow_none=True)
    case_id = Id(strict=True, allow_none=True)
    recorded_by_id = Id(strict=True, allow_none=True)
    created_at = fields.AwareDateTime()


# --- consent --------------------------------------------------------------------------------------

class ConsentInput(Strict):
    """A citizen's consent: the person by id, or a new one with a CPR number and names."""

    citizen_code = fields.String(allow_none=True, validate=validate.Length(max=CODE_MAX), metadata={
        **_CODE, "description": "The code whose anonymous contacts become the case's"})
    person_id = Id(strict=True, allow_none=True, metadata={"title": "Person (already registered)"})
    national_id = fields.String(allow_none=True, validate=validate.Length(max=20),
                                metadata={"title": "CPR number", "description": "For a citizen not registered yet"})
    given_name = fields.String(allow_none=True, validate=validate.Length(max=100), metadata={"title": "Given name"})
    family_name = fields.String(allow_none=True, validate=validate.Length(max=100),
                                metadata={"title": "Family name"})
    given_on = fields.Date(required=True, metadata={"title": "Consent given on"})
    scope = fields.List(fields.String(validate=validate.OneOf(tuple(SCOPES))), required=True,
                        validate=validate.Length(min=1, error="Choose at least one."),
                        metadata={"title": "May be shared with", "description": "One or more"})

    @validates_schema
    def _one_person(self, data, **kwargs):
        """Exactly one of a registered person and a new one; a new one with both names."""
        by_id, new = data.get("person_id") is not None, bool(data.get("national_id"))
        if by_id == new:
            message = "Give either a registered person or a CPR number, not both." if by_id else \
                "Give a registered person or a CPR number."
            raise ValidationError({"person_id": [message], "national_id": [message]})
        if new:
            missing = {name: ["Required with a CPR number."] for name in ("given_name", "family_name")
                       if not (data.get(name) or "").strip()}
            if missing:
                raise ValidationError(missing)


class WithdrawalInput(Strict):
    withdrawn_on = fields.Date(required=True, metadata={"title": "Withdrawn on"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=NOTE_MAX),
                           metadata={"title": "Reason", "description": "As the citizen gave it"})


class CitizenConsentSchema(ma.Schema):
    id = fields.Integer(strict=True)
    person_id = Id(strict=True)
    case_id = Id(strict=True)
    given_on = fields.Date()
    scope = fields.List(fields.String(metadata={"enum": list(SCOPES)}))
    citizen_code = fields.String(allow_none=True)
    recorded_by_id = Id(strict=True, allow_none=True)
    in_force = fields.Boolean()
    withdrawn_on = fields.Date(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    withdrawn_by_id = Id(strict=True, allow_none=True)
    linked_contacts = fields.Integer(strict=True, metadata={"description": "The contacts of the case"})


# --- the evaluation -------------------------------------------------------------------------------

class ReachQuery(Strict):
    start = fields.Date(required=True, metadata={"title": "From"})
    end = fields.Date(required=True, metadata={"title": "To"})
    centre_id = Id(load_default=None, metadata={"title": "Centre"})
    service = fields.String(load_default=None, validate=validate.OneOf(tuple(SERVICES)),
                            metadata={"title": "Service"})

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": ["Must not be before the start."]})


class ReachSchema(ma.Schema):
    contacts = fields.Integer(strict=True)
    citizens = fields.Integer(strict=True)
    persons = fields.Integer(strict=True)
    codes = fields.Integer(strict=True)
    uncoded = fields.Integer(strict=True)
    previously_unknown = fields.Integer(strict=True)
    first_contacts = fields.Integer(strict=True)
