"""Rusfaglig Forum decisions and complaints on them, with their signatures: the API's routes
(`signatures.draft`, `approve`, `prepare_complaint`, `sign`, `send`, with the API's schemas).

Who may draft, approve, sign and send is the services' rule (`signatures`, `authority`): a page
offers each form only to a user holding its permission, and a refusal (another team's draft, the
drafter approving, one person signing twice, sending without both signatures) is the page again
with the reason and the service's status, 403 or 409."""

from __future__ import annotations

from velferd.toolkit import (
    Conflict,
    Forbidden,
    User,
    ValidationError,
    ValidationFailed,
    db,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
    submitted_data,
)

from . import signatures, words
from .allocation_pages import allocation_page
from .authority import require
from .manifest import APPROVE, COMPLAINT_PREPARE, FORUM_READ
from .page_kit import Refusal, blp, done, page
from .schemas import ComplaintCreateSchema, ForumDraftSchema, SignSchema

DRAFT_FORM, APPROVAL_FORM, COMPLAINT_FORM, SIGN_FORM, SEND_FORM = "draft", "approval", "complaint", "sign", "send"
REFUSED = (Forbidden, Conflict, ValidationFailed)


def _names(*user_ids: int | None) -> dict[int, str]:
    """Staff names for who drafted, approved and signed (users are not a tenant's rows)."""
    return {uid: db.session.get(User, uid).name for uid in user_ids if uid is not None and db.session.get(User, uid)}


# --- drafting -----------------------------------------------------------------------------------

def _draft_page(case_id: int, refusal: Refusal | None = None):
    """The draft form; for a user of the other team, or a case neither unit is responsible for
    yet, the case's allocation page with the reason (403, 409)."""
    case = signatures.nav_split_case(case_id)
    try:
        unit = signatures.responsible_unit(case)
        team, permission = signatures.DRAFTERS[unit]
        require(permission, signatures.DRAFTING_RULES[unit])
    except (Forbidden, Conflict) as error:
        return allocation_page(case_id, Refusal(DRAFT_FORM, error))
    mine = refusal.of(DRAFT_FORM) if refusal else None
    return page("nav_split/forum_draft.html", gettext("Draft a Rusfaglig Forum decision"),
                refusal.status if refusal else 200, case=case, team=team, refusal=refusal,
                fields=form_fields(ForumDraftSchema), values=mine.values if mine else {},
                errors=mine.errors if mine else {}, words=words, named=words.named)


@blp.get("/cases/<int:case_id>/forum-decisions/new")
def new_forum_decision(case_id: int):
    """The draft form, for the team that writes the case's drafts (Spesialteamet or Rusteamet)."""
    return _draft_page(case_id)


@blp.post("/cases/<int:case_id>/forum-decisions")
def draft_forum_decision(case_id: int):
    described = form_fields(ForumDraftSchema)
    try:
        drafted = signatures.draft(case_id, ForumDraftSchema().load(submitted_data(ForumDraftSchema, request.form)))
    except ValidationError as error:
        failed = ValidationFailed("the draft is invalid", error.normalized_messages())
        return _draft_page(case_id, Refusal(DRAFT_FORM, failed, described, request.form))
    except REFUSED as error:
        return allocation_page(case_id, Refusal(DRAFT_FORM, error))
    return done(gettext("The draft is saved. The Forum's coordinator or deputy approves it."),
                "nav_split_pages.forum_decision", decision_id=drafted.id)


# --- the decision and its approval ----------------------------------------------------------------

def _decision_page(decision_id: int, refusal: Refusal | None = None):
    require_permission(FORUM_READ)
    decision = signatures.forum_decision(decision_id)
    complaints = signatures.complaints_on(decision.id)
    mine = refusal.of(COMPLAINT_FORM) if refusal else None
    return page("nav_split/forum_decision.html", gettext("Rusfaglig Forum decision %(id)s", id=decision.id),
                refusal.status if refusal else 200, decision=decision, complaints=complaints, refusal=refusal,
                may_approve=has_permission(APPROVE) and decision.status == "draft",
                complaint_fields=form_fields(ComplaintCreateSchema)
                if has_permission(COMPLAINT_PREPARE) and decision.status == "approved" else [],
                complaint_values=mine.values if mine else {}, complaint_errors=mine.errors if mine else {},
                people=_names(decision.drafted_by_id, decision.approved_by_id), words=words, named=words.named)


