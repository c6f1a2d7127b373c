"""DUE's pages under ``/t/<tenant>/x/due`` (velferd.web.plugin_pages mounts them; 404 where the
municipality has not enabled DUE): the waiting list here, and by area the intake
(`pages_intake`), coordinators and absences (`pages_coordination`), transfers
(`pages_transfers`) and the price table (`pages_prices`). Also the case panel and the dashboard
widget.

Every page calls the service the API route calls, with the API's permission and schema, so a
page cannot allow what the API refuses. A form is drawn from the API's schema by the core's
renderer (`form_fields`) and posted back through `submitted_data`; a 422 or 409 shows the page
again with the error summary and the values as typed, nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Membership,
    NotFound,
    PageBlueprint,
    Unit,
    ValidationError,
    ValidationFailed,
    VelferdError,
    current_tenant,
    db,
    error_summary,
    errors_by_input,
    flash,
    format_money,
    get_owned,
    redirect,
    render_template,
    request,
    require_permission,
    settings_for,
    submitted_data,
    tenant_today,
    url_for,
)
from velferd.toolkit import (
    gettext as _,
)

from . import extras, placement, transfers
from .manifest import PLUGIN_ID, WAITLIST_READ
from .overview import placement_overview
from .referral import REFERRING_KINDS
from .waitlist import waiting_list, waiting_list_overview

blp = PageBlueprint("due_pages", __name__)


def settings() -> dict:
    return settings_for(current_tenant(), PLUGIN_ID)


def today() -> dt.date:
    return tenant_today(current_tenant())


def due_case(case_id: int) -> Case:
    """The tenant's DUE case, or 404 (as the API's ``_case``)."""
    case = get_owned(Case, case_id)
    if case is None or case.plugin != PLUGIN_ID:
        raise NotFound(f"no DUE case {case_id}")
    return case


def page_url(endpoint: str, **values: Any) -> str:
    return url_for(f"due_pages.{endpoint}", tenant=current_tenant().slug, **values)


def case_url(case_id: int, anchor: str | None = None) -> str:
    return url_for("web.case_page", tenant=current_tenant().slug, case_id=case_id, _anchor=anchor)


def done(confirmation: str, target: str):
    """Post/redirect/get: the confirmation is shown on the page the user lands on."""
    flash(confirmation)
    return redirect(target)


# --- forms: drawn from the API's schemas, refused forms shown again --------------------------------

@dataclass
class Form:
    """One form of a page: its id, its inputs (from the API's schema) and, after a refused post,
    the values as typed and the errors by input. `picks` turns an id input into a choice of the
    municipality's staff or units (value, label), so no one types a number."""

    form_id: str
    fields: list
    picks: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def refused(self, error: VelferdError) -> "Form":
        errors = errors_by_input(self.fields, error.fields) if error.status == 422 and error.fields else {
            "": [error.message]}
        return Form(self.form_id, self.fields, self.picks, request.form, errors,
                    error_summary(self.fields, errors, self.form_id))


class Prefilled(dict):
    """A form's first values, read by the macros as they read a posted form (a list of ticked
    boxes by ``getlist``)."""

    def getlist(self, key: str) -> list:
        value = self.get(key, [])
        return list(value) if isinstance(value, (list, tuple)) else [value]


def loaded(schema_class, form: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The posted form loaded by the API's schema, or ValidationFailed naming the fields."""
    try:
        return schema_class().load(submitted_data(schema_class, request.form if form is None else form))
    except ValidationError as error:
        raise ValidationFailed("the form is invalid", error.normalized_messages()) from None


def posted(render: Callable[..., Any], form: Form, action: Callable[[], Any]):
    """Run `action` (which loads, calls the service and returns the redirect); on a 422 or 409
    roll back and answer with `render(form=<the refused form>)` and the error's status. A
    script that does not ask for HTML gets the API's error body instead."""
    try:
        response = action()
    except ValidationFailed as error:
        return _refused(render, form, error)
    except VelferdError as error:
        if error.status != 409:
            raise
        return _refused(render, form, error)
    db.session.commit()
    return response


def _refused(render, form: Form, error: VelferdError):
    db.session.rollback()
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) != "text/html":
        raise error
    return render(form=form.refused(error)), error.status


def staff_choices() -> list[tuple[str, str]]:
    """The municipality's staff (tenant-scoped memberships), by name."""
    members = db.session.scalars(sa.select(Membership)).all()
    return sorted(((str(m.user_id), m.user.name) for m in members), key=lambda pair: pair[1])


def unit_choices(kinds: tuple[str, ...] = tuple(REFERRING_KINDS)) -> list[tuple[str, str]]:
    units = db.session.scalars(sa.select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.name)).all()
    return [(str(unit.id), unit.name) for unit in units]


@blp.app_template_filter("due_money")
def money(amount: Decimal | None, language: str) -> str:
    """``17 800,00 kr``: an amount in the page's language (``page_language()``)."""
    return "–" if amount is None else f"{format_money(Decimal(amount), language)}\u00a0kr"


def names_of(pairs: list[tuple[str, str]]) -> dict[int, str]:
    return {int(value): label for value, label in pairs}


# --- the waiting list ---------------------------------------------------------------------------

@blp.get("/waiting-list")
def waiting_list_page():
    """Eligible referrals waiting for a place, best first, each with the arithmetic of its
    priority (the API's overview; the cases listed are audited)."""
    require_permission(WAITLIST_READ)
    overview = waiting_list_overview(settings(), today())
    db.session.commit()
    return render_template("due/waiting_list.html", title=_("Waiting list"), overview=overview)


# --- the case panel and the dashboard widget -------------------------------------------------------

def case_panel_context(case: Case, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the DUE panel on the case page shows: the placement overview, the vedtak, the extra
    resources, today's date (for overdue deadlines) and the names of staff and units."""
    return {"overview": placement_overview(case, today()), "vedtak": placement.vedtak_of(case.id),
            "extras": extras.extras_of(case.id), "transfers": transfers.transfers_on(case.id), "today": today(), "staff_names": names_of(staff_choices()),
            "unit_names": names_of(unit_choices(tuple({*REFERRING_KINDS, *placement.PAYER_KIND_OF})))}


def dashboard_context(tenant, values: Mapping[str, Any]) -> dict[str, Any]:
    """How many eligible referrals wait (a count only: no case is listed, nothing to audit)."""
    return {"waiting": len(waiting_list(values, tenant_today(tenant))),
            "waiting_url": url_for("due_pages.waiting_list_page", tenant=tenant.slug)}


from . import pages_coordination, pages_follow_up, pages_intake, pages_prices, pages_transfers  # noqa: E402, F401  (routes on blp)
