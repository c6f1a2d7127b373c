"""The plugin's routes, mounted by the core at /api/t/<tenant>/x/nav_split (404 for a tenant that
has not enabled it). A flask-smorest Blueprint, so every route is in /api/openapi.json."""

from __future__ import annotations

from velferd.toolkit import Blueprint, current_tenant, db, requires, tenant_today

from . import agendas, followup, signatures
from .manifest import AGENDA_BUILD, AGENDA_READ, ALLOCATION_READ, FOLLOW_UP, FORUM_READ
from .models import Agenda
from .schemas import (
    AgendaItemSchema,
    AgendaQuery,
    AgendaSchema,
    AllocationSchema,
    AppointmentSchema,
    BuildSchema,
    ComplaintCreateSchema,
    ComplaintSchema,
    FollowUpSchema,
    ForumDecisionSchema,
    ForumDraftSchema,
    QueueQuery,
    SignatureSchema,
    SignSchema,
)

blp = Blueprint("nav_split_api", __name__, description="Kristiansand: NAV or Livsmestring, agendas, Rusfaglig Forum")


def _agenda_body(agenda: Agenda) -> dict:
    return {"id": agenda.id, "kind": agenda.kind, "week_start": agenda.week_start, "built_at": agenda.built_at,
            "items": agendas.items_of(agenda.id)}


def _complaint_body(complaint) -> dict:
    return {**{c: getattr(complaint, c) for c in ("id", "forum_decision_id", "grounds", "status", "prepared_by_id",
                                                  "prepared_at", "sent_at")},
            "signatures": signatures.signatures_of(complaint.id)}


# --- allocation and follow-up ---------------------------------------------------------------------

@blp.get("/cases/<int:case_id>/allocation")
@requires(ALLOCATION_READ)
@blp.response(200, AllocationSchema)
def read_allocation(case_id):
    """The decision that governs the case, and the current appointment (unit, NAV team, follow-up)."""
    return followup.allocation_of(signatures.nav_split_case(case_id))


@blp.put("/cases/<int:case_id>/follow-up")
@requires(FOLLOW_UP)
@blp.arguments(FollowUpSchema)
@blp.response(200, AppointmentSchema)
def record_follow_up(data, case_id):
    """Who follows up (e.g. Livsmestring at home while NAV coordinates), and social assistance —
    always decided by NAV's financial caseworker."""
    appointment = followup.record_follow_up(signatures.nav_split_case(case_id), data)
    db.session.commit()
    return appointment


# --- queue and agendas -------------------------------------------------------------------------------

@blp.get("/queue")
@requires(AGENDA_READ)
@blp.arguments(QueueQuery, location="query")
@blp.response(200, AgendaItemSchema(many=True))
def read_queue(query):
    """Cases queued or scheduled for Rusfaglig Forum, a cooperation meeting or leader level."""
    return agendas.waiting(query["kind"])


@blp.post("/agendas/build")
@requires(AGENDA_BUILD)
@blp.arguments(BuildSchema)
@blp.response(200, AgendaSchema(many=True))
def build_agendas(data):
    """Run the weekly agenda job now (the scheduler also runs it Monday 06:00, Europe/Oslo):
    one agenda per kind for the week, every queued case placed on it. Idempotent."""
    tenant = current_tenant()
    built = agendas.build_weekly_agendas(tenant, data["week_start"] or tenant_today(tenant))
    db.session.commit()
    return [_agenda_body(agenda) for agenda in built]


@blp.get("/agendas")
@requires(AGENDA_READ)
@blp.arguments(AgendaQuery, location="query")
@blp.response(200, AgendaSchema(many=True))
def list_agendas(query):
    """The weekly agendas of Rusfaglig Forum and the cooperation meetings."""
    return [_agenda_body(a) for a in agendas.listed(query["week_start"])]


@blp.get("/agendas/<int:agenda_id>")
@requires(AGENDA_READ)
@blp.response(200, AgendaSchema)
def read_agenda(agenda_id):
    """One agenda with its items."""
    return _agenda_body(agendas.agenda_of(agenda_id))


# --- Rusfaglig Forum decisions and complaints ----------------------------------------------------------

@blp.post("/cases/<int:case_id>/forum-decisions")
@blp.arguments(ForumDraftSchema)
@blp.response(201, ForumDecisionSchema)
def draft_forum_decision(data, case_id):
    """Spesialteamet (NAV cases) or Rusteamet (Livsmestring cases) drafts the agreement and reasons."""
    drafted = signatures.draft(case_id, data)
    db.session.commit()
    return drafted


@blp.get("/forum-decisions/<int:decision_id>")
@requires(FORUM_READ)
@blp.response(200, ForumDecisionSchema)
def read_forum_decision(decision_id):
    """One Rusfaglig Forum decision with its signatures."""
    return signatures.forum_decision(decision_id)


@blp.post("/forum-decisions/<int:decision_id>/approval")
@blp.response(200, ForumDecisionSchema)
def approve_forum_decision(decision_id):
    """The second signature: the Forum's coordinator or deputy, never the drafter."""
    approved = signatures.approve(decision_id)
    db.session.commit()
    return approved


@blp.post("/forum-decisions/<int:decision_id>/complaints")
@blp.arguments(ComplaintCreateSchema)
@blp.response(201, ComplaintSchema)
def prepare_complaint(data, decision_id):
    """Prepare a complaint against an approved Forum decision."""
    complaint = signatures.prepare_complaint(decision_id, data["grounds"])
    db.session.commit()
    return _complaint_body(complaint)


@blp.get("/complaints/<int:complaint_id>")
@requires(FORUM_READ)
@blp.response(200, ComplaintSchema)
def read_complaint(complaint_id):
    """One complaint against a Forum decision."""
    return _complaint_body(signatures.complaint_of(complaint_id))


@blp.post("/complaints/<int:complaint_id>/signatures")
@blp.arguments(SignSchema)
@blp.response(201, SignatureSchema)
def sign_complaint(data, complaint_id):
    """Sign as the Forum's leader or as the head of Forvaltning (body: {"capacity": ...}, the name the
    answer uses; the old {"as": ...} is still accepted)."""
    signature = signatures.sign(complaint_id, data["capacity"])
    db.session.commit()
    return signature


@blp.post("/complaints/<int:complaint_id>/sending")
@blp.response(200, ComplaintSchema)
def send_complaint(complaint_id):
    """Send the complaint to the county governor: only with both signatures (409 otherwise)."""
    complaint = signatures.send(complaint_id)
    db.session.commit()
    return _complaint_body(complaint)


__all__ = ["blp"]
