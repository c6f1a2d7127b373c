"""The pages' blueprint and what every page shares: no caching, the header's user, municipality
and menu, and errors as a page for a browser (the API's JSON for a script).

Every page module (velferd.web.pages, case_pages, …) adds its routes to `blp`; a plugin's pages
are their own blueprints (velferd.web.plugin_pages). A municipality the user is not a member of
answers 404, as a case of another municipality does: a page never says whether a municipality or
a record exists elsewhere.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext

from velferd import sessions
from velferd.api.errors import error_response
from velferd.auth import has_permission
from velferd.db import db
from velferd.errors import Forbidden, NotFound, Unauthorized
from velferd.plugins.manager import registry
from velferd.plugins.specs import Transition
from velferd.web import navigation
from velferd.web.i18n import LANGUAGES
from velferd.web.role_titles import role_title

blp = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (``/t/bergen/cases``), else None: a redirect
    never leads to another site (``//evil.example``, ``https://…``)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


def _keep_pages_out_of_caches(response: Response) -> Response:
    """Pages show personal data: no browser or proxy cache keeps them (as under /api)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def programme_title(plugin_id: str) -> str:
    """The title a programme's plugin declares (its manifest), translated in its catalogue, or
    its id when it is not installed."""
    manifest = registry().manifest(plugin_id)
    return _(manifest.title) if manifest is not None else plugin_id


def state_title(plugin_id: str, state: str | None) -> str:
    """A workflow state as the pages name it: the state id looked up in the "state" context of
    the catalogues (the plugin's, velferd.web.plugin_texts), the id itself when it has none.
    `plugin_id` says whose state it is; the catalogues are one domain, so it is not needed for
    the look-up today, but a page names it so that two plugins' states can be told apart later."""
    return pgettext("state", state) if state else ""


def deadline_title(kind: str) -> str:
    """A deadline's kind as the pages name it: looked up in the "deadline" context of the
    catalogues (a plugin marks its kinds with ``pgettext("deadline", …)``), the kind itself when
    it has none."""
    return pgettext("deadline", kind)


def journal_title(kind: str) -> str:
    """A journal entry's kind that the core does not word itself (a plugin's own entries), looked
    up in the "journal" context of the catalogues, the kind itself when it has none."""
    return pgettext("journal", kind)


def transition_title(transition: Transition) -> str:
    """A move's title (its name when it has none), translated in its plugin's catalogue."""
    return _(transition.title or transition.name)


def move_title(plugin_id: str, name: str | None) -> str:
    """A journal entry's move by its translated title; its name when the plugin's workflow no
    longer has it (the journal keeps what was done)."""
    workflow = registry().workflow_for(plugin_id)
    transition = workflow.transition(name) if workflow is not None and name else None
    return transition_title(transition) if transition is not None else (name or "")


@blp.app_context_processor
def _page_context():
    """The user and municipality the header shows: a municipality only to its members (the URL's
    tenant is in scope before the membership check, and its name must not tell a stranger)."""
    member = g.get("velferd_membership") is not None
    return {"signed_in_user": g.get("velferd_user") if member else g.get("velferd_web_user"),
            "municipality": g.get("velferd_tenant") if member else None,
            "languages": LANGUAGES, "programme_title": programme_title,
            "state_title": state_title, "deadline_title": deadline_title, "journal_title": journal_title, "transition_title": transition_title, "move_title": move_title,
            "role_title": role_title, "may": has_permission,
            "menu": navigation.menu() if member else []}


# --- errors: a page for a browser, the API's JSON for anything else ---------------------------------

def wants_html() -> bool:
    """A browser asks for ``text/html`` by name; a script, curl or a test client sending
    ``*/*`` gets an error in the API's JSON shape (velferd.api.errors), which it can read."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def error_page(status: int, title: str, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """`status` as a page with `title` and `message`, or as the API's error body."""
    if not wants_html():
        return error_response(status, message, fields)
    return Response(render_template("web/error.html", title=title, message=message), status=status)


def _log_in_first(error: Unauthorized):
    db.session.rollback()
    if not wants_html():
        return error_response(401, _("Log in first."))
    return redirect(url_for("web.login", next=request.full_path.rstrip("?")))


def _forbidden(error: Forbidden):
    db.session.rollback()
    if g.get("velferd_membership") is None:  # not a member of the URL's municipality
        g.velferd_web_user = sessions.current_user()
        return not_found(NotFound("no such page"))
    return error_page(403, _("You may not see this page"), _("Your role does not give you access to this page."))


def not_found(error: NotFound):
    db.session.rollback()
    return error_page(404, _("Page not found"), _("There is no such page, or you do not have access to it."))


def serve_as_pages(blueprint: Blueprint) -> Blueprint:
    """Give `blueprint` what every page has: no caching, and errors as pages (a login redirect,
    403, 404) — the core's pages and each plugin's page blueprint (velferd.web.plugin_pages).
    Once per blueprint: a plugin's module-level blueprint is registered again by each app built
    in the same process (the tests, the CLI), and Flask refuses setup after a registration."""
    if getattr(blueprint, "served_as_pages", False):
        return blueprint
    blueprint.served_as_pages = True
    blueprint.after_request(_keep_pages_out_of_caches)
    blueprint.register_error_handler(Unauthorized, _log_in_first)
    blueprint.register_error_handler(Forbidden, _forbidden)
    blueprint.register_error_handler(NotFound, not_found)
    return blueprint


serve_as_pages(blp)
