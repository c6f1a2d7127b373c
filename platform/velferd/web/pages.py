"""The pages: log in and out, the language, the municipality, the caseload and a case.

Every rule is the API's: the password check and its throttle (velferd.login), server-side
sessions (velferd.sessions), the login form's fields (the API's `LoginSchema`), the tenant from
the URL and the caller's membership (velferd.api.context, velferd.auth), the permission check
(`require_permission`) and the audited case read (`cases.read_case`). Forms post to the same
origin, which velferd.origin_check lets through; each POST answers with a redirect (PRG).

A municipality the user is not a member of answers 404, as a case of another municipality
does: a page never says whether a municipality or a record exists elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from velferd import cases, sessions
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.schemas import LoginSchema, NoteSchema, TransitionSchema
from velferd.auth import require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, VelferdError
from velferd.login import check_password
from velferd.models import Case, Deadline, Meeting, Person
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.plugins.specs import Transition
from velferd.throttle import TooManyAttempts
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.i18n import LANGUAGE_KEY, LANGUAGES
from velferd.web.municipalities import municipalities_of
from velferd.workflows import available_transitions, workflow_of

blp = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")
CASELOAD_LIMIT = 200


def _local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (``/t/bergen/cases``), else None: a redirect
    never leads to another site (``//evil.example``, ``https://…``)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


@blp.after_request
def _keep_pages_out_of_caches(response: Response) -> Response:
    """Pages show personal data: no browser or proxy cache keeps them (as under /api)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def programme_title(plugin_id: str) -> str:
    """The title a programme's plugin declares (its manifest), or its id when it is not installed."""
    manifest = registry().manifest(plugin_id)
    return manifest.title if manifest is not None else plugin_id


@blp.app_context_processor
def _page_context():
    """The user and municipality the header shows: a municipality only to its members (the URL's
    tenant is in scope before the membership check, and its name must not tell a stranger)."""
    member = g.get("velferd_membership") is not None
    return {"signed_in_user": g.get("velferd_user") if member else g.get("velferd_web_user"),
            "municipality": g.get("velferd_tenant") if member else None,
            "languages": LANGUAGES, "programme_title": programme_title}


# --- errors: a page for a browser, the API's JSON for anything else ---------------------------------

def _wants_html() -> bool:
    """A browser asks for ``text/html`` by name; a script, curl or a test client sending
    ``*/*`` gets an error in the API's JSON shape (velferd.api.errors), which it can read."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def error_page(status: int, title: str, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """`status` as a page with `title` and `message`, or as the API's error body."""
    if not _wants_html():
        return error_response(status, message, fields)
    return Response(render_template("web/error.html", title=title, message=message), status=status)


@blp.errorhandler(Unauthorized)
def _log_in_first(error: Unauthorized):
    db.session.rollback()
    if not _wants_html():
        return error_response(401, _("Log in first."))
    return redirect(url_for("web.login", next=request.full_path.rstrip("?")))


@blp.errorhandler(Forbidden)
def _forbidden(error: Forbidden):
    db.session.rollback()
    if g.get("velferd_membership") is None:  # not a member of the URL's municipality
        g.velferd_web_user = sessions.current_user()
        return _not_found(NotFound("no such page"))
    return error_page(403, _("You may not see this page"), _("Your role does not give you access to this page."))


@blp.errorhandler(NotFound)
def _not_found(error: NotFound):
    db.session.rollback()
    return error_page(404, _("Page not found"), _("There is no such page, or you do not have access to it."))


# --- signing in and out ---------------------------------------------------------------------------

@blp.get("/")
def index():
    """Home: the login, the one municipality, or the choice of municipality."""
    user = sessions.current_user()
    if user is None:
        return redirect(url_for("web.login"))
    return redirect(url_for("web.municipalities"))


