"""The data plugins declare: plain frozen dataclasses, so declarations are values, not behaviour
hidden in classes, and the core can list, validate and document them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import marshmallow as ma

if TYPE_CHECKING:
    from velferd.models import Case, JobRun, Tenant, User


@dataclass(frozen=True)
class Manifest:
    """Who a plugin is. `countries` limits where it is offered; `settings_schema` validates
    every write of its per-tenant settings and supplies defaults on read; `roles` maps each
    role the plugin adds (or extends) to the permissions it grants. `migrations` is the folder
    of the plugin's own Alembic revisions (one branch, labelled with the plugin id); ``velferd db
    upgrade`` adds it to the version locations and applies every branch's head."""

    id: str
    title: str
    version: str
    countries: tuple[str, ...] = ("NO", "DK")
    settings_schema: type[ma.Schema] | None = None
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    migrations: str | None = None


@dataclass(frozen=True)
class FormSpec:
    """A named, versioned form. Raise `version` when the schema changes meaning; every
    submission keeps the version it was validated with."""

    name: str
    version: int
    schema: type[ma.Schema]
    title: str = ""
    permission: str = "forms:submit"


@dataclass(frozen=True)
class Outcome:
    """What a rule concluded and why, in words a caseworker would write."""

    outcome: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RuleContext:
    tenant: "Tenant"
    settings: Mapping[str, Any]
    case: "Case | None"
    today: dt.date


@dataclass(frozen=True)
class RuleSpec:
    """A rule turns validated inputs into an `Outcome`. `inputs_schema` validates the inputs."""

    name: str
    version: int
    inputs_schema: type[ma.Schema]
    evaluate: Callable[[Mapping[str, Any], RuleContext], Outcome]
    title: str = ""
    permission: str = "decisions:evaluate"
    override_permission: str = "decisions:override"


@dataclass(frozen=True)
class GuardContext:
    tenant: "Tenant"
    settings: Mapping[str, Any]
    case: "Case"
    payload: Mapping[str, Any]


Guard = Callable[[GuardContext], "str | None"]
"""A guard returns None to allow a transition, or the reason it is refused."""


@dataclass(frozen=True)
class Transition:
    """A move from any of `source` to `target`. `payload` is the schema the request's ``data``
    must pass (a 422 naming the field otherwise) before any guard runs; it is what the OpenAPI
    document shows for the transition. Without one, ``data`` is any JSON object (still only
    finite numbers and text without control characters) kept on the journal entry."""

    name: str
    source: tuple[str, ...]
    target: str
    guards: tuple[Guard, ...] = ()
    permission: str = "cases:write"
    title: str = ""
    payload: type[ma.Schema] | None = None


@dataclass(frozen=True)
class Workflow:
    """A case lifecycle: the states a case can be in and the only ways to move between them."""

    name: str
    initial: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    final: tuple[str, ...] = ()

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)


@dataclass(frozen=True)
class BeatEntry:
    """A periodic job as data. The scheduler fans it out: one `task` call per tenant that has
    the plugin enabled (a core entry, registered with ``velferd.jobs.registry.core_beat_entry``:
    every tenant), each given the tenant id. `schedule` is a 5-field crontab
    ("minute hour day-of-month month day-of-week") read in Europe/Oslo, which keeps the same
    clock as Europe/Copenhagen."""

    name: str
    task: str
    schedule: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskContext:
    """What a task is given when it runs: the tenant in scope, that tenant's settings for the
    task's plugin re-read at run time (``{}`` for a core task) and the `JobRun` recording it."""

    tenant: "Tenant"
    settings: Mapping[str, Any]
    job: "JobRun"