@blp.get("/forum-decisions/<int:decision_id>")
def forum_decision(decision_id: int):
    """One decision: the agreement, the reasons, who drafted and approved it, its complaints."""
    return _decision_page(decision_id)


@blp.post("/forum-decisions/<int:decision_id>/approval")
def approve(decision_id: int):
    """The second signature (the Forum's coordinator or deputy, never the drafter)."""
    try:
        signatures.approve(decision_id)
    except REFUSED as error:
        return _decision_page(decision_id, Refusal(APPROVAL_FORM, error))
    return done(gettext("The decision is approved with the second signature."),
                "nav_split_pages.forum_decision", decision_id=decision_id)


@blp.post("/forum-decisions/<int:decision_id>/complaints")
def prepare_complaint(decision_id: int):
    described = form_fields(ComplaintCreateSchema)
    try:
        data = ComplaintCreateSchema().load(submitted_data(ComplaintCreateSchema, request.form))
        complaint = signatures.prepare_complaint(decision_id, data["grounds"])
    except ValidationError as error:
        failed = ValidationFailed("the complaint is invalid", error.normalized_messages())
        return _decision_page(decision_id, Refusal(COMPLAINT_FORM, failed, described, request.form))
    except REFUSED as error:
        return _decision_page(decision_id, Refusal(COMPLAINT_FORM, error, described, request.form))
    return done(gettext("The complaint is prepared. It needs two signatures before it is sent."),
                "nav_split_pages.complaint", complaint_id=complaint.id)


# --- the complaint, its signatures and its sending ---------------------------------------------------

def _complaint_page(complaint_id: int, refusal: Refusal | None = None):
    require_permission(FORUM_READ)
    complaint = signatures.complaint_of(complaint_id)
    signed = signatures.signatures_of(complaint.id)
    taken = {s.capacity for s in signed}
    open_to_sign = [capacity for capacity, permission in signatures.CAPACITIES.items()
                    if capacity not in taken and has_permission(permission)] if complaint.status == "draft" else []
    return page("nav_split/complaint.html", gettext("Complaint %(id)s to the county governor", id=complaint.id),
                refusal.status if refusal else 200, complaint=complaint, signed=signed, refusal=refusal,
                open_to_sign=open_to_sign, may_send=has_permission(COMPLAINT_PREPARE) and complaint.status == "draft",
                people=_names(complaint.prepared_by_id, *(s.user_id for s in signed)), words=words,
                named=words.named)


@blp.get("/complaints/<int:complaint_id>")
def complaint(complaint_id: int):
    """One complaint: its grounds, its signatures and what is missing before it can be sent."""
    return _complaint_page(complaint_id)


@blp.post("/complaints/<int:complaint_id>/signatures")
def sign(complaint_id: int):
    """Sign in one capacity (the Forum's leader, the head of Forvaltning), through `SignSchema`."""
    try:
        data = SignSchema().load({"capacity": request.form.get("capacity") or None})
        signatures.sign(complaint_id, data["capacity"])
    except ValidationError as error:
        return _complaint_page(complaint_id, Refusal(SIGN_FORM, ValidationFailed(
            "the signature is invalid", error.normalized_messages())))
    except REFUSED as error:
        return _complaint_page(complaint_id, Refusal(SIGN_FORM, error))
    return done(gettext("Your signature is on the complaint."), "nav_split_pages.complaint", complaint_id=complaint_id)


@blp.post("/complaints/<int:complaint_id>/sending")
def send(complaint_id: int):
    """Send to the county governor: refused (409, naming who has not signed) without both signatures."""
    try:
        signatures.send(complaint_id)
    except REFUSED as error:
        return _complaint_page(complaint_id, Refusal(SEND_FORM, error))
    return done(gettext("The complaint is sent to the county governor."), "nav_split_pages.complaint",
                complaint_id=complaint_id)
