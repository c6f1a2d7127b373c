"""Bergen's "Der Ungdommen Er" (DUE): youth follow-up by a coordinator, from the referral to the
last invoice.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for DUE's own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``due``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Where each rule of the guideline lives:

* referral, assessment and report forms — `forms`, filed by `referral` and `reports`;
* eligibility as a reasoned recommendation — `eligibility`;
* places and the explained waiting list — `waitlist`;
* the intake workflow and its guards — `workflow`; what each move files — `placement`;
* coordinators, absences, substitutes and flags — `coordination`;
* 4-monthly and final reports, reminders and the daily job — `reports`;
* transfers between referring units — `transfers`; extra resources — `extras`;
* the price per year and the deflator table — `prices`; invoice lines — `invoicing`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from velferd.toolkit import (
    BeatEntry,
    CasePanel,
    Conflict,
    DashboardWidget,
    PageLink,
    Plugin,
    TaskSpec,
    ValidationFailed,
    WebPages,
    hookimpl,
    person_rows,
    settings_for,
    tenant_today,
)

from . import demo, invoicing, placement, referral, reports
from .eligibility import OUTCOMES, RULE, RULES
from .forms import FORMS
from .manifest import CASE_READ, COORDINATE, INTAKE, MANIFEST, PLUGIN_ID, PRICES_READ, RETENTION, WAITLIST_READ
from .workflow import ASSESSMENT, WORKFLOW

REMINDER_TASK = "due.report_reminders"
REMINDER_BEAT = BeatEntry("due-report-reminders", REMINDER_TASK, "0 7 * * *", {})
"""Every morning at 07:00 in the tenant's zone (Europe/Oslo for Bergen)."""


def report_reminders_task(ctx, on: str | None = None) -> dict:
    """The daily job: reminders before report deadlines and overdue flags, for one tenant, with its
    settings as they are now. Idempotent (a reminder is stored once per deadline and kind)."""
    day = dt.date.fromisoformat(on) if on else tenant_today(ctx.tenant)
    return {"on": day.isoformat(), **reports.run_reminders(ctx.tenant, ctx.settings, day)}


TASKS = [TaskSpec(REMINDER_TASK, report_reminders_task, idempotent=True, max_attempts=5, backoff_seconds=300,
                  title="DUE: report reminders and overdue flags")]


def _case_panel(case, settings):
    from .pages import case_panel_context  # the pages load only with the app's pages

    return case_panel_context(case, settings)


def _dashboard(tenant, settings):
    from .pages import dashboard_context

    return dashboard_context(tenant, settings)


#: The pages (velferd_due.pages, mounted at /t/<tenant>/x/due), their menu entries, the case
#: panel on DUE cases and the dashboard's waiting-list box; texts in ./translations.
WEB = WebPages(
    blueprint="velferd_due.pages:blp",
    templates=str(Path(__file__).parent / "templates"),
    translations=str(Path(__file__).parent / "translations"),
    menu=(PageLink("due_pages.waiting_list_page", "Waiting list", WAITLIST_READ),
          PageLink("due_pages.new_referral", "New referral", INTAKE),
          PageLink("due_pages.absences", "Coordinators and absences", COORDINATE),
          PageLink("due_pages.price_table", "Prices and deflators", PRICES_READ)),
    case_panels=(CasePanel("due/case_panel.html", "Der Ungdommen Er", _case_panel, CASE_READ),),
    dashboard_widgets=(DashboardWidget("due/dashboard_widget.html", "DUE waiting list", _dashboard, WAITLIST_READ),),
)


PLUGIN = Plugin(
    MANIFEST, WORKFLOW, forms=FORMS, rules=RULES, tasks=TASKS, beat_entries=[REMINDER_BEAT],
    invoice_line_providers=[invoicing.PROVIDER], blueprints="velferd_due.api:blp", web=WEB,
    retention=RETENTION,
)


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_demo_seed(tenant, staff):
    demo.seed(tenant, staff)


@hookimpl
def velferd_case_opened(tenant, case, actor):
    """A DUE case starts with a referral from a referring unit: the unit is required up front."""
    referral.referring_unit(case.referring_unit_id, "referring_unit_id")


@hookimpl
def velferd_case_transitioned(tenant, case, transition, from_state, actor, payload):
    placement.after_transition(tenant, case, transition.name, payload, settings_for(tenant, PLUGIN_ID))


@hookimpl
def velferd_form_submitted(tenant, submission, actor):
    """File the referral, check the assessment's timing, or let a report close its deadline."""
    case = referral.case_of(submission)
    if submission.form == "referral":
        referral.file_referral(case, submission)
    elif submission.form == "assessment":
        if case is None or case.state != ASSESSMENT:
            raise Conflict("the assessment is recorded for a case in assessment"
                           + (f"; case {case.id} is {case.state}" if case else ": give case_id"))
    elif submission.form == "report":
        reports.file_report(case, submission)


@hookimpl
def velferd_decision_recorded(tenant, decision, actor):
    """An override of the eligibility recommendation must name an outcome the rule knows."""
    if decision.rule == RULE and decision.outcome not in OUTCOMES:
        raise ValidationFailed("the override names an outcome the eligibility rule does not know: outcome",
                               {"outcome": [f"one of: {', '.join(OUTCOMES)}"]})


@hookimpl
def velferd_person_data(tenant, person):
    """The person's rows in this plugin's tables, for their data export (found by the core's walk)."""
    return person_rows(person, __package__)
