"""Municipal outreach at Danish drop-in centres (styrket social indsats på væresteder): the
centres and their cooperation agreements, the outreach services' published presence, contacts
that start anonymous, statutory meetings at the centre, team activities, the implementation team
and the evaluation.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``dropin``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Offered in Denmark only (the manifest's countries). It bills nothing:
the centres are financed by the municipality's grants, not by invoices per citizen.

Built so far: the centres and their cooperation agreements (`centres`). The presence schedules,
contacts, meetings, activities, implementation team and evaluation follow.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import CasePanel, DashboardWidget, PageLink, Plugin, WebPages, hookimpl

from . import cadence, contact_pages, demo, person_data, weekly, workflow
from .manifest import CONTACT_RECORD, EVALUATION_READ, MANIFEST, READ, RETENTION

HERE = Path(__file__).parent
WEB = WebPages(
    blueprint="velferd_dropin.pages:blp", templates=str(HERE / "templates"),
    public_blueprint="velferd_dropin.public_pages:blp",
    translations=str(HERE / "translations"),
    menu=(PageLink("dropin_pages.centres_page", "Drop-in centres", READ),
          PageLink("dropin_pages.meetings_page", "Statutory meetings", READ),
          PageLink("dropin_pages.no_shows_page", "No-shows", READ),
          PageLink("dropin_pages.all_activities_page", "Team activities", READ),
          PageLink("dropin_pages.contacts_page", "Contacts", READ),
          PageLink("dropin_pages.presence_page", "Outreach presence", READ),
          PageLink("dropin_pages.implementation_page", "Implementation team", READ),
          PageLink("dropin_pages.evaluation_page", "Evaluation", EVALUATION_READ),
          PageLink("dropin_pages.costs_page", "Costs", EVALUATION_READ),
          PageLink("dropin_pages.surveys_page", "Surveys", CONTACT_RECORD),),
    case_panels=(CasePanel("dropin/contacts/panel.html", "Contacts and consent", contact_pages.panel_context, READ),),
    dashboard_widgets=(DashboardWidget("dropin/implementation/widget.html", "Implementation team meetings",
                                       cadence.widget, READ),),
    inbox=cadence.inbox_items,  # the team's next meeting due within 14 days, or overdue
)

PLUGIN = Plugin(MANIFEST, workflow.WORKFLOW, blueprints="velferd_dropin.api:blp", web=WEB,
                tasks=[weekly.TASK_SPEC], beat_entries=[weekly.BEAT_ENTRY], retention=RETENTION)  # Mondays 04:00 tenant time


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_demo_seed(tenant, staff):
    demo.seed(tenant, staff)


@hookimpl
def velferd_case_transitioned(tenant, case, transition, from_state, actor, payload):
    """A reopened case is open again (`workflow.on_transitioned`)."""
    workflow.on_transitioned(tenant, case, transition, from_state, actor, payload)


@hookimpl
def velferd_person_data(tenant, person):
    """The person's rows: the core's walk, and their anonymous contacts by citizen code (`person_data`)."""
    return person_data.rows_of(person)
