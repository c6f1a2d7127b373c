"""The staircase's schemas: the inputs of the rule `step_change`, the move staff apply with its
contract, a breach, a step's edit, and the API's answers.

Every input schema refuses unknown keys (a 422 naming them); string limits come from the tables
(`column_limits`). The same schemas draw the pages' forms (`form_fields`), so a page refuses what
the API refuses, with the same field names.
"""

from __future__ import annotations

from velferd.toolkit import ValidationError, column_limits, fields, ma, validate, validates_schema

from .staircase_models import BREACH_KINDS, CONTRACT_KINDS, LEVELS, Breach, Lease, Step
from .strict import Strict

UP, DOWN = "up", "down"
DIRECTIONS = (UP, DOWN)
ORDINARY_BREACH, SERIOUS_BREACH = "ordinary", "serious"
SEVERITIES = (ORDINARY_BREACH, SERIOUS_BREACH)


def _not_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError("A reason cannot be blank.")


class StepChangeInputs(Strict):
    """A move up or down the staircase, with the staff's reasons; down names the breach(es) and how
    serious they are ("må vedkommande ned eit eller fleire steg i trappa")."""

    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS),
                              metadata={"title": "Direction", "description": "Up one step, or down for a breach"})
    reasons = fields.List(fields.String(validate=[validate.Length(min=1, max=2000), _not_blank]), required=True,
                          validate=validate.Length(min=1, error="Give at least one reason."),
                          metadata={"title": "Reasons", "description": "One reason a line"})
    breach_ids = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=list,
                             metadata={"title": "Breaches", "description": "The numbers of the breaches (down only), "
                                                                           "one a line"})
    severity = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(SEVERITIES),
                             metadata={"title": "Severity of the breach", "description": "Down only"})

    @validates_schema
    def _down_names_its_breaches(self, data, **kwargs):
        if data.get("direction") == DOWN:
            if not data.get("breach_ids"):
                raise ValidationError("A move down names the breach it is for.", field_name="breach_ids")
            if not data.get("severity"):
                raise ValidationError("Say how serious the breach is.", field_name="severity")
        elif data.get("direction") == UP:
            if data.get("breach_ids"):
                raise ValidationError("A move up names no breach.", field_name="breach_ids")
            if data.get("severity"):
                raise ValidationError("A move up has no severity.", field_name="severity")
        if len(set(data.get("breach_ids") or ())) != len(data.get("breach_ids") or ()):
            raise ValidationError("A breach is named twice.", field_name="breach_ids")


@column_limits(Lease)
class LeaseInput(Strict):
    """The new step's contract between the resident and the flat's owner."""

    kind = fields.String(required=True, validate=validate.OneOf(CONTRACT_KINDS),
                         metadata={"title": "Contract", "description": "Special contract (steps 2–4) or "
                                                                       "ordinary lease (step 5)"})
    signed_on = fields.Date(required=True, metadata={"title": "Signed on"})
    owner = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200),
                          metadata={"title": "Owner", "description": "Leave blank for the owner of the building"})
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500),
                         metadata={"title": "Note"})


class ApplyForm(Strict):
    """Applying the decision that governs the case (the page's form: the decision is in its URL)."""

    on = fields.Date(required=True, metadata={"title": "Moves on", "description": "The first day on the new step"})
    lease = fields.Nested(LeaseInput, required=True, metadata={"title": "The new step's contract"})


class ApplyMoveInput(ApplyForm):
    """``POST /cases/<id>/steps``: the decision applied, the day and the new step's contract."""

    decision_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1),
                                 metadata={"title": "Decision"})


@column_limits(Breach)
class BreachInput(Strict):
    """A breach of a rule or of the agreement ("bryt ein regel eller avtale")."""

    occurred_on = fields.Date(required=True, metadata={"title": "Occurred on"})
    kind = fields.String(required=True, validate=validate.OneOf(BREACH_KINDS),
                         metadata={"title": "Breach of", "description": "A rule of the house, or the agreement"})
    description = fields.String(required=True, validate=[validate.Length(min=1, max=2000), _not_blank],
                                metadata={"title": "What happened"})


@column_limits(Step)
class StepEdit(Strict):
    """A step's edit by the housing's leader (any of the fields; the number stays)."""

    name = fields.String(validate=validate.Length(min=1, max=100))
    contract_kind = fields.String(validate=validate.OneOf(CONTRACT_KINDS))
    trial_months = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=24))
    rights = fields.String(validate=validate.Length(min=1, max=1000))
    help_level = fields.String(validate=validate.OneOf(LEVELS))
    control_level = fields.String(validate=validate.OneOf(LEVELS))


# --- answers ---------------------------------------------------------------------------------------

class StepSchema(ma.Schema):
    number = fields.Integer()
    name = fields.String()
    contract_kind = fields.String()
    trial_months = fields.Integer(allow_none=True)
    rights = fields.String()
    help_level = fields.String()
    control_level = fields.String()


class StaircaseDecisionSchema(ma.Schema):
    id = fields.Integer()
    outcome = fields.String()
    step = fields.Integer(allow_none=True)
    reasons = fields.List(fields.String())
    inputs = fields.Dict()
    supersedes_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime()


class LeaseSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    owner = fields.String()
    signed_on = fields.Date()
    note = fields.String(allow_none=True)


class StepPlacementSchema(ma.Schema):
    id = fields.Integer()
    step = fields.Integer()
    step_name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    trial_ends_on = fields.Date(allow_none=True)
    in_trial = fields.Boolean()
    decision = fields.Nested(StaircaseDecisionSchema, allow_none=True)
    lease = fields.Nested(LeaseSchema, allow_none=True)


class BreachSchema(ma.Schema):
    id = fields.Integer()
    occurred_on = fields.Date()
    kind = fields.String()
    description = fields.String()
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()
    decision_id = fields.Integer(allow_none=True)


class StaircaseSchema(ma.Schema):
    case_id = fields.Integer()
    current = fields.Nested(StepPlacementSchema, allow_none=True)
    step = fields.Nested(StepSchema, allow_none=True)
    history = fields.List(fields.Nested(StepPlacementSchema))
    breaches = fields.List(fields.Nested(BreachSchema))
    proposal = fields.Nested(StaircaseDecisionSchema, allow_none=True)
    decisions = fields.List(fields.Nested(StaircaseDecisionSchema))
