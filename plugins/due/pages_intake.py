"""The intake's pages: a new referral (the API's three calls in one form: open the DUE case for a
person with the referring unit, file the referral form, evaluate the eligibility rule) and the
referring unit's vedtak. DUE's other forms (the assessment, the reports) and a new evaluation
of the rule are on the case page, drawn by the core (velferd.web.case_records_pages)."""

from __future__ import annotations

from velferd.toolkit import (
    Schema,
    current_tenant,
    current_user,
    evaluate_rule,
    fields,
    form_fields,
    open_case,
    render_template,
    request,
    require_permission,
    submit_form,
    submitted_data,
    validate,
)
from velferd.toolkit import gettext as _

from . import placement
from .eligibility import RULE
from .forms import ReferralForm
from .manifest import INTAKE, PLUGIN_ID
from .pages import Form, blp, case_url, done, due_case, loaded, page_url, posted, unit_choices
from .schemas import VedtakCreateSchema

ID = validate.Range(min=1, max=2**31 - 1)


class ReferralCase(Schema):
    """Who is referred and by which unit: the API's case-opening fields (``POST /cases``)."""

    person_id = fields.Integer(required=True, validate=ID, metadata={
        "title": "Person number", "description": "The number on the youth's person page"})
    referring_unit_id = fields.Integer(required=True, validate=ID, metadata={"title": "Referring unit"})


def _referral_form(values=None) -> Form:
    """Who is referred and by which unit, then the referral form's own fields: one form."""
    return Form("referral", form_fields(ReferralCase) + form_fields(ReferralForm),
                {"referring_unit_id": unit_choices()}, values or {})


def _referral_page(form: Form):
    return render_template("due/referral.html", title=_("New referral"), form=form)


@blp.get("/referrals/new")
def new_referral():
    """The referral form; ``?person_id=`` fills in the youth (a link from the person's page)."""
    require_permission("cases:write")
    require_permission(INTAKE)
    return _referral_page(_referral_form({"person_id": request.args.get("person_id", "")}))


@blp.post("/referrals/new")
def refer():
    """Open the case, file the referral and evaluate eligibility, as the API's three calls do —
    all or nothing: a refusal of any of them writes nothing."""
    require_permission("cases:write")
    require_permission(INTAKE)

    def action():
        who = loaded(ReferralCase)
        case = open_case(current_tenant(), PLUGIN_ID, who["person_id"], who["referring_unit_id"])
        submission = submit_form(current_tenant(), PLUGIN_ID, "referral", submitted_data(ReferralForm, request.form),
                                 case.id)
        inputs = {key: submission.data.get(key) for key in ("referred_on", "criteria", "date_of_birth")}
        decision = evaluate_rule(current_tenant(), PLUGIN_ID, RULE, inputs, case.id)
        outcome = _("eligible") if decision.outcome == "eligible" else _("not eligible")
        return done(_("The referral is filed; the recommendation: %(outcome)s.", outcome=outcome),
                    case_url(case.id, "confirmation"))

    return posted(_referral_page, _referral_form(), action)


# --- the vedtak ---------------------------------------------------------------------------------------

def _vedtak_form() -> Form:
    return Form("vedtak", form_fields(VedtakCreateSchema, {"unit_id": _("Paying unit")}),
                {"unit_id": unit_choices(tuple(placement.PAYER_KIND_OF))})


def _vedtak_page(case, form: Form | None = None):
    return render_template("due/vedtak.html", title=_("Vedtak"), case=case, recorded=placement.vedtak_of(case.id),
                           form=form or _vedtak_form())


@blp.get("/cases/<int:case_id>/vedtak")
def vedtak(case_id: int):
    require_permission(INTAKE)
    return _vedtak_page(due_case(case_id))


@blp.post("/cases/<int:case_id>/vedtak")
def record_vedtak(case_id: int):
    """The referring unit's vedtak on DUE (needed before the start meeting), as the API records it."""
    require_permission(INTAKE)
    case = due_case(case_id)

    def action():
        placement.record_vedtak(current_tenant(), case, loaded(VedtakCreateSchema), current_user())
        return done(_("The vedtak is recorded."), page_url("vedtak", case_id=case.id))

    return posted(lambda form: _vedtak_page(case, form), _vedtak_form(), action)
