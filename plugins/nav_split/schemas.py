"""Request and response schemas of the plugin's routes (marshmallow; they appear in the OpenAPI doc)."""

from __future__ import annotations

from velferd.toolkit import ValidationError, column_limits, fields, ma, post_load, validate, validates_schema

from .allocation import LIVSMESTRING, NAV
from .models import Appointment, Complaint, ForumDecision


class Strict(ma.Schema):
    """Unknown fields are a 422 naming them, not silently ignored."""

    class Meta:
        unknown = ma.RAISE


class NoData(Strict):
    """The payload of every allocation transition: nothing. The allocation decision (a rule
    evaluation on the case) says where the case goes, so ``data`` must be empty."""


class DecisionSummary(ma.Schema):
    id = fields.Integer()
    rule = fields.String()
    outcome = fields.String()
    reasons = fields.List(fields.String())
    supersedes_id = fields.Integer(allow_none=True)


class AppointmentSchema(ma.Schema):
    id = fields.Integer()
    decision_id = fields.Integer()
    coordinator_unit = fields.String()
    nav_team = fields.String(allow_none=True)
    follow_up_unit = fields.String()
    follow_up_at_home = fields.Boolean()
    social_assistance = fields.Boolean()
    financial_caseworker_unit = fields.String()
    financial_caseworker = fields.String(allow_none=True)
    appointed_by_id = fields.Integer(allow_none=True)
    appointed_at = fields.DateTime()


class AllocationSchema(ma.Schema):
    case_id = fields.Integer()
    state = fields.String()
    decision = fields.Nested(DecisionSummary, allow_none=True)
    appointment = fields.Nested(AppointmentSchema, allow_none=True)


@column_limits(Appointment)
class FollowUpSchema(Strict):
    follow_up_unit = fields.String(validate=validate.OneOf((NAV, LIVSMESTRING)))
    follow_up_at_home = fields.Boolean()
    social_assistance = fields.Boolean()
    financial_caseworker = fields.String(allow_none=True, validate=validate.Length(min=1, max=200))


class AgendaItemSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    agenda_id = fields.Integer(allow_none=True)
    queued_at = fields.DateTime()
    outcome_decision_id = fields.Integer(allow_none=True)


class AgendaSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    week_start = fields.Date()
    built_at = fields.DateTime()
    items = fields.List(fields.Nested(AgendaItemSchema))


class BuildSchema(Strict):
    week_start = fields.Date(load_default=None, metadata={"description": "Any day of the week; today if omitted"})


class AgendaQuery(Strict):
    week_start = fields.Date(load_default=None)


class QueueQuery(Strict):
    kind = fields.String(load_default=None, validate=validate.OneOf(("rusfaglig_forum", "cooperation_meeting",
                                                                     "leader_level")))


@column_limits(ForumDecision)
class ForumDraftSchema(Strict):
    measure = fields.String(required=True, validate=validate.OneOf(
        ("private_institution", "social_rehabilitation", "private_care")))
    verdict = fields.String(required=True, validate=validate.OneOf(("admission", "refusal")))
    institution = fields.String(required=True, validate=validate.Length(min=2, max=200))
    agreement = fields.String(required=True, validate=validate.Length(min=3, max=20000))
    reasons = fields.String(required=True, validate=validate.Length(min=3, max=20000))


class ForumDecisionSchema(ma.Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    measure = fields.String()
    verdict = fields.String()
    institution = fields.String()
    agreement = fields.String()
    reasons = fields.String()
    responsible_unit = fields.String()
    drafting_team = fields.String()
    drafted_by_id = fields.Integer()
    drafted_at = fields.DateTime()
    status = fields.String()
    approved_by_id = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)


@column_limits(Complaint)
class ComplaintCreateSchema(Strict):
    grounds = fields.String(required=True, validate=validate.Length(min=3, max=20000))


class SignatureSchema(ma.Schema):
    capacity = fields.String()
    user_id = fields.Integer()
    signed_at = fields.DateTime()


CAPACITY_NAMES = ("forum_leader", "forvaltning_head")


class SignSchema(Strict):
    """``{"capacity": ...}``, the name the signature has in every answer. The first release asked
    for ``{"as": ...}``; that is still accepted (one of the two, not both), and documented as deprecated."""

    capacity = fields.String(load_default=None, validate=validate.OneOf(CAPACITY_NAMES),
                             metadata={"description": "forum_leader or forvaltning_head"})
    legacy_as = fields.String(data_key="as", load_default=None, validate=validate.OneOf(CAPACITY_NAMES),
                              metadata={"description": "Deprecated: the old name of capacity", "deprecated": True})

    @validates_schema
    def _one_name(self, data, **kwargs):
        if data["capacity"] is None and data["legacy_as"] is None:
            raise ValidationError("Missing data for required field.", field_name="capacity")
        if data["capacity"] is not None and data["legacy_as"] is not None:
            raise ValidationError("give capacity only (as is its old name)", field_name="as")

    @post_load
    def _canonical(self, data, **kwargs):
        return {"capacity": data["capacity"] or data["legacy_as"]}


class ComplaintSchema(ma.Schema):
    id = fields.Integer()
    forum_decision_id = fields.Integer()
    grounds = fields.String()
    status = fields.String()
    prepared_by_id = fields.Integer(allow_none=True)
    prepared_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    signatures = fields.List(fields.Nested(SignatureSchema))
