"""Transfer of the measure to another referring unit (guideline 4.4), e.g. another district's
NAV office: planned, and only after a transfer meeting of its own — «et overføringsmøte skal alltid
finne sted i forkant av overføringen», so a meeting that served one transfer never serves the next.
The units assess together whether the move is in the youth's interest («i felleskap foretar en
faglig vurdering av om overgangen vil være i barnets interesse»); a move they find is not, is not
made. When the units disagree the transfer is on hold until the leaders of the units involved
settle it («Uenighet skal søkes løst mellom ledelsen for de involverte tjenestene. Ved uenighet skal
saken bero til avgjørelse er fattet»); the decision names both leaders and their joint assessment,
and meanwhile the case keeps its current payer. An agreed or approved transfer changes the payer
from its effective day.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    Meeting,
    Tenant,
    User,
    ValidationFailed,
    audit,
    db,
    get_owned,
    require_owned,
    utcnow,
)

from .models import Transfer
from .placement import current_payer, payer_unit, switch_payer
from .workflow import ACTIVE

TRANSFER_MEETING = "transfer_meeting"


def held_transfer_meeting(case_id: int) -> Meeting | None:
    """The latest held transfer meeting of the case that no earlier transfer was made on."""
    used = sa.select(Transfer.id).where(Transfer.meeting_id == Meeting.id).exists()
    return db.session.scalar(sa.select(Meeting).where(Meeting.case_id == case_id, Meeting.kind == TRANSFER_MEETING,
                                                      Meeting.held.is_(True), ~used)
                             .order_by(Meeting.starts_at.desc()).limit(1))


def _not_in_the_youths_interest(approving: bool, data: Mapping[str, Any]) -> None:
    if approving and not data["in_youths_interest"]:
        raise ValidationFailed("a transfer assessed as not in the youth's interest is not made",
                               {"in_youths_interest": ["the units' joint assessment must find the transfer in the "
                                                       "youth's interest (guideline 4.4)"]})


def pending_transfer(case_id: int) -> Transfer | None:
    return db.session.scalar(sa.select(Transfer).where(Transfer.case_id == case_id, Transfer.status == "on_hold"))


def request_transfer(tenant: Tenant, case: Case, data: Mapping[str, Any], actor: User | None) -> Transfer:
    if case.state not in ACTIVE:
        raise Conflict(f"case {case.id} is {case.state}; only a running measure is transferred")
    target = payer_unit(data["to_unit_id"], "to_unit_id")
    current = current_payer(case.id)
    if current is not None and current.unit_id == target.id:
        raise ValidationFailed("the case is already with that unit", {"to_unit_id": [f"{target.name} pays already"]})
    if pending_transfer(case.id) is not None:
        raise Conflict(f"a transfer of case {case.id} is on hold until a leader decides; settle it first")
    meeting = held_transfer_meeting(case.id)
    if meeting is None:
        raise Conflict("a transfer meeting must take place before the transfer, one for each transfer: record a "
                       f"meeting of kind '{TRANSFER_MEETING}' with held true on case {case.id} (a meeting an "
                       "earlier transfer was made on does not count again)")
    met_on = meeting.starts_at.astimezone(ZoneInfo(tenant.time_zone)).date()
    if data["effective_on"] < met_on:
        raise ValidationFailed("the transfer takes effect before the transfer meeting",
                               {"effective_on": [f"must be on or after the meeting on {met_on.isoformat()}"]})
    if not data["units_agree"] and not (data.get("disagreement") or "").strip():
        raise ValidationFailed("say what the units disagree on", {"disagreement": ["required when units_agree is false"]})
    _not_in_the_youths_interest(data["units_agree"], data)
    transfer = Transfer(case_id=case.id, from_unit_id=current.unit_id, to_unit_id=target.id, meeting_id=meeting.id,
                        effective_on=data["effective_on"], status="on_hold",
                        disagreement=None if data["units_agree"] else data["disagreement"].strip(),
                        in_youths_interest=data["in_youths_interest"],
                        interest_assessment=data["interest_assessment"].strip(),
                        requested_by_id=actor.id if actor else None)
    db.session.add(transfer)
    if data["units_agree"]:
        switch_payer(case, target.id, transfer.effective_on)
        transfer.status = "completed"
    db.session.flush()
    audit.record("due.transfer_requested", "due_transfer", transfer.id, person_id=case.person_id,
                 details={"to_unit_id": target.id, "status": transfer.status})
    return transfer


def transfer_of(transfer_id: int) -> Transfer:
    return require_owned(Transfer, transfer_id, "transfer")


def decide(transfer: Transfer, data: Mapping[str, Any], actor: User | None) -> Transfer:
    """The leaders of the units involved settle a disputed transfer, with their joint assessment of
    the youth's interest; approved, the new unit pays from the effective day. The user recording it
    is `decided_by`; the leaders are named, as they may work outside the platform (a NAV office)."""
    if transfer.status != "on_hold":
        raise Conflict(f"transfer {transfer.id} is {transfer.status}; only a transfer on hold awaits a decision")
    _not_in_the_youths_interest(data["approve"], data)
    case = get_owned(Case, transfer.case_id)
    if data["approve"]:
        transfer.effective_on = data.get("effective_on") or transfer.effective_on
        if case.state not in ACTIVE:
            raise Conflict(f"case {case.id} is {case.state}; the measure is no longer running")
        switch_payer(case, transfer.to_unit_id, transfer.effective_on)
    transfer.status = "completed" if data["approve"] else "rejected"
    transfer.decided_by_id = actor.id if actor else None
    transfer.decided_at, transfer.decision_reason = utcnow(), data["reason"].strip()
    transfer.from_unit_leader, transfer.to_unit_leader = data["from_unit_leader"].strip(), data["to_unit_leader"].strip()
    transfer.in_youths_interest = data["in_youths_interest"]
    transfer.interest_assessment = data["interest_assessment"].strip()
    db.session.flush()
    audit.record("due.transfer_decided", "due_transfer", transfer.id, person_id=case.person_id,
                 details={"status": transfer.status})
    return transfer




def transfers_on(case_id: int) -> list[Transfer]:
    """A case's transfers, oldest first (the case page's DUE panel lists them)."""
    return list(db.session.scalars(sa.select(Transfer).where(Transfer.case_id == case_id).order_by(Transfer.id)))
