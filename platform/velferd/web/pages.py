"""The pages for signing in: log in and out, the language, the choice of municipality.

Every rule is the API's: the password check and its throttle (velferd.login), server-side
sessions (velferd.sessions), the login form's fields (the API's `LoginSchema`). Forms post to the
same origin, which velferd.origin_check lets through; each POST answers with a redirect (PRG).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from velferd import sessions
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.schemas import LoginSchema
from velferd.db import db
from velferd.errors import Unauthorized
from velferd.login import check_password
from velferd.throttle import TooManyAttempts
from velferd.web.blueprint import blp, error_page, local_path, wants_html
from velferd.web.i18n import LANGUAGE_KEY, LANGUAGES
from velferd.web.municipalities import municipalities_of

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
    return redirect(local_path(request.form.get("next")) or url_for("web.municipalities"))


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
    if not wants_html():
        return error_response(status, next(iter(errors.values())), {name: [text] for name, text in errors.items()})
    page = render_template("web/login.html", title=_("Log in"), email=email, errors=errors,
                           next=local_path(request.form.get("next")))
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
    return redirect(local_path(request.form.get("next")) or url_for("web.index"))


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
