"""The plugin's case lifecycle (workflow ``dropin_citizen``): in contact → closed, and reopened.

A dropin case exists only because a citizen consented (`consent`): the anonymous contacts before
need none. "Som udgangspunkt er det frivilligt for borgerne, om de vil tage imod tilbuddene fra
kommunen" — so the case is closed when the consent is withdrawn (`consent.withdraw` takes the move
``close`` with the reason ``consent_withdrawn``), and can also be closed when the contact has
ended. It is reopened by a new consent, or by hand while a consent is in force (the guard below
refuses otherwise, with the reason). The core sets a case's ``closed_at`` when it reaches the final
state; `on_transitioned` clears it again on a reopen, so the reopened case is open in the caseload.

Both moves need CONSENT_RECORD: what opens the case is the consent, and who records it closes it.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import GuardContext, Transition, Workflow, db, fields, validate

from .contact_models import Consent
from .manifest import CONSENT_RECORD
from .markers import N_
from .strict import Strict

IN_CONTACT, CLOSED = "in_contact", "closed"
STATES = (IN_CONTACT, CLOSED)
CLOSE, REOPEN = "close", "reopen"
CONSENT_WITHDRAWN = "consent_withdrawn"
CLOSE_REASONS = (CONSENT_WITHDRAWN, "contact_ended", "other")
NO_CONSENT = N_("no consent is in force for this case; record the citizen's consent first")


class CloseReason(Strict):
    reason = fields.String(required=True, validate=validate.OneOf(CLOSE_REASONS),
                           metadata={"title": "Why the case is closed"})


class NoData(Strict):
    """A move that needs no data."""


def consent_in_force(context: GuardContext) -> str | None:
    """A case is reopened only while the citizen's consent is in force."""
    found = db.session.scalar(sa.select(Consent.id).where(Consent.case_id == context.case.id,
                                                          Consent.withdrawn_on.is_(None)))
    return None if found is not None else NO_CONSENT


WORKFLOW = Workflow(
    name="dropin_citizen",
    initial=IN_CONTACT,
    states=STATES,
    final=(CLOSED,),
    transitions=(
        Transition(CLOSE, (IN_CONTACT,), CLOSED, permission=CONSENT_RECORD, payload=CloseReason,
                   title="Close the case"),
        Transition(REOPEN, (CLOSED,), IN_CONTACT, guards=(consent_in_force,), permission=CONSENT_RECORD,
                   payload=NoData, title="Reopen the case"),
    ),
)


def on_transitioned(tenant, case, transition, from_state, actor, payload) -> None:
    """A reopened case is open again (the core set closed_at when it was closed)."""
    if transition.name == REOPEN:
        case.closed_at = None
        db.session.flush()
