"""The API's marshmallow schemas: they validate input, shape output and generate the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from velferd.api.fields import UtcDateTime, column_limits
from velferd.api.openapi import TransitionData
from velferd.api.quick_dump import QuickDump
from velferd.identity import mask_national_id
from velferd.models import ApiToken, Case, Deadline, Decision, Meeting, Person, Tenant, Unit, User
from velferd.models.tenants import DELIVERY_CHANNELS, PAYER_KINDS, UNIT_KINDS
from velferd.workflows import available_transitions


class Strict(QuickDump):
    """Input schemas refuse unknown fields, so a typo is a 422, not silently ignored data."""

    class Meta:
        unknown = ma.RAISE


#: Ids are PostgreSQL ``integer`` columns: a larger number in a request is a 422 naming the
#: field, not a database overflow (a 500). Path ids are bounded the same way (velferd.api).
MAX_ID = 2**31 - 1


def Id(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=0, max=MAX_ID), **kwargs)


@column_limits(User)
class LoginSchema(Strict):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class MembershipOutSchema(QuickDump):
    tenant = fields.String()
    roles = fields.List(fields.String())


class UserSchema(QuickDump):
    id = fields.Integer(dump_only=True)
    email = fields.Email()
    name = fields.String()
    is_operator = fields.Boolean()


class TenantSchema(QuickDump):
    id = fields.Integer(dump_only=True)
    slug = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    country = fields.String(required=True, validate=validate.OneOf(["NO", "DK"]))
    locale = fields.String(dump_only=True)
    currency = fields.String(dump_only=True)
    time_zone = fields.String(dump_only=True)
    organisation_number = fields.String(required=True)


@column_limits(Tenant)
class TenantCreateSchema(TenantSchema, Strict):
    pass


@column_limits(Unit)
class UnitSchema(Strict):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    organisation_number = fields.String(allow_none=True)
    payer_kind = fields.String(allow_none=True, validate=validate.OneOf(PAYER_KINDS))
    delivery_channel = fields.String(allow_none=True, validate=validate.OneOf(DELIVERY_CHANNELS))
    invoice_email = fields.Email(allow_none=True)
    address = fields.String(allow_none=True, validate=validate.Length(max=400))
    postal_code = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{4}$", error="Four digits."))
    city = fields.String(allow_none=True, validate=validate.Length(max=100))
    country = fields.String(allow_none=True, validate=validate.OneOf(["NO", "DK"]),
                            metadata={"description": "the payer's country; the municipality's when left out"})
    ehf_endpoint = fields.String(allow_none=True, metadata={
        "description": "PEPPOL participant: an organisation number (NO) or CVR (DK); the unit's own when left out"})
    buyer_reference = fields.String(allow_none=True, validate=validate.Length(max=100), metadata={
        "description": "the payer's reference printed on its invoices (required for EHF)"})


@column_limits(User)
class MemberCreateSchema(Strict):
    """An invitation: no password — an admin never sets one, on a new account or an existing one."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    roles = fields.List(fields.String(validate=validate.Length(max=60)), required=True,
                        validate=validate.Length(min=1, max=20))


class MemberSchema(QuickDump):
    id = fields.Integer()
    user = fields.Nested(UserSchema)
    roles = fields.List(fields.String())
    unit_ids = fields.List(fields.Integer(), metadata={"description": "the units the member works in"})
    programmes = fields.List(fields.String(), metadata={
        "description": "the programmes (plugin ids) the member works in; empty: every programme"})


@column_limits(ApiToken)
class TokenCreateSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    valid_days = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=365))


class TokenSchema(QuickDump):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    expires_at = fields.AwareDateTime(allow_none=True)
    token = fields.String(metadata={"description": "The token itself, shown once."})


@column_limits(Person)
class PersonCreateSchema(Strict):
    national_id = fields.String(required=True)
    given_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    family_name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PersonSchema(QuickDump):
    id = fields.Integer()
    national_id = fields.String()
    national_id_kind = fields.String()
    birth_date = fields.Date()
    given_name = fields.String()
    family_name = fields.String()
    created_at = fields.AwareDateTime()


class PersonListItemSchema(PersonSchema):
    """In lists the national id is masked to the birth date; the full number costs a read."""

    national_id = fields.Function(lambda person: mask_national_id(person.national_id))


class PersonListQuery(Strict):
    q = fields.String(metadata={"description": "part of a name"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after_id = Id(load_default=0)


@column_limits(Case)
class CaseCreateSchema(Strict):
    person_id = Id(required=True)
    plugin = fields.String(required=True)
    referring_unit_id = Id(allow_none=True, load_default=None)
    assigned_to_id = Id(allow_none=True, load_default=None)
    unit_id = Id(allow_none=True, load_default=None, metadata={
        "description": "the unit that holds the case (need to know); by default the opener's, if they work in one"})


class CaseSchema(QuickDump):
    id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda case: case.person.full_name)
    person_national_id = fields.Function(lambda case: mask_national_id(case.person.national_id))
    plugin = fields.String()
    workflow = fields.String()
    state = fields.String()
    assigned_to_id = fields.Integer(allow_none=True)
    referring_unit_id = fields.Integer(allow_none=True)
    unit_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)


