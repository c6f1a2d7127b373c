"""Alta's aftercare housing (ettervernsboliger): flats for people leaving substance-abuse
treatment, the assessment and living phases, the staircase of tenancies, individual plans, the
qualification programme's stipend, staffing and budget.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``aftercare``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Each part lives in its own modules:

- stays: the workflow from application to move-out, consent, intake, the limit and extensions
  (`workflow`, `stays`, `extension`);
- flats: buildings, flats, reservations and the occupancy board (`flats`, `occupancy`);
- the staircase: steps 2–5, their contracts, moves up and down, breaches (`staircase`,
  `staircase_rules`);
- plans: the individual plan, user participation, the qualification programme and its stipend
  from the G table (`plans`, `stipend`, `g_table`);
- operations: the rota and the budget with the grant givers' report (`rota`, `budget`,
  `grant_report`); the daily job raising what must not be missed (`daily`).

It bills nothing, so it has no invoice line provider: the partners finance the housing with fixed
yearly contributions (the reasoning, from the plan, is in `budget`).
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import (
    CasePanel,
    DashboardWidget,
    FormSpec,
    PageLink,
    Plugin,
    RuleSpec,
    WebPages,
    hookimpl,
    person_rows,
)

from . import (
    daily,
    demo,
    extension,
    flat_pages,
    plan_pages,
    rota,
    staircase,
    staircase_pages,
    staircase_rules,
    stay_pages,
    stays,
)
from .manifest import BUDGET_READ, DECIDE, INTAKE, MANIFEST, READ, RETENTION, ROTA_READ
from .staircase_schemas import StepChangeInputs
from .stay_schemas import ApplicationForm
from .workflow import WORKFLOW

FORMS = [FormSpec(stays.APPLICATION_FORM, 1, ApplicationForm, title="Application from treatment", permission=INTAKE)]
RULES = [
    extension.RULE_SPEC,
    RuleSpec(staircase.RULE, 1, StepChangeInputs, staircase_rules.evaluate,
             title="A move on the staircase (up, or down for a breach)", permission=DECIDE,
             override_permission="decisions:override"),
]

HERE = Path(__file__).parent


WEB = WebPages(
    blueprint="velferd_aftercare.pages:blp", templates=str(HERE / "templates"),
    translations=str(HERE / "translations"),
    menu=(PageLink("aftercare_pages.stay_list", "Stays", READ),
          PageLink("aftercare_pages.board", "Occupancy board", READ),
          PageLink("aftercare_pages.flats_page", "Flats", READ),
          PageLink("aftercare_pages.staircase_steps", "Staircase", READ),
          PageLink("aftercare_pages.g_table_list", "G table", READ),
          PageLink(rota.ROTA_ENDPOINT, "Rota", ROTA_READ),
          PageLink("aftercare_pages.budget", "Budget", BUDGET_READ)),
    case_panels=(CasePanel("aftercare/stays/panel.html", "Stay", stay_pages.panel_context, READ),
                 CasePanel("aftercare/staircase/panel.html", "Staircase", staircase_pages.panel_context, READ),
                 CasePanel("aftercare/plans/panel.html", "Individual plan", plan_pages.panel_context, READ)),
    dashboard_widgets=(DashboardWidget("aftercare/flats/board_widget.html", "Aftercare flats today",
                                       flat_pages.board_widget, READ),),
    inbox=rota.inbox_items,  # the uncovered shifts; the stays' and steps' deadlines are the core's already
)

PLUGIN = Plugin(MANIFEST, WORKFLOW, forms=FORMS, rules=RULES, tasks=[daily.TASK_SPEC],
                beat_entries=[daily.BEAT_ENTRY],  # every day 05:30 in the tenant's zone
                blueprints="velferd_aftercare.api:blp", web=WEB, retention=RETENTION)


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_demo_seed(tenant, staff):
    demo.seed(tenant, staff)


@hookimpl
def velferd_form_submitted(tenant, submission, actor):
    """The application from treatment creates or updates the case's stay."""
    stays.on_form_submitted(tenant, submission, actor)


@hookimpl
def velferd_case_transitioned(tenant, case, transition, from_state, actor, payload):
    """Move-in and move-out: first the stay and the flat's occupancy (`stays`), then the staircase,
    which starts on the stay's move-in day (`staircase`)."""
    stays.on_transitioned(tenant, case, transition, from_state, actor, payload)
    staircase.on_transitioned(tenant, case, transition, from_state, actor, payload)


@hookimpl
def velferd_decision_recorded(tenant, decision, actor):
    """An extension moves the stay's limit; a step change is checked (and applied by staff)."""
    extension.on_decision(tenant, decision, actor)
    staircase_rules.on_decision(tenant, decision, actor)


@hookimpl
def velferd_person_data(tenant, person):
    """The person's rows in this plugin's tables, for their data export (found by the core's walk)."""
    return person_rows(person, __package__)
