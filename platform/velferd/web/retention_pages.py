"""Retention for the archivist and the tenant admin (``retention:read``): the disposals the
nightly job proposes, awaiting two approvals; the rules with their periods, bounds and legal
sources; the holds; the disposal log (velferd.retention).

Every rule is the API's (velferd.api.retention_api): the same permissions, services
(`proposals.approve`, `actions.adjust_rule`, `actions.place_hold`, `actions.release_hold`) and
schemas (`RetentionRuleSchema` for a period, `RetentionHoldSchema` for a hold). A refusal is the
page again with its error summary: the same member approving twice and a proposal carried out
already (409), a period outside the rule's bounds (422, beside its input), and a missing
permission (403) — the page is shown to every holder of ``retention:read``, and offers the forms
only to those who may post them, but a form left open in another tab must still be answered in
words, not with an error page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError

from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.retention_api import RetentionHoldSchema, RetentionRuleSchema
from velferd.auth import current_user, has_permission, require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.errors import Conflict, Forbidden, ValidationFailed, VelferdError
from velferd.models import User
from velferd.plugins.manager import registry
from velferd.retention import actions
from velferd.retention.models import RetentionDisposal, RetentionHold, RetentionProposal
from velferd.retention.proposals import APPROVALS_NEEDED, approve, approver_ids
from velferd.retention.rules import tenant_rule, tenant_rules
from velferd.tenancy import require_owned
from velferd.web import navigation
from velferd.web.blueprint import blp, wants_html
from velferd.web.case_pages import FailedForm
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.validation_messages import N_

#: The most proposals, holds and disposals each part of the page lists.
LIST_LIMIT = 200

navigation.core_entry("web.retention", lazy_gettext("Retention"), "retention:read")

#: the core rules' titles (velferd.retention.rules.CORE_RULES), for the catalogue; the page
#: translates a rule's title as it is drawn (a plugin's in its own catalogue)
RULE_TITLES = (N_("Cases of programmes without a rule of their own"), N_("Persons, counted from their last case closed"),
               N_("Invoices and their lines"), N_("Deadline reminder mails sent to staff"))


def _words() -> dict[str, str]:
    """The rules' and holds' values in the page's words: record types, the events periods count
    from, actions and kinds of hold (the values are the API's)."""
    return {"case": _("Case"), "person": _("Person"), "invoice": _("Invoice"), "reminder_mail": _("Reminder mail"),
            "case_closed": _("counted from when the case was closed"),
            "last_case_closed": _("counted from when the person's last case was closed"),
            "financial_year_end": _("counted from the end of the financial year"),
            "recorded": _("counted from when it was recorded"),
            "anonymise": _("Anonymise"), "deposit": _("Deposit to the archive"), "delete": _("Delete"),
            "legal_hold": _("Legal hold"), "appeal": _("Appeal not yet decided")}


def _choice(value: str | None) -> str:
    """A value in words (`_words`); a value the page has no words for (a new action) as it is."""
    return _words().get(value, value) if value else ""


@dataclass(frozen=True)
class WordedField(FormField):
    """A select whose choices are shown in the page's words (`_words`), not the "choice" context."""

    def choice_title(self, choice: str) -> str:
        return _choice(choice)


def _period_fields() -> list[FormField]:
    """The one input of a rule's period form (`RetentionRuleSchema`'s only loaded field); its
    bounds are in their own column, so no hint."""
    return [dataclasses.replace(field, hint=None) for field in form_fields(RetentionRuleSchema, {"years": _("Years")})]


def _hold_fields() -> list[FormField]:
    hints = {"record_id": _("The number of the case, person or invoice in Velferd."),
             "kind": _("A legal hold (a lawsuit, an inquiry) or an appeal (klage) not yet decided."),
             "reason": None}
    described = form_fields(RetentionHoldSchema, {"record_type": _("Kind of record"), "record_id": _("Record id"),
                                                  "kind": _("Kind of hold"), "reason": _("Reason")})
    return [WordedField(**{**{f.name: getattr(field, f.name) for f in dataclasses.fields(field)},
                           "hint": hints.get(field.key, field.hint)}) for field in described]


def rule_form_id(rule_name: str) -> str:
    return "rule-" + rule_name.replace(".", "-").replace("_", "-")


def _names_of(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).tuples().all())


def _retention_page(status: int = 200, failed: FailedForm | None = None) -> Response:
    pending = db.session.scalars(sa.select(RetentionProposal).where(RetentionProposal.status == "pending")
                                 .order_by(RetentionProposal.id.desc()).limit(LIST_LIMIT)).all()
    approvals = {proposal.id: approver_ids(proposal) for proposal in pending}
    holds = db.session.scalars(sa.select(RetentionHold).order_by(RetentionHold.id.desc()).limit(LIST_LIMIT)).all()
    log = db.session.scalars(sa.select(RetentionDisposal).order_by(RetentionDisposal.id.desc())
                             .limit(LIST_LIMIT)).all()
    people = {user_id for ids in approvals.values() for user_id in ids}
    people |= {user_id for entry in log for user_id in entry.approver_ids}
    people |= {user_id for hold in holds for user_id in (hold.placed_by_id, hold.released_by_id) if user_id}
    page = render_template(
        "web/retention.html", title=_("Retention"), proposals=pending, approvals=approvals,
        approvals_needed=APPROVALS_NEEDED, rules=tenant_rules(registry()), holds=holds, log=log,
        names=_names_of(people), failed=failed, period_fields=_period_fields(), rule_form_id=rule_form_id,
        hold_fields=_hold_fields(), choice=_choice, limit=LIST_LIMIT, me=current_user().id,
        may_approve=has_permission("retention:approve"), may_manage=has_permission("retention:manage"))
    return Response(page, status=status)


