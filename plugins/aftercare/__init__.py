"""Alta's aftercare housing (ettervernsboliger): flats for people leaving substance-abuse
treatment, the assessment and living phases, the staircase of tenancies, individual plans, the
qualification programme's stipend, staffing and budget.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``aftercare``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Each part lives in its own modules and adds its declarations to the
lists below; a hook that more than one part answers calls each part's handler in turn.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Plugin, WebPages, hookimpl

from .manifest import MANIFEST

FORMS: list = []
RULES: list = []
TASKS: list = []
BEAT_ENTRIES: list = []
MENU: list = []
CASE_PANELS: list = []
DASHBOARD_WIDGETS: list = []
#: (tenant, case, transition, from_state, actor) for each of the plugin's case moves
ON_TRANSITIONED: list = []
#: (tenant, decision, actor) for each decision recorded on one of the plugin's rules
ON_DECISION: list = []
WORKFLOW = None

# --- the parts add their declarations here -------------------------------------------------------

HERE = Path(__file__).parent
WEB = WebPages(
    blueprint="velferd_aftercare.pages:blp", templates=str(HERE / "templates"),
    translations=str(HERE / "translations"), menu=tuple(MENU), case_panels=tuple(CASE_PANELS),
    dashboard_widgets=tuple(DASHBOARD_WIDGETS),
)

PLUGIN = Plugin(MANIFEST, WORKFLOW, forms=FORMS, rules=RULES, tasks=TASKS, beat_entries=BEAT_ENTRIES,
                blueprints="velferd_aftercare.api:blp", web=WEB)


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_case_transitioned(tenant, case, transition, from_state, actor):
    for handler in ON_TRANSITIONED:
        handler(tenant, case, transition, from_state, actor)


@hookimpl
def velferd_decision_recorded(tenant, decision, actor):
    for handler in ON_DECISION:
        handler(tenant, decision, actor)
