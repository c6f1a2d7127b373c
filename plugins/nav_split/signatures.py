"""Rusfaglig Forum decisions on private institutions / social rehabilitation / private care, and
complaints on them to the county governor — who may write, approve and sign (seed, "Rusfeltet").

* The draft (the agreement with the institution and the reasons for admission or refusal) is
  written by Spesialteamet in NAV for NAV cases and by Rusteamet for Livsmestring cases; the
  case's coordinating unit decides which, and the plugin refuses the other team.
* Approval is the second signature of the Forum's coordinator or deputy, never the drafter's.
* A complaint is sent to the county governor (Fylkesmannen) only with two signatures: the Forum's
  leader and the head of Forvaltning, two different people.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    NotFound,
    audit,
    current_user,
    db,
    get_owned,
    require_owned,
    utcnow,
)

from .allocation import LIVSMESTRING, NAV
from .authority import require
from .decisions import effective_decision
from .manifest import (
    APPROVE,
    COMPLAINT_PREPARE,
    DRAFT_LIVSMESTRING,
    DRAFT_NAV,
    PLUGIN_ID,
    SIGN_AS_FORUM_LEADER,
    SIGN_AS_FORVALTNING_HEAD,
)
from .models import Complaint, ComplaintSignature, ForumDecision
from .workflow import APPOINTED_UNIT

DRAFTERS = {NAV: ("spesialteam", DRAFT_NAV), LIVSMESTRING: ("rusteam", DRAFT_LIVSMESTRING)}
CAPACITIES = {"forum_leader": SIGN_AS_FORUM_LEADER, "forvaltning_head": SIGN_AS_FORVALTNING_HEAD}

# The rules a 403 states (seed, "Rusfeltet"), before the permission it names.
DRAFTING_RULES = {NAV: "a NAV case's Forum agreement is drafted by Spesialteamet in NAV",
                  LIVSMESTRING: "a Livsmestring case's Forum agreement is drafted by Rusteamet"}
APPROVAL_RULE = ("the approval and second signature of a Rusfaglig Forum decision is given by the Forum's "
                 "coordinator or deputy")
COMPLAINT_RULE = ("a complaint on a Rusfaglig Forum decision is prepared and sent by the Forum's roles or the "
                  "head of Forvaltning")
SIGNING_RULES = {"forum_leader": "a complaint to the county governor is signed as forum_leader by the leader of "
                                 "Rusfaglig Forum",
                 "forvaltning_head": "a complaint to the county governor is signed as forvaltning_head by the head "
                                     "of Forvaltning (kommunalleder)"}


def nav_split_case(case_id: int) -> Case:
    case = get_owned(Case, case_id)
    if case is None or case.plugin != PLUGIN_ID:
        raise NotFound(f"no nav_split case {case_id}")
    return case


def responsible_unit(case: Case) -> str:
    """The unit whose team writes Forum drafts: the appointed coordinator's, else the decision's."""
    if case.state in APPOINTED_UNIT:
        return APPOINTED_UNIT[case.state]
    decision = effective_decision(case.id)
    if decision is not None and decision.outcome in DRAFTERS:
        return decision.outcome
    raise Conflict(f"case {case.id} belongs to neither NAV nor Livsmestring yet, so no team may draft for it; "
                   "appoint the coordinator (or record the Forum's outcome) first")


def draft(case_id: int, data: dict) -> ForumDecision:
    case = nav_split_case(case_id)
    unit = responsible_unit(case)
    team, permission = DRAFTERS[unit]
    require(permission, DRAFTING_RULES[unit])
    forum_decision = ForumDecision(case_id=case.id, responsible_unit=unit, drafting_team=team,
                                   drafted_by_id=current_user().id, status="draft", **data)
    db.session.add(forum_decision)
    db.session.flush()
    audit.record("nav_split.forum_decision.drafted", "nav_split_forum_decision", forum_decision.id,
                 person_id=case.person_id, details={"team": team, "verdict": forum_decision.verdict})
    return forum_decision


def forum_decision(decision_id: int) -> ForumDecision:
    return require_owned(ForumDecision, decision_id, "Rusfaglig Forum decision")


def decisions_of_case(case_id: int) -> list[ForumDecision]:
    """A case's Forum decisions, oldest first (the case's allocation panel lists them)."""
    return list(db.session.scalars(sa.select(ForumDecision).where(ForumDecision.case_id == case_id)
                                   .order_by(ForumDecision.id)))


def approve(decision_id: int) -> ForumDecision:
    require(APPROVE, APPROVAL_RULE)
    found = forum_decision(decision_id)
    user = current_user()
    if found.status != "draft":
        raise Conflict(f"Rusfaglig Forum decision {found.id} is already {found.status}")
    if found.drafted_by_id == user.id:
        raise Conflict("the drafter cannot give the second signature; the Forum's coordinator or deputy "
                       "approves a draft someone else wrote")
    found.status, found.approved_by_id, found.approved_at = "approved", user.id, utcnow()
    audit.record("nav_split.forum_decision.approved", "nav_split_forum_decision", found.id)
    return found


def prepare_complaint(decision_id: int, grounds: str) -> Complaint:
    require(COMPLAINT_PREPARE, COMPLAINT_RULE)
    found = forum_decision(decision_id)
    if found.status != "approved":
        raise Conflict(f"Rusfaglig Forum decision {found.id} is not approved; only an approved decision "
                       "can be complained about")
    complaint = Complaint(forum_decision_id=found.id, grounds=grounds.strip(), prepared_by_id=current_user().id,
                          status="draft")
    db.session.add(complaint)
    db.session.flush()
    audit.record("nav_split.complaint.prepared", "nav_split_complaint", complaint.id)
    return complaint


def complaints_on(decision_id: int) -> list[Complaint]:
    """The complaints against one Forum decision, oldest first."""
    return list(db.session.scalars(sa.select(Complaint).where(Complaint.forum_decision_id == decision_id)
                                   .order_by(Complaint.id)))


def complaint_of(complaint_id: int) -> Complaint:
    return require_owned(Complaint, complaint_id, "complaint")


def signatures_of(complaint_id: int) -> list[ComplaintSignature]:
    return list(db.session.scalars(sa.select(ComplaintSignature).where(
        ComplaintSignature.complaint_id == complaint_id).order_by(ComplaintSignature.id)))


def sign(complaint_id: int, capacity: str) -> ComplaintSignature:
    require(CAPACITIES[capacity], SIGNING_RULES[capacity])
    complaint = complaint_of(complaint_id)
    if complaint.status != "draft":
        raise Conflict(f"complaint {complaint.id} is already {complaint.status}")
    user = current_user()
    for signature in signatures_of(complaint.id):
        if signature.capacity == capacity:
            raise Conflict(f"complaint {complaint.id} is already signed as {capacity}")
        if signature.user_id == user.id:
            raise Conflict("the two signatures on a complaint must be two different people")
    signature = ComplaintSignature(complaint_id=complaint.id, capacity=capacity, user_id=user.id)
    db.session.add(signature)
    db.session.flush()
    audit.record("nav_split.complaint.signed", "nav_split_complaint", complaint.id, details={"as": capacity})
    return signature


def send(complaint_id: int) -> Complaint:
    require(COMPLAINT_PREPARE, COMPLAINT_RULE)
    complaint = complaint_of(complaint_id)
    if complaint.status != "draft":
        raise Conflict(f"complaint {complaint.id} is already {complaint.status}")
    missing = sorted(set(CAPACITIES) - {s.capacity for s in signatures_of(complaint.id)})
    if missing:
        raise Conflict(f"complaint {complaint.id} cannot be sent to the county governor without the signature "
                       f"of: {', '.join(missing)}", {"missing_signatures": missing})
    complaint.status, complaint.sent_at = "sent", utcnow()
    audit.record("nav_split.complaint.sent", "nav_split_complaint", complaint.id)
    return complaint
