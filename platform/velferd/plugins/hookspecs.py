"""The contract between the core and programme plugins. Every hook is here, typed and documented.

Two kinds of hook:

* **Declaration hooks** are called once, at start-up, with no arguments. They return data
  (dataclasses from ``velferd.toolkit``) that the core indexes by plugin id. A plugin never
  decides at declaration time which tenant it serves.
* **Runtime hooks** are called while a tenant is in scope and always receive that ``tenant``.
  The core calls them through ``pm.subset_hook_caller`` with every plugin the tenant has not
  enabled removed, so a plugin only ever hears about municipalities that switched it on.

How the four programmes in DOMAIN.md use them is written beside each hook ("Used by").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import pluggy

if TYPE_CHECKING:
    from flask import Blueprint

    from velferd.models import Case, Decision, FormSubmission, Tenant, User
    from velferd.plugins.specs import (
        BeatEntry,
        FormSpec,
        InvoiceLineProvider,
        Manifest,
        RuleSpec,
        TaskSpec,
        Transition,
        Workflow,
    )

PROJECT = "velferd"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# Declaration hooks: called once at start-up, no tenant.
# ---------------------------------------------------------------------------------------------


@hookspec
def velferd_manifest() -> "Manifest":
    """Return this plugin's manifest: id, title, version, countries, settings schema, roles.

    Called once at start-up. Every plugin must implement it; the manifest's ``id`` must equal
    the name the plugin is registered under (its entry-point name).

    Used by: ``due`` (NO only; settings: age range 16–23, places, priority weights, reminder
    days, deflator table, start dates on the 1st/15th); ``aftercare`` (NO; 7 flats, maximum stay
    of 2 years); ``dropin`` (DK; centres and weekly presence); ``nav_split`` (NO; roles
    ``forvaltning``, ``forvaltning_head``, ``spesialteam``, ``rusteam``, ``forum_coordinator``,
    ``forum_deputy``, ``forum_leader``, ``nav_financial_caseworker``).
    """


@hookspec
def velferd_forms() -> "list[FormSpec]":
    """Return the forms this plugin offers: named, versioned marshmallow schemas.

    Called once at start-up. The core serves each form's JSON Schema at
    ``/api/t/<tenant>/forms/<plugin>/<form>`` and validates submissions with it (422 with
    field errors); a stored submission keeps the form version it was validated against.

    Used by: ``due`` (referral with legal basis and the five target-group criteria, start
    meeting, 4-monthly report); ``aftercare`` (application from treatment, tenancy contract);
    ``dropin`` (contact at the centre, meeting attendance); ``nav_split`` (kartlegging).
    """


@hookspec
def velferd_rules() -> "list[RuleSpec]":
    """Return the rules this plugin evaluates. Each rule turns validated inputs into an
    ``Outcome`` with human-readable reasons; the core stores it as a decision with inputs,
    outcome, rule version and reasons, and lets a permitted user override it with a reason.

    Called once at start-up.

    Used by: ``due`` (eligibility: age within the tenant's range and at least one criterion;
    waiting-list priority); ``aftercare`` (step up or down the staircase); ``nav_split`` (NAV or
    Livsmestring, Rusfaglig Forum, cooperation meeting; NAV team by job and age 30).
    """


@hookspec
def velferd_workflows() -> "list[Workflow]":
    """Return the case lifecycles this plugin defines: states and guarded transitions.

    Called once at start-up. A case of the plugin starts in the workflow's ``initial`` state and
    moves only along its transitions; a guard that returns a reason refuses the move with 409.

    Used by: ``due`` (referred → information meeting → assessment → feedback → offered/declined →
    awaiting vedtak → started → notice → ended; the start meeting is guarded by a recorded
    vedtak); ``aftercare`` (assessment → living → moved on, with staircase steps);
    ``nav_split`` (assessed → allocated / queued for Rusfaglig Forum or cooperation meeting).
    """


@hookspec
def velferd_blueprints() -> "list[Blueprint]":
    """Return Flask blueprints with the plugin's own routes.

    Called once, in ``create_app`` (Flask forbids registering later). Each blueprint is mounted
    at ``/api/t/<tenant>/x/<plugin id>``; the core authenticates the request, sets the tenant
    and answers 404 to a tenant that has not enabled the plugin before any view runs.

    Used by: ``due`` (waiting list, coordinator absences, price table); ``aftercare`` (flat
    occupancy); ``dropin`` (published presence schedules, no-show figures); ``nav_split``
    (Rusfaglig Forum and cooperation-meeting agendas, signatures).
    """


@hookspec
def velferd_beat_entries() -> "list[BeatEntry]":
    """Return the plugin's periodic jobs as data.

    Called once at start-up. The scheduler fans each entry out into one task per tenant that
    has the plugin enabled; the task receives the tenant id and re-reads the tenant's settings.

    Used by: ``due`` (report reminders and overdue flags, daily); ``dropin`` (weekly presence
    schedule); ``nav_split`` (weekly agendas for Rusfaglig Forum and cooperation meetings).
    """


@hookspec
def velferd_tasks() -> "list[TaskSpec]":
    """Return the background tasks this plugin runs, as ``TaskSpec`` data.

    Called once at start-up. Task names are global: prefix them with the plugin id; a name
    declared twice stops the start. A task runs only for a tenant that has the plugin enabled,
    inside that tenant's transaction, as ``run(ctx, **kwargs)`` with a ``TaskContext`` (tenant,
    the plugin's settings re-read at run time, the ``JobRun``). Plugins start one with
    ``velferd.toolkit.enqueue`` or name it in a ``BeatEntry``; every run is recorded and
    retried with backoff on failure.

    Used by: ``due`` (report reminders and overdue flags); ``dropin`` (building the weekly
    presence schedule); ``nav_split`` (building the weekly Rusfaglig Forum, cooperation-meeting
    and leader-level agendas). ``aftercare`` has no background work.
    """


@hookspec
def velferd_invoice_line_providers() -> "list[InvoiceLineProvider]":
    """Return the providers of invoice lines for this plugin.

    Called once at start-up; the monthly invoice run later calls each provider only for the
    tenants that enabled the plugin, with the tenant, its settings and the period.

    Used by: ``due`` (one line per case and month to the payer unit holding the vedtak, the
    price indexed by the deflator, part months by calendar days, agreed extra resources).
    ``aftercare``, ``dropin`` and ``nav_split`` bill nothing and do not implement it.
    """


# ---------------------------------------------------------------------------------------------
# Runtime hooks: called with a tenant in scope, only for plugins that tenant enabled.
# ---------------------------------------------------------------------------------------------


@hookspec
def velferd_case_opened(tenant: "Tenant", case: "Case", actor: "User | None") -> None:
    """A case was opened (in its workflow's initial state) and flushed, not yet committed.

    Called for every plugin the tenant enabled; look at ``case.plugin`` to act only on your own.
    Raising aborts the request and nothing is written.

    Used by: ``due`` (start the waiting-list position); ``aftercare`` (schedule the assessment).
    """


@hookspec
def velferd_case_transitioned(
    tenant: "Tenant", case: "Case", transition: "Transition", from_state: str, actor: "User | None",
    payload: "Mapping[str, Any]",
) -> None:
    """A case moved along a transition; ``case.state`` is already the target state. ``payload``
    is the data the move was made with (already passed the transition's guards), as journaled.

    Called inside the same transaction as the move, for every plugin the tenant enabled.

    Used by: ``due`` (on start: create the 4-monthly report deadlines; on notice: the end date
    two calendar months on); ``aftercare`` (occupy or free a flat).
    """


@hookspec
def velferd_form_submitted(tenant: "Tenant", submission: "FormSubmission", actor: "User | None") -> None:
    """A form submission was validated and stored (flushed, same transaction).

    Used by: ``due`` (a referral opens the waiting-list entry; a report closes its deadline);
    ``dropin`` (attendance feeds the no-show figures).
    """


@hookspec
def velferd_decision_recorded(tenant: "Tenant", decision: "Decision", actor: "User | None") -> None:
    """A decision was stored: a rule's evaluation (``decision.supersedes_id`` is None) or a
    person's override of an earlier decision.

    Used by: ``due`` (an eligible referral is placed on the waiting list); ``nav_split`` (a
    Rusfaglig Forum outcome queues the case for the next agenda).
    """


@hookspec
def velferd_demo_seed(tenant: "Tenant", staff: "Mapping[str, User]") -> None:
    """Add this plugin's example data to a demo municipality, so ``make demo`` shows it at work.

    Called by ``velferd demo seed`` with the tenant in scope, after the demo enabled the plugin for
    that municipality and created its staff (``<role>@<slug>.demo``, the plugin's roles included)
    and synthetic citizens; only for plugins the tenant enabled. The demo may be seeded again on
    the same database: add only what is missing. Flush, don't commit — the demo commits.
    ``staff`` maps each role to the demo user holding it; act as one of them
    (``toolkit.acting_as``) so the core's services check permissions and audit as for a person.

    Used by: ``due`` (Bergen: the deflator table with the source of each year, a few referred and
    started youths); ``aftercare`` (Alta: the seven flats); ``dropin`` (Odense: the centres and
    their presence times); ``nav_split`` (Kristiansand: assessed citizens and their allocations).
    """
