"""The queue and the weekly agendas of Rusfaglig Forum, the cooperation meetings and leader
level: the API's ``GET queue``, ``GET agendas``, ``GET agendas/<id>`` and ``POST agendas/build``
(`agendas.waiting`, `agendas.listed`, `agendas.agenda_of`, `agendas.build_weekly_agendas`), and
the dashboard's count of the cases waiting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from velferd.toolkit import (
    Tenant,
    ValidationError,
    ValidationFailed,
    current_tenant,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
    submitted_data,
    tenant_today,
    url_for,
)

from . import agendas, words
from .manifest import AGENDA_BUILD, AGENDA_READ
from .page_kit import Refusal, blp, done, page
from .schemas import BuildSchema, QueueQuery

BUILD_FORM = "build"
FILTER_FORM = "filter"


@blp.get("/queue")
def queue():
    """The cases queued or on an agenda, waiting for their meeting (optionally of one kind)."""
    require_permission(AGENDA_READ)
    refusal = None
    try:
        kind = QueueQuery().load({"kind": request.args["kind"]} if request.args.get("kind") else {})["kind"]
    except ValidationError as error:
        kind, refusal = None, Refusal(FILTER_FORM, ValidationFailed("the queue's filter is invalid",
                                                                   error.normalized_messages()))
    return page("nav_split/queue.html", gettext("Waiting for a meeting"), refusal.status if refusal else 200,
                items=agendas.waiting(kind), kind=kind, refusal=refusal, words=words, named=words.named)


def _agendas_page(refusal: Refusal | None = None):
    require_permission(AGENDA_READ)
    listed = [(agenda, agendas.items_of(agenda.id)) for agenda in agendas.listed()]
    return page("nav_split/agendas.html", gettext("Agendas"), refusal.status if refusal else 200,
                agendas=listed, refusal=refusal, words=words, named=words.named,
                build_fields=form_fields(BuildSchema) if has_permission(AGENDA_BUILD) else [])


@blp.get("/agendas")
def agenda_list():
    """The weekly agendas, newest week last, and (for who may) the form that builds this week's."""
    return _agendas_page()


@blp.post("/agendas/build")
def build():
    """Build the agendas of the week now (the scheduler does it on Mondays), as the API does."""
    require_permission(AGENDA_BUILD)
    try:
        data = BuildSchema().load(submitted_data(BuildSchema, request.form))
    except ValidationError as error:
        failed = ValidationFailed("the week is invalid", error.normalized_messages())
        return _agendas_page(Refusal(BUILD_FORM, failed, form_fields(BuildSchema), request.form))
    town = current_tenant()
    agendas.build_weekly_agendas(town, data["week_start"] or tenant_today(town))
    return done(gettext("The week's agendas are built: every queued case is on one."), "nav_split_pages.agenda_list")


@blp.get("/agendas/<int:agenda_id>")
def agenda(agenda_id: int):
    """One agenda: the cases on it, each linking to its case page."""
    require_permission(AGENDA_READ)
    found = agendas.agenda_of(agenda_id)
    return page("nav_split/agenda.html", gettext("Agenda: %(meeting)s", meeting=words.named(words.MEETINGS, found.kind)),
                agenda=found, items=agendas.items_of(found.id), words=words, named=words.named)


def queue_widget(tenant: Tenant, settings: Mapping[str, Any]) -> dict:
    """The dashboard's box: how many cases wait for a meeting, linking to the queue."""
    return {"waiting": len(agendas.waiting()), "queue_url": url_for("nav_split_pages.queue", tenant=tenant.slug)}
