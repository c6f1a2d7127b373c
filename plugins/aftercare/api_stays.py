"""The stays' routes on the plugin's API (/api/t/<tenant>/x/aftercare/...): a case's stay with its
dates, days left and the limit's warnings; the dates recorded before intake (consent, the binding
rules and agreement, the end of treatment); the list of applications and residents by state.

The application itself is the core's form "application" (POST /forms/aftercare/application/
submissions), the moves are the core's transitions, and an extension is the core's rule
"stay_extension" (POST /rules/aftercare/stay_extension/evaluations).
"""

from __future__ import annotations

from velferd.toolkit import NotFound, current_tenant, db, fields, ma, requires, settings_for, tenant_today

from . import stays
from .api_kit import blp
from .manifest import INTAKE, PLUGIN_ID, READ
from .stay_schemas import ConsentSchema, RulesAgreedSchema, StayQuery, StaySchema, TreatmentEndedSchema


class StayListEntry(ma.Schema):
    case_id = fields.Integer()
    state = fields.String()
    person_name = fields.String()
    institution = fields.String(allow_none=True)
    home_municipality = fields.String(allow_none=True)
    moved_in_on = fields.Date(allow_none=True)
    limit_on = fields.Date(allow_none=True)
    days_left = fields.Integer(allow_none=True)


def _view(case, stay) -> dict:
    tenant = current_tenant()
    return stays.stay_view(case, stay, settings_for(tenant, PLUGIN_ID), tenant_today(tenant))


@blp.get("/cases/<int:case_id>/stay")
@requires(READ)
@blp.response(200, StaySchema)
def read_stay(case_id):
    """The stay: the application, consent and rules, the flat, the dates, days left to the limit
    and its warnings (raised or not yet). 404 before the application is submitted."""
    case = stays.aftercare_case(case_id)
    stay = stays.stay_of(case.id)
    if stay is None:
        raise NotFound(f"case {case.id} has no application yet")
    return _view(case, stay)


def _record(case_id, record, on):
    case = stays.aftercare_case(case_id)
    stay = record(case, on, tenant_today(current_tenant()))
    db.session.commit()
    return _view(case, stay)


@blp.put("/cases/<int:case_id>/stay/consent")
@requires(INTAKE)
@blp.arguments(ConsentSchema)
@blp.response(200, StaySchema)
def record_consent(data, case_id):
    """The person's consent to take part, with its date (no consent, no intake)."""
    return _record(case_id, stays.record_consent, data["consent_on"])


@blp.put("/cases/<int:case_id>/stay/rules-agreed")
@requires(INTAKE)
@blp.arguments(RulesAgreedSchema)
@blp.response(200, StaySchema)
def record_rules_agreed(data, case_id):
    """The day the binding rules and agreement with the owner were signed (a precondition of intake)."""
    return _record(case_id, stays.record_rules_agreed, data["rules_agreed_on"])


@blp.put("/cases/<int:case_id>/stay/treatment-ended")
@requires(INTAKE)
@blp.arguments(TreatmentEndedSchema)
@blp.response(200, StaySchema)
def record_treatment_ended(data, case_id):
    """The day the treatment at the institution ended (intake follows the treatment)."""
    return _record(case_id, stays.record_treatment_ended, data["treatment_ended_on"])


@blp.get("/stays")
@requires(READ)
@blp.arguments(StayQuery, location="query")
@blp.response(200, StayListEntry(many=True))
def list_stays(query):
    """Applications and residents, by state (all when none is given); a bad state is a 422."""
    today = tenant_today(current_tenant())
    return [{"case_id": case.id, "state": case.state, "person_name": person.full_name,
             "institution": stay.institution if stay else None,
             "home_municipality": stay.home_municipality if stay else None,
             "moved_in_on": stay.moved_in_on if stay else None, "limit_on": stay.limit_on if stay else None,
             "days_left": stays.days_left(case, stay, today)}
            for case, stay, person in stays.stays_by_state(query["state"])]
