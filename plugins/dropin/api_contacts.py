"""The API of the contacts and the consents, on the plugin's blueprint (/api/t/<tenant>/x/dropin/...;
the count of the citizens reached is `api_evaluation`'s GET evaluation/reach). Reading needs READ;
recording a contact CONTACT_RECORD; a consent and its withdrawal CONSENT_RECORD. A contact with a
person is audited as a read of that person by the core (velferd.read_audit)."""

from __future__ import annotations

from velferd.toolkit import db, requires

from . import consent, contacts
from .api_kit import blp
from .contact_schemas import (
    CentreContactSchema,
    CitizenConsentSchema,
    ConsentInput,
    ContactInput,
    ContactQuery,
    WithdrawalInput,
)
from .manifest import CONSENT_RECORD, CONTACT_RECORD, READ


@blp.get("/contacts")
@requires(READ)
@blp.arguments(ContactQuery, location="query")
@blp.response(200, CentreContactSchema(many=True))
def list_contacts(query):
    """Contacts, the latest first (at most 200), by centre, days (inclusive) or citizen code; each
    says in what role the worker acted and whether it is anonymous."""
    found = contacts.contacts(query["centre_id"], query["start"], query["end"], query["citizen_code"])
    return [contacts.contact_body(one) for one in found]


@blp.post("/contacts")
@requires(CONTACT_RECORD)
@blp.arguments(ContactInput)
@blp.response(201, CentreContactSchema)
def record_contact(data):
    """Record a contact at a centre — anonymous unless the citizen has consented. Acting as a
    municipal worker with authority needs the authority (403 naming worker_role); a CPR-like citizen
    code or note is a 422 naming it; a person without consent in force a 409 saying why."""
    created = contacts.record_contact(data)
    db.session.commit()
    return contacts.contact_body(created)


@blp.get("/contacts/<int:contact_id>")
@requires(READ)
@blp.response(200, CentreContactSchema)
def read_contact(contact_id):
    """One contact (404 for another municipality's)."""
    return contacts.contact_body(contacts.contact(contact_id))


@blp.post("/consents")
@requires(CONSENT_RECORD)
@blp.arguments(ConsentInput)
@blp.response(201, CitizenConsentSchema)
def give_consent(data):
    """The citizen consents: the person (registered now with a CPR number, or by id), a case of the
    plugin, the consent with its scope, and the citizen code's contacts linked to the case."""
    created = consent.give(data)
    db.session.commit()
    return consent.consent_body(created)


@blp.get("/consents/<int:consent_id>")
@requires(READ)
@blp.response(200, CitizenConsentSchema)
def read_consent(consent_id):
    """One consent: given when, its scope, whether it is in force or withdrawn (when and why)."""
    return consent.consent_body(consent.consent(consent_id))


@blp.post("/consents/<int:consent_id>/withdrawal")
@requires(CONSENT_RECORD)
@blp.arguments(WithdrawalInput)
@blp.response(200, CitizenConsentSchema)
def withdraw_consent(data, consent_id):
    """The citizen withdraws the consent: dated, with the reason, journalled; the case is closed.
    A second withdrawal is a 409."""
    updated = consent.withdraw(consent.consent(consent_id), data)
    db.session.commit()
    return consent.consent_body(updated)

