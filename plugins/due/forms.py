"""DUE's forms, served and validated by the core (``/api/t/<tenant>/forms/due/<form>``): the
referral from the referring unit, the assessment (kartlegging) and the reports to the referring
unit. The core stores each submission with its version; `velferd_form_submitted` (in
``__init__``) then files it: `referral.file_referral`, `reports.file_report`."""

from __future__ import annotations

from velferd.toolkit import FormSpec, Schema, ValidationError, fields, validate, validates_schema

from .manifest import INTAKE

CRITERIA = {
    "risk_of_institutional_placement": "at risk of problems that qualify for placement in an institution",
    "follow_up_after_institution_or_prison": "needs follow-up after a stay in an institution or prison",
    "needs_treatment_start": "needs to start treatment",
    "lacks_housing_or_needs_housing_follow_up": "lacks housing and/or needs follow-up in housing",
    "lacks_daytime_activity": "lacks a meaningful daytime activity",
}
LEGAL_BASES = {
    "child_welfare_act": "the Child Welfare Act (barnevernsloven)",
    "health_and_care_services_act": "the Municipal Health and Care Services Act (helse- og omsorgstjenesteloven)",
}
TRANSITIONS = ("none", "leaving_institution", "leaving_prison")
TEXT = validate.Length(min=3, max=5000)
NEED = fields.String(validate=validate.Length(min=2, max=300))


class ReferralForm(Schema):
    """The referral (søknad) from the referring unit: a unit that administers services under the
    Child Welfare Act or the Municipal Health and Care Services Act (guideline 1.4). The unit is
    the case's ``referring_unit_id``."""

    legal_basis = fields.String(required=True, validate=validate.OneOf(tuple(LEGAL_BASES)))
    criteria = fields.List(fields.String(validate=validate.OneOf(tuple(CRITERIA))), required=True,
                           metadata={"description": "The target-group criteria met (one or more)"})
    motivation = fields.String(required=True, validate=TEXT, metadata={"description": "The youth's own motivation"})
    needs = fields.List(NEED, required=True, validate=validate.Length(min=1, max=50),
                        metadata={"description": "The needs for help the unit describes"})
    referred_on = fields.Date(required=True)
    date_of_birth = fields.Date(load_default=None, allow_none=True,
                                metadata={"description": "Only if it differs from the national id's"})
    transition = fields.String(load_default="none", validate=validate.OneOf(TRANSITIONS),
                               metadata={"description": "A transition to secure: leaving an institution or prison"})
    transition_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        if len(set(data.get("criteria") or ())) != len(data.get("criteria") or ()):
            raise ValidationError("a criterion is listed twice", field_name="criteria")
        if data.get("transition", "none") == "none" and data.get("transition_on"):
            raise ValidationError("a date is given but no transition; name the transition", field_name="transition")
        birth, referred = data.get("date_of_birth"), data.get("referred_on")
        if birth and referred and birth >= referred:
            raise ValidationError("the date of birth must be before the referral date", field_name="date_of_birth")


class AssessmentForm(Schema):
    """The assessment (kartlegging): is DUE the right measure, the needs and wishes for follow-up,
    and wishes for the choice of coordinator (guideline 4.2)."""

    right_measure = fields.Boolean(required=True)
    needs = fields.List(NEED, required=True, validate=validate.Length(min=1, max=50))
    follow_up_wishes = fields.String(load_default=None, allow_none=True, validate=TEXT)
    coordinator_wishes = fields.String(load_default=None, allow_none=True, validate=TEXT)


#: How a goal of the plan stands in a report.
GOAL_STATUSES = ("achieved", "in_progress", "not_started", "dropped")


class GoalProgressForm(Schema):
    """One goal of the plan, named as the plan words it, and how it stands."""

    goal = fields.String(required=True, validate=validate.Length(min=3, max=300),
                         metadata={"description": "The goal, as written in the plan"})
    status = fields.String(required=True, validate=validate.OneOf(GOAL_STATUSES))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=3, max=2000),
                         metadata={"description": "How it went, in short"})


class ReportForm(Schema):
    """A report to the referring unit every fourth month (``periodic``) and once after the end
    (``final``), «i henhold til målsettingene i tiltaksplan eventuelt individuelle plan»
    (guideline 2.3.3): each goal of the plan with how it stands. `reports.file_report` checks the
    goals against the plan in force (every goal once, none the plan lacks). Version 2: version 1
    took the progress as one free text."""

    kind = fields.String(required=True, validate=validate.OneOf(("periodic", "final")))
    written_on = fields.Date(required=True)
    goals = fields.List(fields.Nested(GoalProgressForm), required=True, validate=validate.Length(min=1, max=30),
                        metadata={"description": "Every goal of the plan, each with how it stands"})
    summary = fields.String(load_default=None, allow_none=True, validate=TEXT)
    sent_to_referring_unit = fields.Boolean(load_default=True)


FORMS = [
    FormSpec("referral", 1, ReferralForm, title="Referral to DUE (søknad)", permission=INTAKE),
    FormSpec("assessment", 1, AssessmentForm, title="Assessment (kartlegging)", permission=INTAKE),
    FormSpec("report", 2, ReportForm, title="Report to the referring unit", permission="forms:submit"),
]
