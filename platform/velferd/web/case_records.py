"""What the case page shows of its records: its programme's forms (drawn from their schemas),
the submissions made, the rules a user may run on it and the decisions with their reasons, each
with the override form for a user holding the rule's override permission.

A plugin's new form or rule appears on the case page with no template: `form_fields` draws its
schema. The posts are velferd.web.case_records_pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g
from flask_babel import gettext
from flask_babel import gettext as _

from velferd.api.context import tenant
from velferd.api.schemas import OverrideSchema
from velferd.auth import has_permission
from velferd.db import db
from velferd.models import Case, Decision, FormSubmission, User
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.plugins.specs import FormSpec, RuleSpec
from velferd.web.form_fields import FormField, form_fields


@dataclass(frozen=True)
class DrawnForm:
    """A plugin form or rule as the case page draws it."""

    name: str
    title: str
    fields: list[FormField]
    form_id: str


@dataclass(frozen=True)
class DecisionEntry:
    decision: Decision
    title: str
    decided_by: str | None
    superseded: bool
    may_override: bool

    @property
    def reasons(self) -> list[str]:
        """The reasons in the page's language where the rule wrote a fixed text its plugin's
        catalogue translates; one with values in it stays as the rule wrote it."""
        return [gettext(reason) for reason in self.decision.reasons or []]

    @property
    def form_id(self) -> str:
        return f"override-{self.decision.id}"


def _case_forms(case: Case) -> list[tuple[str, FormSpec]]:
    return sorted((name, spec) for (plugin, name), spec in registry().forms.items() if plugin == case.plugin)


def _case_rules(case: Case) -> list[tuple[str, RuleSpec]]:
    return sorted((name, spec) for (plugin, name), spec in registry().rules.items() if plugin == case.plugin)


def override_fields() -> list[FormField]:
    return form_fields(OverrideSchema, {"outcome": _("New outcome"), "reason": _("Reason for the override")})


def _names(user_ids: set[int | None]) -> dict[int, str]:
    wanted = {uid for uid in user_ids if uid is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(wanted))).all())


def case_records(case: Case) -> dict:
    """What the case page shows of forms, submissions, rules and decisions, for this user."""
    open_here = case.plugin in enabled_plugin_ids(tenant()) and "cases:write" in g.get("velferd_permissions", ())
    form_specs = _case_forms(case)
    rule_specs = _case_rules(case)
    submissions = db.session.scalars(sa.select(FormSubmission).where(FormSubmission.case_id == case.id)
                                     .order_by(FormSubmission.submitted_at.desc(), FormSubmission.id.desc())).all()
    made = db.session.scalars(sa.select(Decision).where(Decision.case_id == case.id)
                              .order_by(Decision.decided_at.desc(), Decision.id.desc())).all()
    names = _names({s.submitted_by_id for s in submissions} | {d.decided_by_id for d in made})
    superseded = {d.supersedes_id for d in made if d.supersedes_id is not None}
    titles = {name: gettext(spec.title or name) for name, spec in rule_specs}
    overriders = {name for name, spec in rule_specs if has_permission(spec.override_permission)}
    form_titles = {name: gettext(spec.title or name) for name, spec in form_specs}
    return {
        "case_forms": [DrawnForm(name, form_titles[name], form_fields(spec.schema), f"form-{name}")
                       for name, spec in form_specs if open_here and has_permission(spec.permission)],
        "case_rules": [DrawnForm(name, titles[name], form_fields(spec.inputs_schema), f"rule-{name}")
                       for name, spec in rule_specs if open_here and has_permission(spec.permission)],
        "submissions": [(s, form_titles.get(s.form, s.form), names.get(s.submitted_by_id)) for s in submissions],
        "decisions": [DecisionEntry(d, titles.get(d.rule, d.rule), names.get(d.decided_by_id), d.id in superseded,
                                    open_here and d.rule in overriders and d.id not in superseded) for d in made],
        "override_fields": override_fields(),
    }