def _refused(error: VelferdError, form_id: str, described: list[FormField]) -> Response:
    """The page again with the form's error summary: a 422 by its fields, a 403 or 409 by its
    message; the API's error body for a script."""
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = (errors_by_input(described, error.fields) if error.status == 422 and error.fields
              else {"": [_refusal_text(error)]})
    return _retention_page(error.status, FailedForm(form_id, request.form, errors,
                                                    error_summary(described, errors, form_id)))


def _refusal_text(error: VelferdError) -> str:
    """A refusal in the page's words where the page knows it, else as the service wrote it."""
    if isinstance(error, Forbidden):
        return _("Your role does not give you access to this: %(reason)s.", reason=error.message)
    return error.message


def _checked(permission: str, form_id: str, described: list[FormField], act: Callable[[], str]) -> Response:
    """Run `act` (which returns the confirmation) for a member holding `permission`; a refusal
    is the page with its summary; success is back to the page's confirmation (PRG)."""
    try:
        require_permission(permission)
        confirmation = act()
    except ValidationError as error:
        return _refused(ValidationFailed("the form is invalid", error.normalized_messages()), form_id, described)
    except (Forbidden, ValidationFailed, Conflict) as error:
        return _refused(error, form_id, described)
    db.session.commit()
    flash(confirmation)
    return redirect(url_for("web.retention", tenant=tenant().slug, _anchor="confirmation"), 303)


@blp.get("/t/<tenant>/retention", endpoint="retention")
def retention_page():
    """Proposals awaiting approval, the rules, the holds and the disposal log."""
    require_permission("retention:read")
    return _retention_page()


@blp.post("/t/<tenant>/retention/proposals/<int:proposal_id>/approve")
def approve_proposal(proposal_id: int):
    """One approval (`proposals.approve`); the second member's carries the proposal out."""
    require_permission("retention:read")
    proposal = require_owned(RetentionProposal, proposal_id, "retention proposal")
    form_id = f"proposal-{proposal_id}"

    def act() -> str:
        approve(tenant(), registry(), proposal, current_user().id, tenant_today(tenant()))
        if proposal.status == "carried_out":
            return _("Proposal %(id)s is approved a second time and carried out: see the disposal log.",
                     id=proposal_id)
        return _("Proposal %(id)s is approved. A second person must approve it before anything is done.",
                 id=proposal_id)

    return _checked("retention:approve", form_id, [], act)


@blp.post("/t/<tenant>/retention/rules/<name>")
def adjust_rule(name: str):
    """This municipality's period for rule `name`, through `RetentionRuleSchema` and
    `actions.adjust_rule` (a period outside the rule's legal bounds: the input's error)."""
    require_permission("retention:read")
    described = _period_fields()

    def act() -> str:
        data = RetentionRuleSchema().load(submitted_data(RetentionRuleSchema, request.form))
        try:
            found = actions.adjust_rule(registry(), name, data["years"], current_user().id)
        except ValidationFailed as error:
            raise _outside_bounds(name, error) from None
        return _("The period of %(rule)s is now %(years)s years.", rule=found.rule.title or found.name,
                 years=found.years)

    return _checked("retention:manage", rule_form_id(name), described, act)


def _outside_bounds(name: str, error: ValidationFailed) -> ValidationFailed:
    """The service's refusal of a period in the page's words (its own message names the legal
    sources, which the page shows beside the rule)."""
    if "years" not in (error.fields or {}):
        return error
    rule = tenant_rule(registry(), name).rule
    return ValidationFailed(error.message, {"years": [
        _("Must be between %(min)s and %(max)s years: the rule's legal bounds.", min=rule.min_years,
          max=rule.max_years)]})


@blp.post("/t/<tenant>/retention/holds")
def place_hold():
    """Put a case, person or invoice on hold, through `RetentionHoldSchema` and `actions.place_hold`."""
    require_permission("retention:read")
    described = _hold_fields()

    def act() -> str:
        data = RetentionHoldSchema().load(submitted_data(RetentionHoldSchema, request.form))
        hold = actions.place_hold(data, current_user().id)
        return _("%(record)s %(id)s is on hold: no disposal touches it until the hold is released.",
                 record=_choice(hold.record_type), id=hold.record_id)

    return _checked("retention:approve", "hold", described, act)


@blp.post("/t/<tenant>/retention/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    """Release a hold (`actions.release_hold`); it stays in the list, marked released."""
    require_permission("retention:read")

    def act() -> str:
        hold = actions.release_hold(hold_id, current_user().id)
        return _("The hold is released: %(record)s %(id)s is disposed of when it is due.", record=_choice(hold.record_type), id=hold.record_id)

    return _checked("retention:approve", f"release-{hold_id}", [], act)
