"""The caseworker's pages: the caseload and a case (its moves drawn from the transitions'
payload schemas, the journal as a dated timeline, meetings, deadlines, notes).

Every rule is the API's: the tenant from the URL and the caller's membership
(velferd.api.context, velferd.auth), the permission check (`require_permission`), the audited
case read (`cases.read_case`), the transition service and its schemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import marshmallow as ma
import sqlalchemy as sa
from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError, fields

from velferd import cases
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.schemas import Id, NoteSchema, TransitionSchema
from velferd.auth import require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed, VelferdError
from velferd.models import Case, Deadline, Meeting, Membership, Person, User
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.specs import Transition
from velferd.web import break_glass_pages, navigation
from velferd.web.blueprint import blp, transition_title, wants_html
from velferd.web.case_records import case_records
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.plugin_pages import case_panels
from velferd.web.validation_messages import translated
from velferd.workflows import available_transitions, workflow_of

CASELOAD_LIMIT = 200

navigation.core_entry("web.caseload", lazy_gettext("Caseload"), "cases:read")


class CaseloadFilters(ma.Schema):
    """The caseload's query parameters (bookmarkable; the dashboard's figures link to them).
    A value of the wrong type (``assigned_to=abc``) is a 422 naming the parameter, as the API's
    case list answers; a parameter the page does not know is ignored (a link may carry others)."""

    class Meta:
        unknown = ma.EXCLUDE

    programme = fields.String(load_default="")
    state = fields.String(load_default="")
    mine = fields.Boolean(load_default=False)
    assigned_to = Id(load_default=None)
    unassigned = fields.Boolean(load_default=False)
    open = fields.Boolean(load_default=False)
    overdue = fields.Boolean(load_default=False)


def _filter_labels() -> dict[str, str]:
    return {"programme": _("Programme"), "state": _("State"), "mine": _("Assigned to me"),
            "assigned_to": _("Assigned to"), "unassigned": _("Assigned to nobody"),
            "open": _("Open cases only"), "overdue": _("With an overdue deadline")}


def _member_name(user_id: int) -> str | None:
    """The name of staff member `user_id` of this municipality (None for anyone else: a page
    never names a user of another municipality)."""
    return db.session.scalar(sa.select(User.name).join(Membership, Membership.user_id == User.id)
                             .where(User.id == user_id))


def _caseload_heading(chosen: Mapping[str, object]) -> str:
    """Whose caseload it is: the dashboard links to one staff member's or the unassigned cases."""
    if chosen["assigned_to"] is not None:
        name = _member_name(chosen["assigned_to"])
        if name is None:
            return _("Cases assigned to user %(id)s", id=chosen["assigned_to"])
        return _("Cases assigned to %(name)s", name=name)
    if chosen["unassigned"]:
        return _("Cases assigned to nobody")
    if chosen["mine"]:
        return _("My cases")
    return _("Caseload")


def _caseload_refused(programmes: list[str], messages: Mapping[str, list[str]]) -> Response:
    """Filters that do not parse: the page with the error summary (status 422), no cases; the
    API's error body for a script."""
    if not wants_html():
        return error_response(422, "the filters are invalid", messages)
    labels = _filter_labels()
    summary = [(name if name in ("programme", "state", "mine", "open", "overdue") else "filters",
                f"{labels.get(name, name)}: {' '.join(texts)}") for name, texts in messages.items()]
    chosen = {**CaseloadFilters().load({}), "programme": request.args.get("programme", ""),
              "state": request.args.get("state", "")}
    page = render_template("web/caseload.html", title=_("Caseload"), cases=[],
                           programmes=programmes, chosen=chosen, limit=CASELOAD_LIMIT, summary=summary)
    return Response(page, status=422)


@blp.get("/t/<tenant>/cases")
def caseload():
    """The cases the user may see, newest first, filtered by programme, state, assignment (the
    user's own, a staff member's, nobody's), open cases only and overdue deadlines — the filters
    of the API's case list (`cases.list_cases`)."""
    require_permission("cases:read")
    town = tenant()
    programmes = sorted(enabled_plugin_ids(town))
    try:
        chosen = CaseloadFilters().load(request.args)
    except ValidationError as error:
        return _caseload_refused(programmes, error.normalized_messages())
    chosen["state"] = chosen["state"].strip()
    assignee = chosen["assigned_to"] if chosen["assigned_to"] is not None else (
        g.velferd_user.id if chosen["mine"] else None)
    shown = cases.list_cases(limit=CASELOAD_LIMIT, newest_first=True, plugin=chosen["programme"] or None,
                             state=chosen["state"] or None, assigned_to_id=assignee,
                             unassigned=chosen["unassigned"], open_only=chosen["open"], overdue=chosen["overdue"])
    # the persons shown are audited when the response is ready (velferd.read_audit), as the API's list is
    heading = _caseload_heading(chosen)
    return render_template("web/caseload.html", title=heading, cases=shown, programmes=programmes, chosen=chosen,
                           limit=CASELOAD_LIMIT, summary=[])


