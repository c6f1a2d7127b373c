"""The stays' schemas: the application form, the payloads of the workflow's moves, the dates staff
record before intake (consent, binding rules, the end of treatment) and the API's answers.

Every input schema refuses unknown keys (a 422 naming them) and takes its string limits from the
table (`column_limits`), so what passes here is what the columns can hold.
"""

from __future__ import annotations

from velferd.toolkit import column_limits, fields, ma, validate

from .stay_models import Stay
from .strict import Strict

#: where a resident moves on to: the plan's "egen bolig i Alta kommune" or the home municipality
#: ("utskrivelse til hjemkommune"), or somewhere else the journal explains
DESTINATIONS = ("own_home_alta", "home_municipality", "other")
#: the progress the plan requires of a stay ("forutsetter progresjon"), as staff judge it
PROGRESS = ("clear", "some", "none")


@column_limits(Stay)
class ApplicationForm(Strict):
    """The application from treatment (form "application"): the assessment "vil starte tidlig i
    behandlingsopplegget på institusjon", so it is made while the person is still in treatment."""

    institution = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                metadata={"title": "Treatment institution"})
    treatment_started_on = fields.Date(required=True, metadata={"title": "Treatment started on"})
    expected_discharge_on = fields.Date(allow_none=True, load_default=None,
                                        metadata={"title": "Expected discharge on",
                                                  "description": "When the treatment is planned to end"})
    at_partner_institution = fields.Boolean(load_default=False, metadata={
        "title": "In treatment at Finnmarkskollektivet",
        "description": "The partner institution with a flat at its disposal"})
    home_municipality = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200),
                                      metadata={"title": "Home municipality",
                                                "description": "Leave blank for a citizen of this municipality; "
                                                               "another home municipality is a partner on the case"})


class NoData(Strict):
    """A move that takes no data."""


class Reasons(Strict):
    """Accepting or declining the application: the reasons, for the journal and the person."""

    reasons = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata={"title": "Reasons"})


class MoveInPayload(Strict):
    """Intake: into which flat, on which day (the first night there)."""

    flat_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1), metadata={"title": "Flat"})
    moved_in_on = fields.Date(required=True, metadata={"title": "Moved in on"})


class PlanMoveOutPayload(Strict):
    """The planned move-out: the last phase of the chain of measures (kjedemodellen)."""

    destination = fields.String(required=True, validate=validate.OneOf(DESTINATIONS),
                                metadata={"title": "Moving to"})
    planned_on = fields.Date(required=True, metadata={"title": "Planned move-out on"})


class MoveOutPayload(Strict):
    moved_out_on = fields.Date(required=True, metadata={"title": "Moved out on"})
    destination = fields.String(required=True, validate=validate.OneOf(DESTINATIONS),
                                metadata={"title": "Moved to"})


class ConsentSchema(Strict):
    """The person's own wish to take part ("Brukeren må selv ønske å delta i prosjektet")."""

    consent_on = fields.Date(required=True, metadata={"title": "Consent given on"})


class RulesAgreedSchema(Strict):
    """The binding rules and agreements signed before intake ("bindende, klare regler og avtaler
    mellom beboere og boligeier")."""

    rules_agreed_on = fields.Date(required=True, metadata={"title": "Rules and agreement signed on"})


class TreatmentEndedSchema(Strict):
    """The day the treatment at the institution ended ("Inntak ... vil skje etter behandling")."""

    treatment_ended_on = fields.Date(required=True, metadata={"title": "Treatment ended on"})


class StayQuery(Strict):
    state = fields.String(load_default=None, allow_none=True, metadata={"title": "State"})


class WarningSchema(ma.Schema):
    kind = fields.String()
    due_on = fields.Date()
    raised = fields.Boolean()
    completed = fields.Boolean()


class StaySchema(ma.Schema):
    """A stay as the API answers it: the application, the recorded dates, the flat, the living
    phase's dates, the days left to the limit and the limit's warnings (raised or not yet)."""

    id = fields.Integer()
    case_id = fields.Integer()
    state = fields.String()
    institution = fields.String()
    treatment_started_on = fields.Date()
    treatment_ended_on = fields.Date(allow_none=True)
    expected_discharge_on = fields.Date(allow_none=True)
    at_partner_institution = fields.Boolean()
    home_municipality = fields.String(allow_none=True)
    #: the home municipality when it is not the tenant's own: a partner on the case
    partner_municipality = fields.String(allow_none=True)
    consent_on = fields.Date(allow_none=True)
    rules_agreed_on = fields.Date(allow_none=True)
    flat_id = fields.Integer(allow_none=True)
    flat_label = fields.String(allow_none=True)
    moved_in_on = fields.Date(allow_none=True)
    planned_move_out_on = fields.Date(allow_none=True)
    limit_on = fields.Date(allow_none=True)
    days_left = fields.Integer(allow_none=True)
    limit_passed = fields.Boolean()
    moved_out_on = fields.Date(allow_none=True)
    destination = fields.String(allow_none=True)
    warnings = fields.List(fields.Nested(WarningSchema))