@dataclass(frozen=True)
class TaskSpec:
    """A background task as data. ``run(ctx, **kwargs)`` does the work inside one transaction
    with ``ctx.tenant`` in scope; kwargs are JSON values. Whatever it returns (JSON) is kept as
    the job's result. On an exception the work is rolled back and the job retried with
    exponential backoff (``backoff_seconds`` × 2^(attempt-1)) until ``max_attempts`` — unless the
    exception says ``permanent = True`` (retrying cannot help): then that attempt is the last.

    ``idempotent`` promises that running the task twice has the effect of running it once;
    only such tasks are acknowledged late and run again when their worker was lost mid-task
    (`velferd.jobs.recovery`); any other is then failed with the reason, for a person to retry.
    Names are global and unique; prefix them with the plugin id (``nav_split.weekly_agendas``)."""

    name: str
    run: Callable[..., Any]
    idempotent: bool = True
    max_attempts: int = 5
    backoff_seconds: int = 60
    title: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    payer_unit_id: int
    description: str
    quantity: Any
    unit_price: Any
    period_start: dt.date
    period_end: dt.date
    case_id: int | None = None
    #: what the line bills, stable from one run to the next ("monthly", "extra:3"): with the case
    #: and the service period it names one billable item, so a late change is billed or credited
    #: once (billing.catch_up). A plugin gives at most one line per (payer, case, period, key).
    line_key: str | None = None
    #: the case reference the payer knows (DUE: the paying unit's vedtak reference); the core's
    #: "<plugin>/<case id>" when not given. Never a name or a national id.
    case_reference: str | None = None


@dataclass(frozen=True)
class InvoiceLineProvider:
    """Contributes the lines a plugin bills for one tenant and period (the monthly run asks it)."""

    name: str
    lines: Callable[["Tenant", Mapping[str, Any], dt.date, dt.date], "list[InvoiceLine]"]



@dataclass(frozen=True)
class PageLink:
    """An entry a plugin adds to the main menu: `endpoint` is one of its page blueprint's views
    (``"due_pages.waiting_list"``, called with the tenant's slug), `title` English text looked up
    in the plugin's catalogue, shown only to a user holding `permission`."""

    endpoint: str
    title: str
    permission: str = "cases:read"


@dataclass(frozen=True)
class CasePanel:
    """A section a plugin adds to the case page of *its own* cases. `template` is a file in the
    plugin's templates folder, rendered with ``case``, ``settings`` and what `context` returns
    (``context(case, settings) -> mapping``; None: nothing more). Shown to a user with `permission`."""

    template: str
    title: str = ""
    context: Callable[["Case", Mapping[str, Any]], Mapping[str, Any]] | None = None
    permission: str = "cases:read"


@dataclass(frozen=True)
class DashboardWidget:
    """A box a plugin adds to the leader dashboard: `template` rendered with ``tenant``,
    ``settings`` and ``context(tenant, settings)``. Every figure in it should link to the
    filtered list it counts (the dashboard's rule)."""

    template: str
    title: str = ""
    context: Callable[["Tenant", Mapping[str, Any]], Mapping[str, Any]] | None = None
    permission: str = "cases:read"


@dataclass(frozen=True)
class InboxItem:
    """Something a plugin asks a user to do by a date, listed in their inbox (``/t/<tenant>/tasks``)
    with the core's deadlines. `title` is shown as given (translate it with the toolkit's
    ``gettext``); `url_or_case_id` is the page it leads to: a path, or a case's id for its case
    page. `overdue` marks it red and says "Overdue"."""

    title: str
    due_on: dt.date
    url_or_case_id: str | int
    overdue: bool = False


