"""Kristiansand's allocation of the coordinator to NAV or Livsmestring, with Rusfaglig Forum.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``nav_split``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). It bills nothing, so it has no invoice line provider.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import (
    Case,
    CasePanel,
    DashboardWidget,
    FormSpec,
    PageLink,
    Plugin,
    RuleSpec,
    ValidationFailed,
    WebPages,
    get_owned,
    hookimpl,
    person_rows,
    tenant_today,
)

from . import agenda_pages, agendas, allocation, allocation_pages, authority, consistency, demo, followup
from .allocation import OUTCOMES
from .assessment import Kartlegging
from .decisions import ALLOCATION_RULE, GOVERNING_RULES, MEETING_OUTCOME_RULE, effective_decision
from .manifest import AGENDA_DECIDE, AGENDA_READ, ALLOCATE, ALLOCATION_READ, ASSESS, MANIFEST, OVERRIDE, RETENTION
from .workflow import APPOINTED_UNIT, QUEUE_KIND, WORKFLOW

KARTLEGGING = "kartlegging"
FORMS = [FormSpec(KARTLEGGING, 1, Kartlegging, title="Kartlegging (Forvaltning's assessment)", permission=ASSESS)]
RULES = [
    RuleSpec(ALLOCATION_RULE, 1, Kartlegging, allocation.evaluate, title="Who coordinates: NAV or Livsmestring",
             permission=ALLOCATE, override_permission=OVERRIDE),
    RuleSpec(MEETING_OUTCOME_RULE, 1, agendas.MeetingOutcome, agendas.evaluate_outcome,
             title="Outcome of Rusfaglig Forum, a cooperation meeting or leader level",
             permission=AGENDA_DECIDE, override_permission=OVERRIDE),
]

HERE = Path(__file__).parent
WEB = WebPages(
    blueprint="velferd_nav_split.pages:blp", templates=str(HERE / "templates"),
    translations=str(HERE / "translations"),
    menu=(PageLink("nav_split_pages.queue", "Forum queue", AGENDA_READ),
          PageLink("nav_split_pages.agenda_list", "Agendas", AGENDA_READ)),
    case_panels=(CasePanel("nav_split/allocation_panel.html", "Allocation: NAV or Livsmestring",
                           allocation_pages.panel_context, ALLOCATION_READ),),
    dashboard_widgets=(DashboardWidget("nav_split/queue_widget.html", "Waiting for a meeting",
                                       agenda_pages.queue_widget, AGENDA_READ),),
)


PLUGIN = Plugin(
    MANIFEST, WORKFLOW, forms=FORMS, rules=RULES, tasks=[agendas.TASK_SPEC],
    beat_entries=[agendas.BEAT_ENTRY],  # the weekly agendas, Monday 06:00 in the tenant's zone
    blueprints="velferd_nav_split.api:blp", web=WEB, retention=RETENTION,
)


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_demo_seed(tenant, staff):
    demo.seed(tenant, staff)


@hookimpl
def velferd_case_transitioned(tenant, case, transition, from_state, actor):
    """Queue the case for its meeting, or record the appointment of its coordinator."""
    if case.state in QUEUE_KIND:
        agendas.queue(case.id, QUEUE_KIND[case.state])
    elif case.state in APPOINTED_UNIT:
        agendas.withdraw_open(case.id)
        followup.appoint(tenant, case, APPOINTED_UNIT[case.state], effective_decision(case.id))
    else:
        agendas.withdraw_open(case.id)


@hookimpl
def velferd_form_submitted(tenant, submission, actor):
    """The kartlegging form refuses what the allocation rule would refuse (`consistency`)."""
    if submission.form != KARTLEGGING:
        return
    case = get_owned(Case, submission.case_id) if submission.case_id is not None else None
    consistency.check(Kartlegging().load(submission.data), tenant, case, tenant_today(tenant), "form 'kartlegging'")


@hookimpl
def velferd_decision_recorded(tenant, decision, actor):
    """An override must name an outcome the plugin knows and keep the seed's two exceptions to
    Forvaltning's authority (`authority`); a meeting's outcome closes its agenda item."""
    if decision.rule not in GOVERNING_RULES:
        return
    if decision.outcome not in OUTCOMES:
        raise ValidationFailed("the override names an outcome this programme does not know: outcome",
                               {"outcome": [f"one of: {', '.join(OUTCOMES)}"]})
    if decision.supersedes_id is not None:
        authority.check_override(decision)
    if decision.rule == MEETING_OUTCOME_RULE and decision.supersedes_id is None:
        agendas.mark_decided(decision)


@hookimpl
def velferd_person_data(tenant, person):
    """The person's rows in this plugin's tables, for their data export (found by the core's walk)."""
    return person_rows(person, __package__)
