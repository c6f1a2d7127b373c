"""The stays on the pages: the stay panel on an aftercare case's page, the stay on a page of its
own (where a refused form is shown again: a plugin cannot redraw the core's case page), the forms
for what is recorded before intake (consent, the binding rules and agreement, the end of
treatment), the move-in with a choice of flat, and the "Stays" list of applications and residents
by state.

Each form goes through the API's schema and service (`stay_schemas`, `stays`); the move-in through
the core's `transition_case`, so its guards are the workflow's. The application is the core's
drawn form "application", the other moves the core's drawn moves and an extension the core's drawn
rule "stay_extension" — all on the case page, with no template here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    NotFound,
    ValidationFailed,
    current_tenant,
    db,
    form_fields,
    gettext,
    has_permission,
    lazy_gettext,
    request,
    require_permission,
    settings_for,
    submitted_data,
    tenant_today,
    transition_case,
)

from . import extension, stays
from .manifest import DECIDE, INTAKE, PLUGIN_ID, READ
from .models import Building, Flat
from .page_kit import Refusal, attempt, blp, done, page, panel_page
from .stay_schemas import ConsentSchema, MoveInPayload, RulesAgreedSchema, TreatmentEndedSchema

#: the forms recorded before intake: form id -> (schema, service, confirmation)
RECORDS = {
    "consent": (ConsentSchema, stays.record_consent, "The consent is recorded."),
    "rules-agreed": (RulesAgreedSchema, stays.record_rules_agreed, "The signed rules and agreement are recorded."),
    "treatment-ended": (TreatmentEndedSchema, stays.record_treatment_ended, "The end of the treatment is recorded."),
}
MOVE_IN = "move-in"
RECORD_TITLES = {"consent": lazy_gettext("Record the consent"),
                 "rules-agreed": lazy_gettext("Record the signed rules and agreement"),
                 "treatment-ended": lazy_gettext("Record the end of the treatment")}
DESTINATIONS = {"own_home_alta": lazy_gettext("An own home in Alta"),
                "home_municipality": lazy_gettext("The home municipality"), "other": lazy_gettext("Elsewhere")}
OUTCOMES = {extension.GRANT: lazy_gettext("Extension granted"), extension.REFUSE: lazy_gettext("Extension refused")}
FLAT_KINDS = {"single": lazy_gettext("single unit"), "family": lazy_gettext("family flat")}


def warning_title(kind: str) -> str:
    """A warning by its days before the limit ("aftercare.stay_limit_90"), or the limit itself."""
    days = kind.removeprefix(stays.LIMIT_KIND + "_")
    if kind == stays.LIMIT_KIND or not days.isdigit():
        return gettext("The limit itself")
    return gettext("%(days)s days before the limit", days=int(days))


def _flats() -> list[tuple[Flat, Building]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Flat, Building).join(Building, Building.id == Flat.building_id)
        .where(Flat.active.is_(True)).order_by(Building.name, Flat.label)).all()]


def _form_values(stay, refusal: Refusal | None, form_id: str, column: str) -> Mapping[str, Any]:
    mine = refusal.of(form_id) if refusal else None
    if mine:
        return mine.values
    value = getattr(stay, column, None) if stay else None
    return {column: value.isoformat()} if value else {}


def panel_context(case: Case, settings: Mapping[str, Any] | None = None, refusal: Refusal | None = None) -> dict:
    """What the stay panel shows (`CasePanel.context`, and the stay page)."""
    tenant = current_tenant()
    settings = settings if settings is not None else settings_for(tenant, PLUGIN_ID)
    today = tenant_today(tenant)
    stay = stays.stay_of(case.id)
    before_intake = stay is not None and case.state in stays.BEFORE_INTAKE
    records = []
    if before_intake and has_permission(INTAKE):
        for form_id, (schema, _, _) in RECORDS.items():
            column = next(iter(schema().fields))
            mine = refusal.of(form_id) if refusal else None
            records.append({"id": form_id, "fields": form_fields(schema), "errors": mine.errors if mine else {},
                            "values": _form_values(stay, refusal, form_id, column)})
    may_move_in = stay is not None and case.state == stays.AWAITING_INTAKE and has_permission(DECIDE)
    mine = refusal.of(MOVE_IN) if refusal else None
    return {
        "stay": stays.stay_view(case, stay, settings, today) if stay else None,
        "application_form": stays.APPLICATION_FORM,
        "records": records,
        "move_in": {"fields": form_fields(MoveInPayload), "flats": _flats() if may_move_in else [],
                    "values": mine.values if mine else {"moved_in_on": today.isoformat()},
                    "errors": mine.errors if mine else {}} if may_move_in else None,
        "extension": extension.latest_extension(case.id),
        "today": today, "record_titles": RECORD_TITLES, "destinations": DESTINATIONS, "outcomes": OUTCOMES,
        "flat_kinds": FLAT_KINDS, "warning_title": warning_title,
    }


def _aftercare_case(case_id: int) -> Case:
    require_permission(READ)
    return stays.aftercare_case(case_id)


def stay_page(case_id: int, refusal: Refusal | None = None):
    case = _aftercare_case(case_id)
    return panel_page("aftercare/stays/stay.html", gettext("The stay of case %(id)s", id=case.id), case,
                      panel_context, refusal)


@blp.get("/cases/<int:case_id>/stay")
def stay(case_id: int):
    """The stay on a page of its own: the same as the case page's panel."""
    return stay_page(case_id)


@blp.post("/cases/<int:case_id>/stay/<form_id>")
def record(case_id: int, form_id: str):
    """Consent, the signed rules and agreement, or the end of treatment, with its date."""
    require_permission(INTAKE)
    if form_id not in RECORDS:
        raise NotFound(f"no form {form_id}")
    schema, service, confirmation = RECORDS[form_id]
    case = stays.aftercare_case(case_id)
    _, refused = attempt(form_id, schema,
                         lambda data: service(case, *data.values(), tenant_today(current_tenant())))
    if refused:
        return stay_page(case_id, refused)
    return done(gettext(confirmation), "web.case_page", case_id=case_id)


@blp.post("/cases/<int:case_id>/move-in")
def move_in(case_id: int):
    """Intake into the flat chosen, through the core's move (its guards refuse with the reason)."""
    require_permission(DECIDE)
    require_permission("cases:write")
    case = stays.aftercare_case(case_id)
    described = form_fields(MoveInPayload)
    try:
        transition_case(current_tenant(), case, "move_in", submitted_data(MoveInPayload, request.form),
                        request.form.get("move-note", "").strip() or None)
    except (ValidationFailed, Conflict) as error:
        return stay_page(case_id, Refusal(MOVE_IN, error, described, request.form))
    return done(gettext("The resident has moved in."), "web.case_page", case_id=case_id)


@blp.get("/stays")
def stay_list():
    """Applications and residents by state, with the days left to each resident's limit."""
    require_permission(READ)
    state = request.args.get("state", "").strip() or None
    if state not in (None, *stays.STATES):
        state = None
    today = tenant_today(current_tenant())
    rows = [{"case": case, "stay": stay, "person": person, "days_left": stays.days_left(case, stay, today)}
            for case, stay, person in stays.stays_by_state(state)]
    return page("aftercare/stays/list.html", gettext("Stays"), rows=rows, state=state, states=stays.STATES,
                plugin=PLUGIN_ID)