@blp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("web/login.html", title=_("Log in"), email="", errors={})
    email = request.form.get("email", "")
    try:
        credentials = LoginSchema().load({"email": email, "password": request.form.get("password", "")})
    except ValidationError as error:
        return _login_again(email, {name: _field_problem(name) for name in error.messages}, 422)
    try:
        user = check_password(credentials["email"], credentials["password"])
    except Unauthorized:
        return _login_again(email, {"email": _("The e-mail address or the password is wrong.")}, 401)
    except TooManyAttempts as error:
        db.session.rollback()
        minutes = max(1, -(-error.retry_after // 60))
        response = _login_again(email, {"email": ngettext("Too many failed attempts. Try again in %(num)d minute.",
                                                          "Too many failed attempts. Try again in %(num)d minutes.",
                                                          minutes)}, 429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    _keeping_the_language(lambda: sessions.start(user))
    db.session.commit()
    return redirect(_local_path(request.form.get("next")) or url_for("web.municipalities"))


def _keeping_the_language(start_or_end: Callable[[], None]) -> None:
    """A login or logout empties the session (a fresh one, never the old); the language the
    user chose is not part of what it protects, so it stays."""
    language = session.get(LANGUAGE_KEY)
    start_or_end()
    if language in LANGUAGES:
        session[LANGUAGE_KEY] = language


def _field_problem(name: str) -> str:
    return {"email": _("Enter your e-mail address, like name@kommune.no."),
            "password": _("Enter your password.")}.get(name, _("This field is not valid."))


def _login_again(email: str, errors: dict[str, str], status: int) -> Response:
    """The form again, with an error summary; the e-mail as typed, never the password."""
    if not _wants_html():
        return error_response(status, next(iter(errors.values())), {name: [text] for name, text in errors.items()})
    page = render_template("web/login.html", title=_("Log in"), email=email, errors=errors,
                           next=_local_path(request.form.get("next")))
    return Response(page, status=status)


@blp.post("/logout")
def logout():
    _keeping_the_language(sessions.end_current)
    db.session.commit()
    return redirect(url_for("web.login"))


@blp.post("/language")
def choose_language():
    """Keep the user's language in the session; back to the page the choice was made on."""
    language = request.form.get("lang")
    if language not in LANGUAGES:
        problem = _("Choose one of the languages in the list (lang).")
        return error_page(422, _("Unknown language"), problem, {"lang": [problem]})
    session[LANGUAGE_KEY] = language
    return redirect(_local_path(request.form.get("next")) or url_for("web.index"))


@blp.get("/municipalities")
def municipalities():
    """The municipalities the user works in; with only one, straight to it."""
    user = sessions.current_user()
    if user is None:
        raise Unauthorized("log in")
    g.velferd_web_user = user
    mine = municipalities_of(user)
    if len(mine) == 1:
        return redirect(url_for("web.tenant_home", tenant=mine[0].slug))
    return render_template("web/municipalities.html", title=_("Choose a municipality"), municipalities=mine)


# --- a municipality's pages -----------------------------------------------------------------------

@blp.get("/t/<tenant>/")
def tenant_home():
    return redirect(url_for("web.caseload", tenant=tenant().slug))


@blp.get("/t/<tenant>/cases")
def caseload():
    """The cases the user may see, newest first, filtered by programme, state and assignment."""
    require_permission("cases:read")
    town = tenant()
    programmes = sorted(enabled_plugin_ids(town))
    chosen = {"programme": request.args.get("programme", ""), "state": request.args.get("state", "").strip(),
              "mine": request.args.get("mine") == "1"}
    shown = cases.list_cases(limit=CASELOAD_LIMIT, newest_first=True, plugin=chosen["programme"] or None,
                             state=chosen["state"] or None, assigned_to_id=g.velferd_user.id if chosen["mine"] else None)
    # the persons shown are audited when the response is ready (velferd.read_audit), as the API's list is
    return render_template("web/caseload.html", title=_("Caseload"), cases=shown, programmes=programmes,
                           chosen=chosen, limit=CASELOAD_LIMIT)


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
    case = cases.read_case(case_id)  # audited: case.read
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
                           failed=failed)
    return Response(page, status=status)


def _refused(case_id: int, error: VelferdError, form_id: str, described: list[FormField]) -> Response:
    """A 409 (the guard's reason) or 422 (the fields' messages): the case page again with the
    error summary at the top and the form's values as typed; the API's error body for a script."""
    db.session.rollback()
    if not _wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status == 422 else {"": [error.message]}
    return _case_page(case_id, error.status, FailedForm(form_id, request.form, errors,
                                                        error_summary(described, errors, form_id)))


def _back_to_the_case(case_id: int, confirmation: str) -> Response:
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
        return _refused(case_id, ValidationFailed("the move's data is invalid", messages.get("data", messages)),
                        form_id, described)
    except (ValidationFailed, Conflict) as error:
        return _refused(case_id, error, form_id, described)
    db.session.commit()
    return _back_to_the_case(case_id, _("The case moved: %(move)s.", move=transition.title or name))


@blp.post("/t/<tenant>/cases/<int:case_id>/notes")
def add_note(case_id: int):
    """A note in the case's journal, through the API's `NoteSchema` and `cases.add_note`."""
    require_permission("cases:write")
    case = cases.find_case(case_id)
    described = _note_fields()
    try:
        note = NoteSchema().load(submitted_data(NoteSchema, request.form))
    except ValidationError as error:
        return _refused(case_id, ValidationFailed("the note is invalid", error.normalized_messages()), "note", described)
    cases.add_note(case, note["text"])
    db.session.commit()
    return _back_to_the_case(case_id, _("The note is in the journal."))