class CaseDetailSchema(CaseSchema):
    available_transitions = fields.Function(lambda case: available_transitions(case), dump_only=True)


class CasePageSchema(QuickDump):
    items = fields.List(fields.Nested(CaseSchema))
    next_after_id = fields.Integer(allow_none=True)


class CaseListQuery(Strict):
    plugin = fields.String()
    state = fields.String()
    person_id = Id()
    overdue = fields.Boolean(load_default=False, metadata={
        "description": "only cases with a deadline not completed and due before today in the municipality"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after_id = Id(load_default=0, metadata={"description": "return cases with a larger id (keyset paging)"})


class TransitionSchema(Strict):
    transition = fields.String(required=True)
    note = fields.String(allow_none=True, load_default=None)
    data = TransitionData(keys=fields.String(), load_default=dict)


class NoteSchema(Strict):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class CaseEventSchema(QuickDump):
    id = fields.Integer()
    kind = fields.String()
    transition = fields.String(allow_none=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    data = fields.Dict()
    actor_id = fields.Integer(allow_none=True)
    at = fields.AwareDateTime()


#: Who can take part in a case meeting, in words every programme uses: the person the case is
#: about (``youth`` — DUE's and most programmes' own word), their guardian, the measure's
#: coordinator, a caseworker, the unit that referred the case and another unit involved, a
#: leader (e.g. the units' leaders settling a transfer) and anyone else.
PARTICIPANT_ROLES = ("youth", "guardian", "coordinator", "caseworker", "referring_unit", "other_unit", "leader",
                     "other")


class ParticipantSchema(Strict):
    """One person or unit at a meeting. Only the role is required: the youth needs no name (the
    case says who they are), and a national id is never asked for."""

    role = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_ROLES))
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))
    unit = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200),
                         metadata={"description": "The unit or service they came for, e.g. 'NAV Fana'"})


@column_limits(Meeting)
class MeetingSchema(Strict):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.Length(min=1, max=60))
    starts_at = UtcDateTime(required=True)
    place = fields.String(allow_none=True)
    held = fields.Boolean(load_default=False)
    minutes = fields.String(allow_none=True, validate=validate.Length(max=20000))
    participants = fields.List(fields.Nested(ParticipantSchema), load_default=list,
                               validate=validate.Length(max=50), metadata={"description": "Who took part"})


@column_limits(Deadline)
class DeadlineSchema(Strict):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.Length(min=1, max=60))
    due_on = fields.Date(required=True)
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class FormInfoSchema(QuickDump):
    plugin = fields.String()
    name = fields.String()
    version = fields.Integer()
    title = fields.String()


class SubmissionCreateSchema(Strict):
    case_id = Id(allow_none=True, load_default=None)
    data = fields.Dict(keys=fields.String(), required=True)


class SubmissionSchema(QuickDump):
    id = fields.Integer()
    plugin = fields.String()
    form = fields.String()
    form_version = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    data = fields.Dict()
    submitted_by_id = fields.Integer(allow_none=True)
    submitted_at = fields.AwareDateTime()


class EvaluateSchema(Strict):
    case_id = Id(allow_none=True, load_default=None)
    inputs = fields.Dict(keys=fields.String(), required=True)


@column_limits(Decision)
class OverrideSchema(Strict):
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=60))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class DecisionSchema(QuickDump):
    id = fields.Integer()
    plugin = fields.String()
    rule = fields.String()
    rule_version = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    inputs = fields.Dict()
    outcome = fields.String()
    reasons = fields.List(fields.String())
    decided_by_id = fields.Integer(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    override_reason = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime()


class PluginStateSchema(QuickDump):
    id = fields.Function(lambda s: s.manifest.id)
    title = fields.Function(lambda s: s.manifest.title)
    version = fields.Function(lambda s: s.manifest.version)
    countries = fields.Function(lambda s: list(s.manifest.countries))
    enabled = fields.Boolean()
    settings = fields.Dict()


class SettingsSchema(QuickDump):
    """Any keys: the plugin's own settings schema validates them."""

    class Meta:
        unknown = ma.INCLUDE


class BlockSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class AuditEventSchema(QuickDump):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    record_type = fields.String()
    record_id = fields.String(allow_none=True)
    person_id = fields.Integer(allow_none=True)
    remote_addr = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)
    details = fields.Dict()


class AuditQuery(Strict):
    action = fields.String()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    before_id = Id()
