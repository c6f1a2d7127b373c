"""The case page's posts for its records: submit a programme's form (`velferd.forms.submit`),
run a rule (`velferd.decisions.evaluate`), override a decision (`velferd.decisions.override`) —
the API's services, so the same permission checks and validation; a 422 or 409 shows the case
page again with the error summary (velferd.web.case_pages.refused).
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from velferd import cases, decisions, forms
from velferd.api.context import tenant
from velferd.api.schemas import OverrideSchema
from velferd.auth import require_permission
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed
from velferd.web.blueprint import blp
from velferd.web.case_pages import back_to_the_case, refused
from velferd.web.case_records import override_fields
from velferd.web.form_fields import form_fields, submitted_data


@blp.post("/t/<tenant>/cases/<int:case_id>/forms/<name>")
def submit_case_form(case_id: int, name: str):
    """Submit the case's programme's form `name` through `forms.submit` (the API's)."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    spec = forms.form_spec(tenant(), case.plugin, name)
    described = form_fields(spec.schema)
    try:
        forms.submit(tenant(), case.plugin, name, submitted_data(spec.schema, request.form), case.id)
    except (ValidationFailed, Conflict) as error:
        return refused(case_id, error, f"form-{name}", described)
    db.session.commit()
    return back_to_the_case(case_id, _("The form is saved: %(form)s.", form=spec.title or name))


@blp.post("/t/<tenant>/cases/<int:case_id>/rules/<name>")
def evaluate_case_rule(case_id: int, name: str):
    """Run the programme's rule `name` on the case (`decisions.evaluate`); the decision and its
    reasons appear under Decisions."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    spec = decisions.rule_spec(tenant(), case.plugin, name)
    described = form_fields(spec.inputs_schema)
    try:
        decision = decisions.evaluate(tenant(), case.plugin, name, submitted_data(spec.inputs_schema, request.form), case.id)
    except (ValidationFailed, Conflict) as error:
        return refused(case_id, error, f"rule-{name}", described)
    db.session.commit()
    return back_to_the_case(case_id, _("The rule decided: %(outcome)s.", outcome=decision.outcome))


@blp.post("/t/<tenant>/cases/<int:case_id>/decisions/<int:decision_id>/override")
def override_case_decision(case_id: int, decision_id: int) -> Response:
    """Replace a decision's outcome with a person's and the reason (`decisions.override`)."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    decision = decisions.read_decision(decision_id)
    if decision.case_id != case.id:
        raise ValidationFailed("the decision belongs to another case", {"decision_id": ["not this case's decision"]})
    described = override_fields()
    try:
        change = OverrideSchema().load(submitted_data(OverrideSchema, request.form))
        decisions.override(tenant(), decision, change["outcome"], change["reason"])
    except ValidationError as error:
        return refused(case_id, ValidationFailed("the override is invalid", error.normalized_messages()),
                       f"override-{decision_id}", described)
    except (ValidationFailed, Conflict) as error:
        return refused(case_id, error, f"override-{decision_id}", described)
    db.session.commit()
    return back_to_the_case(case_id, _("The decision is overridden."))
