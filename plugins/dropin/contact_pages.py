"""The pages of the contacts part: "Contacts" (the centres, each with a link to its contacts, and
the way to a consent), a centre's contacts with the form that records one, the consent form that
turns a citizen code's contacts into a case, a consent's page with the withdrawal form, and the
case panel "Contacts and consent".

Each form posts what the API's schemas load (`contact_schemas`, through the toolkit's
`attempt_form`) to the same services (`contacts`, `consent`), so a page refuses what the API
refuses, with the same reason: a 422 names its inputs, a 409 (or the 403 of a centre worker
choosing the role of a municipal worker with authority) says why, the page drawn again with what
was typed and the error summary first. Reading needs READ; recording a contact CONTACT_RECORD;
a consent and its withdrawal CONSENT_RECORD. The choices (help, service, role, scope) are drawn
with this part's own titles (`choice_titles`), not their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Forbidden,
    NotFound,
    db,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import centres, consent, contacts
from .contact_models import Contact
from .contact_schemas import ConsentInput, ContactFields, WithdrawalInput
from .manifest import CONSENT_RECORD, CONTACT_RECORD, PLUGIN_ID, READ
from .page_kit import Refusal, attempt, blp, done, page

CONTACT_FORM, CONSENT_FORM, WITHDRAWAL_FORM = "contact", "consent", "withdrawal"
TEMPLATES = "dropin/contacts/"


def choice_titles() -> dict[str, dict[str, str]]:
    """The choices' titles by input name, translated."""
    def translated(titles: Mapping[str, str]) -> dict[str, str]:
        return {value: gettext(title) for value, title in titles.items()}

    return {"help": translated(contacts.HELP_KINDS), "service": translated(contacts.SERVICES),
            "worker_role": translated(contacts.WORKER_ROLES), "previously_known": translated(contacts.ANSWERS),
            "first_contact": translated(contacts.ANSWERS), "scope": translated(consent.SCOPES)}


def _attempt(form_id: str, schema, work):
    """`attempt`, with the 403 of a role the user may not act in shown on the form like a 409."""
    try:
        return attempt(form_id, schema, work)
    except Forbidden as error:
        return None, Refusal(form_id, error, form_fields(schema), request.form)


# --- the contacts ---------------------------------------------------------------------------------

@blp.get("/contacts")
def contacts_page():
    """The centres, each with its number of contacts, a link to them and (for CONSENT_RECORD) to
    the consent form."""
    require_permission(READ)
    counts = dict(db.session.execute(sa.select(Contact.centre_id, sa.func.count()).group_by(Contact.centre_id)).all())
    rows = [(found, counts.get(found.id, 0)) for found in centres.centres()]
    return page(TEMPLATES + "contacts.html", gettext("Contacts at the centres"), rows=rows,
                may_consent=has_permission(CONSENT_RECORD))


def _centre_contacts(centre_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = centres.centre(centre_id)
    mine = failed.of(CONTACT_FORM) if failed else None
    return page(TEMPLATES + "centre_contacts.html", gettext("Contacts at %(name)s", name=found.name),
                failed.status if failed else 200, centre=found, contacts=contacts.contacts(centre_id=found.id),
                failed=failed, may_record=has_permission(CONTACT_RECORD), fields=form_fields(ContactFields),
                values=mine.values if mine else {"contact_on": centres.today().isoformat()},
                errors=mine.errors if mine else {}, titles=choice_titles())


@blp.get("/centres/<int:centre_id>/contacts")
def centre_contacts(centre_id: int):
    """A centre's contacts, the latest first: the help given, the service, in what role the worker
    acted, whether anonymous; and the form that records one."""
    return _centre_contacts(centre_id)


@blp.post("/centres/<int:centre_id>/contacts")
def record_contact(centre_id: int):
    """Record a contact at the centre (the API's POST contacts)."""
    require_permission(CONTACT_RECORD)
    found = centres.centre(centre_id)
    _, refused = _attempt(CONTACT_FORM, ContactFields,
                          lambda data: contacts.record_contact({**data, "centre_id": found.id}))
    if refused:
        return _centre_contacts(centre_id, refused)
    return done(gettext("The contact is recorded."), "dropin_pages.centre_contacts", centre_id=centre_id)


# --- consent --------------------------------------------------------------------------------------

def _consent_form(failed: Refusal | None = None, code: str = ""):
    require_permission(CONSENT_RECORD)
    return page(TEMPLATES + "consent.html", gettext("Record a citizen's consent"), failed.status if failed else 200,
                failed=failed, fields=form_fields(ConsentInput), titles=choice_titles(),
                values=failed.values if failed else {"given_on": centres.today().isoformat(), "citizen_code": code},
                errors=failed.errors if failed else {})


@blp.get("/consents/new")
def consent_form():
    """The consent form: the citizen code whose contacts become the case's, the person, the day and
    the scope."""
    return _consent_form(code=request.args.get("citizen_code", ""))


@blp.post("/consents")
def give_consent():
    """Record the consent (the API's POST consents); then the case's page."""
    require_permission(CONSENT_RECORD)
    created, refused = _attempt(CONSENT_FORM, ConsentInput, consent.give)
    if refused:
        return _consent_form(refused)
    return done(gettext("The consent is recorded and the case opened."), "web.case_page", case_id=created.case_id)


def _consent_page(consent_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = consent.consent(consent_id)
    return page(TEMPLATES + "consent_page.html", gettext("Consent %(id)s", id=found.id),
                failed.status if failed else 200, consent=found, failed=failed, titles=choice_titles(),
                withdrawal=_withdrawal_form(found, failed), linked=consent.linked_count(found))


def _withdrawal_form(found, failed: Refusal | None = None) -> dict[str, Any] | None:
    if found.withdrawn_on is not None or not has_permission(CONSENT_RECORD):
        return None
    mine = failed.of(WITHDRAWAL_FORM) if failed else None
    return {"fields": form_fields(WithdrawalInput), "errors": mine.errors if mine else {},
            "values": mine.values if mine else {"withdrawn_on": centres.today().isoformat()}}


@blp.get("/consents/<int:consent_id>")
def consent_page(consent_id: int):
    """A consent: given when, its scope, the contacts of its case, and the withdrawal form."""
    return _consent_page(consent_id)


@blp.post("/consents/<int:consent_id>/withdrawal")
def withdraw_consent(consent_id: int):
    """The citizen withdraws the consent (the API's POST consents/<id>/withdrawal); the case is
    closed."""
    require_permission(CONSENT_RECORD)
    found = consent.consent(consent_id)
    case_id = found.case_id
    _, refused = _attempt(WITHDRAWAL_FORM, WithdrawalInput, lambda data: consent.withdraw(found, data))
    if refused:
        return _consent_page(consent_id, refused)
    return done(gettext("The withdrawal is recorded and the case closed."), "web.case_page", case_id=case_id)


# --- the case panel -------------------------------------------------------------------------------

def panel_context(case: Case, settings: Mapping[str, Any] | None = None) -> dict:
    """What the panel "Contacts and consent" shows (`CasePanel.context`): the case's consents, its
    contacts with the worker's role, and the withdrawal form while a consent is in force."""
    if case.plugin != PLUGIN_ID:
        raise NotFound(f"no dropin case {case.id}")
    consents = consent.of_case(case.id)
    current = next((one for one in consents if one.withdrawn_on is None), None)
    return {"consents": consents, "contacts": contacts.contacts(case_id=case.id), "titles": choice_titles(),
            "centre_names": {one.id: one.name for one in centres.centres()},
            "current": current, "withdrawal": _withdrawal_form(current) if current else None}