@blp.get("/t/<tenant>/cases/<int:case_id>")
def case_page(case_id: int):
    """One case: its state, the moves the user may make now, the journal as a dated timeline,
    meetings and deadlines."""
    return _case_page(case_id)


@dataclass(frozen=True)
class Move:
    """A transition the case can take now, with the fields of its payload schema."""

    transition: Transition
    fields: list[FormField]

    @property
    def form_id(self) -> str:
        return f"move-{self.transition.name}"


@dataclass(frozen=True)
class FailedForm:
    """A form posted with a problem, shown again: its values as typed and its errors."""

    form_id: str
    values: Mapping[str, str]
    errors: dict[str, list[str]]
    summary: list[tuple[str, str]]


def moves_of(case: Case) -> list[Move]:
    """The transitions the API's read_case lists (`available_transitions`), each only for a
    user with its permission and the API's ``cases:write``, which its POST also needs."""
    if not may_write_cases():
        return []
    available = set(available_transitions(case))
    allowed = g.get("velferd_permissions", frozenset())
    return [Move(t, form_fields(t.payload)) for t in workflow_of(case).transitions
            if t.name in available and t.permission in allowed]


def may_write_cases() -> bool:
    return "cases:write" in g.get("velferd_permissions", frozenset())


def _note_fields() -> list[FormField]:
    return form_fields(NoteSchema, {"text": _("Note")})


def _case_page(case_id: int, status: int = 200, failed: FailedForm | None = None) -> Response:
    require_permission("cases:read")
    try:
        case = cases.read_case(case_id)  # audited: case.read
    except NotFound:
        if break_glass_pages.outside_need_to_know(case_id):
            return break_glass_pages.break_glass_form(case_id)
        raise
    person = db.session.get(Person, case.person_id)
    meetings = db.session.scalars(sa.select(Meeting).where(Meeting.case_id == case.id)
                                  .order_by(Meeting.starts_at)).all()
    deadlines = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id)
                                   .order_by(Deadline.due_on)).all()
    journal = cases.journal(case)
    today = tenant_today(tenant())
    db.session.commit()
    page = render_template("web/case.html", title=_("Case %(id)s", id=case.id), case=case, person=person,
                           journal=journal, meetings=meetings, deadlines=deadlines, today=today,
                           moves=moves_of(case), note_fields=_note_fields() if may_write_cases() else [],
                           failed=failed, panels=case_panels(case), **case_records(case))
    return Response(page, status=status)


def refused(case_id: int, error: VelferdError, form_id: str, described: list[FormField]) -> Response:
    """A 409 (the guard's reason) or 422 (the fields' messages): the case page again with the
    error summary at the top and the form's values as typed; the API's error body for a script."""
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status == 422 else {"": refusal_reasons(error)}
    return _case_page(case_id, error.status, FailedForm(form_id, request.form, errors,
                                                        error_summary(described, errors, form_id)))


def refusal_reasons(error: VelferdError) -> list[str]:
    """A guard's refusal (409) by its reasons, each in the page's language (a plugin writes them
    in English and translates them in its catalogue); any other refusal as the service wrote it."""
    reasons = (error.fields or {}).get("reasons")
    return [translated(str(reason)) for reason in reasons] if reasons else [error.message]


def back_to_the_case(case_id: int, confirmation: str) -> Response:
    flash(confirmation)
    return redirect(url_for("web.case_page", tenant=tenant().slug, case_id=case_id, _anchor="confirmation"))


@blp.post("/t/<tenant>/cases/<int:case_id>/moves/<name>")
def make_move(case_id: int, name: str):
    """Take transition `name` with the form's payload, through the API's schema and service."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    transition = workflow_of(case).transition(name)
    if transition is None:
        raise NotFound(f"no move {name}")
    require_permission(transition.permission)
    described = form_fields(transition.payload)
    form_id = Move(transition, described).form_id
    try:
        move = TransitionSchema().load({"transition": name, "note": request.form.get("move-note", "").strip() or None,
                                        "data": submitted_data(transition.payload, request.form)})
        cases.transition_case(tenant(), case, name, move["data"], move["note"])
    except ValidationError as error:
        messages = error.normalized_messages()
        return refused(case_id, ValidationFailed("the move's data is invalid", messages.get("data", messages)),
                        form_id, described)
    except (ValidationFailed, Conflict) as error:
        return refused(case_id, error, form_id, described)
    db.session.commit()
    return back_to_the_case(case_id, _("The case moved: %(move)s.", move=transition_title(transition)))


@blp.post("/t/<tenant>/cases/<int:case_id>/notes")
def add_note(case_id: int):
    """A note in the case's journal, through the API's `NoteSchema` and `cases.add_note`."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    described = _note_fields()
    try:
        note = NoteSchema().load(submitted_data(NoteSchema, request.form))
    except ValidationError as error:
        return refused(case_id, ValidationFailed("the note is invalid", error.normalized_messages()), "note", described)
    cases.add_note(case, note["text"])
    db.session.commit()
    return back_to_the_case(case_id, _("The note is in the journal."))
