"""Transfers to another referring unit (guideline 4.4): start one from a case (after a held
transfer meeting; the API's ``POST transfers``) and the transfer's page, where a leader settles
a disputed one (``POST decision``)."""

from __future__ import annotations

from velferd.toolkit import current_tenant, current_user, form_fields, render_template, require_permission
from velferd.toolkit import gettext as _

from . import placement, transfers
from .manifest import CASE_READ, TRANSFER, TRANSFER_DECIDE
from .pages import Form, blp, done, due_case, loaded, names_of, page_url, posted, unit_choices
from .schemas import TransferCreateSchema, TransferDecisionSchema


def _payers() -> list[tuple[str, str]]:
    return unit_choices(tuple(placement.PAYER_KIND_OF))


def _request_form() -> Form:
    return Form("transfer", form_fields(TransferCreateSchema, {"to_unit_id": _("New referring unit")}),
                {"to_unit_id": _payers()})


def _request_page(case, form: Form | None = None):
    return render_template("due/transfer_new.html", title=_("Transfer to another unit"), case=case,
                           form=form or _request_form())


@blp.get("/cases/<int:case_id>/transfers/new")
def new_transfer(case_id: int):
    require_permission(TRANSFER)
    return _request_page(due_case(case_id))


@blp.post("/cases/<int:case_id>/transfers/new")
def request_transfer(case_id: int):
    """On agreement the new unit pays from the effective date; on disagreement the transfer is on
    hold until a leader decides, and the current unit keeps paying."""
    require_permission(TRANSFER)
    case = due_case(case_id)

    def action():
        transfer = transfers.request_transfer(current_tenant(), case, loaded(TransferCreateSchema), current_user())
        return done(_("The transfer is recorded."), page_url("transfer", transfer_id=transfer.id))

    return posted(lambda form: _request_page(case, form), _request_form(), action)


def _decision_form() -> Form:
    return Form("decision", form_fields(TransferDecisionSchema))


def _transfer_page(transfer, form: Form | None = None):
    return render_template("due/transfer.html", title=_("Transfer %(id)s", id=transfer.id), transfer=transfer,
                           form=form or _decision_form(), unit_names=names_of(_payers()))


@blp.get("/transfers/<int:transfer_id>")
def transfer(transfer_id: int):
    require_permission(CASE_READ)
    return _transfer_page(transfers.transfer_of(transfer_id))


@blp.post("/transfers/<int:transfer_id>/decision")
def decide_transfer(transfer_id: int):
    """A leader settles a disputed transfer."""
    require_permission(TRANSFER_DECIDE)
    found = transfers.transfer_of(transfer_id)

    def action():
        transfers.decide(found, loaded(TransferDecisionSchema), current_user())
        return done(_("The transfer is decided."), page_url("transfer", transfer_id=found.id))

    return posted(lambda form: _transfer_page(found, form), _decision_form(), action)