@dataclass(frozen=True)
class WebPages:
    """A plugin's part of the web interface (velferd.web.plugin_pages).

    ``blueprint`` is lazy like `Plugin.blueprints` (``"velferd_due.pages:blp"``); its routes are
    mounted under ``/t/<tenant>/x/<plugin id>`` and answer 404 where the plugin is not enabled,
    like its API. ``templates`` is the plugin's folder of Jinja templates (found after the
    core's); ``translations`` its catalogue folder (``<lang>/LC_MESSAGES/messages.po`` and
    ``.mo`` for nb, da and en), where its pages' texts and the English titles it declares
    (states, transitions, forms, menu entries) are translated."""

    blueprint: str | Callable[[], Any] | None = None
    templates: str | None = None
    translations: str | None = None
    menu: tuple[PageLink, ...] = ()
    case_panels: tuple[CasePanel, ...] = ()
    dashboard_widgets: tuple[DashboardWidget, ...] = ()
    #: the user's items for their inbox: ``inbox(tenant, user, settings) -> list[InboxItem]``
    inbox: Callable[["Tenant", "User", Mapping[str, Any]], "list[InboxItem]"] | None = None
    #: pages for people without an account (lazy like ``blueprint``), mounted at
    #: ``/p/<town>/<plugin id>`` with the municipality in scope and no login
    #: (velferd.web.public_pages); they must show no personal data
    public_blueprint: str | Callable[[], Any] | None = None


#: What a retention rule may do with a record once its period is over (velferd.retention).
RETENTION_ACTIONS = ("delete", "anonymise", "deposit")


@dataclass(frozen=True)
class RetentionRule:
    """How long a kind of record is kept, and what then happens to it (velferd.retention).

    `record_type` names what the core knows how to find and dispose of ("case": a case with every
    row that carries its ``case_id``, the plugin's tables included; "person"; "invoice";
    "reminder_mail"). A plugin's rule covers the plugin's own records (its cases); its `name` is
    prefixed with the plugin id (``due.case``). `years` counts from `after`: ``case_closed``,
    ``last_case_closed`` (a person), ``financial_year_end`` (an invoice's issue date) or
    ``recorded`` (the row's own date). `min_years`/`max_years` are the legal bounds within which
    a tenant may adjust the period; `source` names the law or regulation they come from. Whatever
    a rule says, the core deposits child-welfare cases, skips records on hold and keeps
    bookkeeping for its period (velferd.retention.guards)."""

    name: str
    record_type: str
    after: str
    years: int
    min_years: int
    max_years: int
    action: str
    source: str
    title: str = ""

    def __post_init__(self) -> None:
        if self.action not in RETENTION_ACTIONS:
            raise ValueError(f"retention rule {self.name!r}: action must be one of {RETENTION_ACTIONS}, "
                             f"not {self.action!r}")
        if not (0 <= self.min_years <= self.years <= self.max_years):
            raise ValueError(f"retention rule {self.name!r}: needs 0 <= min_years <= years <= max_years "
                             f"(got {self.min_years}, {self.years}, {self.max_years})")
        if not self.source.strip():
            raise ValueError(f"retention rule {self.name!r}: name the law it follows in `source`")


@dataclass(frozen=True)
class Plugin:
    """Everything a programme plugin *is and has*, in one value, returned by its one declaration
    hook ``velferd_plugin()``. Declarations are data (behaviour stays in the runtime hooks): each
    part is a named field whose default is "none", so a plugin states what it has in one place
    and the core checks every field's type, naming the plugin and the field, at start-up.

    ``workflow`` is the single case lifecycle (None: the plugin opens no cases). ``blueprints``
    stays lazy — ``"velferd_due.api:blp"`` or a function — because importing routes pulls in
    the plugin's whole API (its schemas and services); the core imports it only when it builds the app.
    Sequences may be lists or tuples. New optional parts (a templates folder, translations) are
    added as fields with empty defaults, so a plugin written today keeps working."""

    manifest: Manifest
    workflow: Workflow | None = None
    forms: tuple[FormSpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    beat_entries: tuple[BeatEntry, ...] = ()
    invoice_line_providers: tuple[InvoiceLineProvider, ...] = ()
    blueprints: str | Callable[[], Any] | None = None
    web: WebPages | None = None
    #: how long its records are kept and what then happens to them (velferd.retention)
    retention: tuple[RetentionRule, ...] = ()
