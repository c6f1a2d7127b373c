"""The contract between the core and programme plugins. Every hook is here, typed and documented.

Two kinds of hook:

* **The declaration hook** ``velferd_plugin()`` is called once per plugin, at start-up, with no
  arguments, and returns one ``velferd.toolkit.Plugin``: the manifest, forms, rules, workflow,
  tasks, beat entries, invoice line providers and blueprints, as data. It is a hook rather than a
  module attribute so that pluggy keeps doing what it does for the runtime hooks too: registering
  a plugin object or module under a name, loading entry points, refusing a misspelt hook.
  A plugin never decides at declaration time which tenant it serves.
* **Runtime hooks** are behaviour, called while a tenant is in scope; they always receive that
  ``tenant`` and only ever reach plugins the tenant enabled. Most are events about a record one
  plugin owns (a case, a form submission, a decision): they reach **only the owner**, named by
  the record's ``plugin`` (`OWNER_ARGUMENT`), so a plugin never sees another programme's cases
  and needs no ``if case.plugin != ...`` check. A hook meant for *every* enabled plugin is listed
  in `EVERY_ENABLED_PLUGIN` and says so in its docstring (``velferd_demo_seed``: each plugin
  seeds its own data; ``velferd_person_data``: each plugin gives its own rows about a person).

How the four programmes in DOMAIN.md use them is written beside each hook ("Used by").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from velferd.models import Case, Decision, FormSubmission, Person, Tenant, User
    from velferd.plugins.specs import Plugin, Transition

PROJECT = "velferd"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------
# The declaration hook: called once per plugin at start-up, no tenant.
# ---------------------------------------------------------------------------------------------


@hookspec
def velferd_plugin() -> "Plugin":
    """Return this plugin's declaration: one ``Plugin`` holding everything it is and has.

    Called once at start-up. Every plugin must implement it; ``Plugin.manifest.id`` must equal the
    name the plugin is registered under (its entry-point name). The core checks the type of every
    field and refuses to start, naming the plugin and the field, on a wrong one; a form, rule or
    transition name declared twice, a task name another plugin declared, or a workflow naming a
    state it does not have stops the start too. Then:

    * ``manifest`` — id, title, version, countries, settings schema (validates every write of the
      tenant's settings, fills defaults on read), roles and their permissions, migrations folder;
    * ``forms`` — served as JSON Schema at ``/api/t/<tenant>/forms/<plugin>/<form>``; a submission
      is validated with it (422 with field errors) and keeps the form version;
    * ``rules`` — turn validated inputs into an ``Outcome`` with reasons, stored as a decision a
      permitted user can override with a reason;
    * ``workflow`` — the case lifecycle: a case starts in ``initial`` and moves only along its
      transitions; a guard that returns a reason refuses the move with 409;
    * ``tasks`` and ``beat_entries`` — background work as data, run only for tenants that enabled
      the plugin, each fanned out per tenant by the scheduler;
    * ``invoice_line_providers`` — asked by the monthly invoice run, per enabled tenant and period;
    * ``blueprints`` — routes mounted at ``/api/t/<tenant>/x/<plugin id>``; the core authenticates
      and answers 404 to a tenant that has not enabled the plugin before any view runs.

    Used by: ``due`` (NO; referral, start meeting and report forms; eligibility and priority rules;
    the intake workflow from referral to ended; daily report reminders; monthly invoice lines;
    waiting list and price table routes); ``aftercare`` (NO; application and tenancy forms, the
    staircase rule and workflow, flat occupancy routes; bills nothing); ``dropin`` (DK; contact and
    attendance forms, the weekly presence schedule task); ``nav_split`` (NO; its eight roles, the
    kartlegging form, the allocation and meeting-outcome rules, weekly agendas, agenda routes).
    """


# ---------------------------------------------------------------------------------------------
# Runtime hooks: called with a tenant in scope, only for plugins that tenant enabled.
# ---------------------------------------------------------------------------------------------

OWNER_ARGUMENT: Mapping[str, str] = {
    "velferd_case_opened": "case",
    "velferd_case_transitioned": "case",
    "velferd_form_submitted": "submission",
    "velferd_decision_recorded": "decision",
}
"""Events about one plugin's record → the argument whose ``.plugin`` names the owner: the core
calls them on that plugin alone (``enablement.call_owner_hook``), if the tenant enabled it."""

EVERY_ENABLED_PLUGIN: frozenset[str] = frozenset({"velferd_demo_seed", "velferd_person_data"})
"""The hooks called on every plugin the tenant enabled (``enablement.call_hook``), each for its
own part of the work."""


@hookspec
def velferd_case_opened(tenant: "Tenant", case: "Case", actor: "User | None") -> None:
    """A case was opened (in its workflow's initial state) and flushed, not yet committed.

    Called only on the plugin that owns the case (``case.plugin``), if the tenant enabled it.
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

    Called inside the same transaction as the move, only on the plugin that owns the case.

    Used by: ``due`` (on start: create the 4-monthly report deadlines; on notice: the end date
    two calendar months on); ``aftercare`` (occupy or free a flat).
    """


@hookspec
def velferd_form_submitted(tenant: "Tenant", submission: "FormSubmission", actor: "User | None") -> None:
    """A form submission was validated and stored (flushed, same transaction).

    Called only on the plugin whose form it is (``submission.plugin``).

    Used by: ``due`` (a referral opens the waiting-list entry; a report closes its deadline);
    ``dropin`` (attendance feeds the no-show figures).
    """


@hookspec
def velferd_decision_recorded(tenant: "Tenant", decision: "Decision", actor: "User | None") -> None:
    """A decision was stored: a rule's evaluation (``decision.supersedes_id`` is None) or a
    person's override of an earlier decision.

    Called only on the plugin whose rule it is (``decision.plugin``).

    Used by: ``due`` (an eligible referral is placed on the waiting list); ``nav_split`` (a
    Rusfaglig Forum outcome queues the case for the next agenda).
    """


@hookspec
def velferd_demo_seed(tenant: "Tenant", staff: "Mapping[str, User]") -> None:
    """Add this plugin's example data to a demo municipality, so ``make demo`` shows it at work.

    Called by ``velferd demo seed`` with the tenant in scope, after the demo enabled the plugin for
    that municipality and created its staff (``<role>@<slug>.demo``, the plugin's roles included)
    and synthetic citizens. Called on *every* plugin the tenant enabled, each seeding its own part.
    The demo may be seeded again on the same database: add only what is missing. Flush, don't
    commit — the demo commits.
    ``staff`` maps each role to the demo user holding it; act as one of them
    (``toolkit.acting_as``) so the core's services check permissions and audit as for a person.

    Used by: ``due`` (Bergen: the deflator table with the source of each year, a few referred and
    started youths); ``aftercare`` (Alta: the seven flats); ``dropin`` (Odense: the centres and
    their presence times); ``nav_split`` (Kristiansand: assessed citizens and their allocations).
    """


@hookspec
def velferd_person_data(tenant: "Tenant", person: "Person") -> "dict[str, list[dict[str, Any]]]":
    """Give this plugin's rows about `person`, for the person's data export (GDPR art. 15):
    table name → its rows as JSON-ready dicts (column → value).

    Called by the export (``GET /api/t/<tenant>/persons/<id>/export``, velferd.subject_export) on
    *every* plugin the tenant enabled, each giving its own tables, with the tenant in scope and
    whoever asks: the rows must be found regardless of any need-to-know scope. Give only the
    person's rows and nothing about anyone else in them (another citizen's name, id or code).
    ``toolkit.person_rows(person, __package__)`` finds every row of the plugin's models that leads
    to the person by its foreign keys (velferd.read_audit's rule), exported column by column with
    ``toolkit.exported_row``; add what it cannot find. Read only: write nothing.

    Used by: ``due``, ``nav_split`` and ``aftercare`` (their person-linked tables, by the walk);
    ``dropin`` (the walk, and the anonymous contacts tied to the person only by the citizen code
    of their consent).
    """
