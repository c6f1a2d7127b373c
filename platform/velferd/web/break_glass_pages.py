"""Breaking the glass on a page: a case outside the member's need to know shows, instead of
"not found", a form to open it with a reason (velferd.break_glass); the leaders it is reported to
see colleagues' reasoned accesses on the dashboard and mark them reviewed."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from velferd import break_glass, need_to_know
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.need_to_know_schemas import BreakGlassSchema
from velferd.auth import has_permission, require_permission
from velferd.db import db
from velferd.models import Case
from velferd.tenancy import get_owned
from velferd.web.blueprint import blp, wants_html
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data

FORM_ID = "break-glass"


def outside_need_to_know(case_id: int) -> bool:
    """The municipality has the case, but the caller's scope does not reach it (the case page
    then offers to break the glass instead of saying "not found")."""
    if need_to_know.current_scope() is None or not has_permission("cases:read"):
        return False
    with need_to_know.unscoped():
        return get_owned(Case, case_id) is not None


def _reason_fields() -> list[FormField]:
    return form_fields(BreakGlassSchema, {"reason": _("Why must you open this case?")})


def break_glass_form(case_id: int, status: int = 403, values=None, errors=None, summary=None) -> Response:
    """The form, with the rules of the access said before the member decides (for a script: the
    API's error body)."""
    db.session.rollback()
    if not wants_html():
        message = "the case is outside your need to know: break the glass with a reason" if status == 403 else \
            "the reason is invalid"
        return error_response(status, message, {"reason": sum(errors.values(), [])} if errors else None)
    page = render_template("web/break_glass.html", title=_("This case is outside your work"), case_id=case_id,
                           fields=_reason_fields(), form_id=FORM_ID, values=values or {}, errors=errors or {},
                           summary=summary or [], hours=need_to_know.GRANT_HOURS)
    return Response(page, status=status)


@blp.post("/t/<tenant>/cases/<int:case_id>/break-glass")
def break_the_glass(case_id: int):
    require_permission("cases:read")
    described = _reason_fields()
    try:
        data = BreakGlassSchema().load(submitted_data(BreakGlassSchema, request.form))
    except ValidationError as error:
        errors = errors_by_input(described, error.normalized_messages())
        return break_glass_form(case_id, 422, request.form, errors, error_summary(described, errors, FORM_ID))
    break_glass.break_the_glass(case_id, data["reason"])
    db.session.commit()
    flash(_("You may see this case for %(hours)s hours. Your reason is recorded and has been reported to the "
            "unit's leaders.", hours=need_to_know.GRANT_HOURS))
    return redirect(url_for("web.case_page", tenant=tenant().slug, case_id=case_id, _anchor="confirmation"))


@blp.post("/t/<tenant>/access-reports/<int:grant_id>/review")
def review_access_report(grant_id: int):
    require_permission("dashboard:read")
    break_glass.review(grant_id)
    db.session.commit()
    flash(_("Marked as reviewed."))
    return redirect(url_for("web.dashboard", tenant=tenant().slug, _anchor="access-reports"))
