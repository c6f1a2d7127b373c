"""The declared retention rules — the core's and each plugin's — and the tenant's periods.

A rule says what is kept how long after which event and what then happens (`RetentionRule`);
its bounds are the law's, and a tenant may move the period only within them. The core's rules
cover the core's records; a plugin's rules (``Plugin.retention``) cover its own cases, which
then no longer fall under the core's case rule. The rules are checked at start-up
(`check_declared_rules`): a plugin cannot declare a rule the law forbids (`guards.declaration_errors`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from velferd.db import db, utcnow
from velferd.errors import NotFound, ValidationFailed
from velferd.plugins.manager import PluginError, PluginRegistry
from velferd.plugins.specs import RetentionRule
from velferd.retention import guards
from velferd.retention.models import RetentionSetting

ARCHIVE_LAW = ("arkivlova § 9 (kassasjon only by the archive authority's rules); Riksarkivarens forskrift "
               "kap. 7 del III (municipal archives created after 1950)")

CORE_RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "core.case", "case", "case_closed", years=10, min_years=5, max_years=25, action="anonymise",
        source=f"{ARCHIVE_LAW}; personopplysningsloven/GDPR art. 5(1)(e) (no longer than needed); "
               "Denmark: arkivloven § 7 and the municipality's bevarings- og kassationsbestemmelser",
        title="Cases of programmes without a rule of their own"),
    RetentionRule(
        "core.person", "person", "last_case_closed", years=10, min_years=5, max_years=25, action="anonymise",
        source=f"{ARCHIVE_LAW}; GDPR art. 5(1)(e): a person is kept while any of their cases is",
        title="Persons, counted from their last case closed"),
    RetentionRule(
        "core.invoice", "invoice", "financial_year_end", years=guards.BOOKKEEPING_YEARS,
        min_years=guards.BOOKKEEPING_YEARS, max_years=10, action="anonymise",
        source="bokføringsloven § 13 (5 years after the end of the financial year); "
               "Denmark: bogføringsloven § 12 (5 years from the end of the financial year)",
        title="Invoices and their lines"),
    RetentionRule(
        "core.reminder_mail", "reminder_mail", "recorded", years=1, min_years=0, max_years=5, action="delete",
        source="GDPR art. 5(1)(e): a note that a reminder was mailed to a member is needed only "
               "to avoid mailing twice",
        title="Deadline reminder mails sent to staff"),
)


@dataclass(frozen=True)
class TenantRule:
    """A declared rule with the period this tenant keeps (its own, or the declared one) and the
    plugin that declared it (None: the core)."""

    rule: RetentionRule
    plugin: str | None
    years: int
    adjusted: bool

    @property
    def name(self) -> str:
        return self.rule.name


def check_declared_rules(plugins: PluginRegistry) -> None:
    """Refuse, at start-up, a plugin rule whose name is taken or not prefixed with the plugin id,
    or that breaks what the law says must be kept."""
    seen = {rule.name: None for rule in CORE_RULES}
    for plugin_id, declared in plugins.declarations.items():
        for rule in declared.retention:
            if not rule.name.startswith(f"{plugin_id}."):
                raise PluginError(f"plugin {plugin_id!r}: retention rule {rule.name!r} must be named "
                                  f"'{plugin_id}.<name>'")
            errors = guards.declaration_errors(rule)
            if errors:
                raise PluginError(f"plugin {plugin_id!r}: retention rule {rule.name!r}: {'; '.join(errors)}")
            if rule.record_type != "case":
                raise PluginError(f"plugin {plugin_id!r}: retention rule {rule.name!r}: a plugin's rule covers "
                                  f"its own cases (record_type 'case'), not {rule.record_type!r}")
            if rule.name in seen or plugin_id in seen.values():
                raise PluginError(f"plugin {plugin_id!r}: retention rule {rule.name!r} is a second rule for "
                                  "the plugin's cases, or its name is taken")
            seen[rule.name] = plugin_id


def declared_rules(plugins: PluginRegistry) -> list[tuple[RetentionRule, str | None]]:
    """Every rule with the plugin that declared it (None: the core), the core's first."""
    found: list[tuple[RetentionRule, str | None]] = [(rule, None) for rule in CORE_RULES]
    for plugin_id, declared in sorted(plugins.declarations.items()):
        found.extend((rule, plugin_id) for rule in declared.retention)
    return found


def tenant_rules(plugins: PluginRegistry) -> list[TenantRule]:
    """The declared rules with the current tenant's periods."""
    settings = dict(db.session.execute(sa.select(RetentionSetting.rule, RetentionSetting.years)).all())
    return [TenantRule(rule, plugin, settings.get(rule.name, rule.years), rule.name in settings)
            for rule, plugin in declared_rules(plugins)]


def case_rule_plugins(rules: list[TenantRule]) -> set[str]:
    """The plugins with a case rule of their own (their cases are not the core rule's)."""
    return {r.plugin for r in rules if r.plugin is not None and r.rule.record_type == "case"}


def tenant_rule(plugins: PluginRegistry, name: str) -> TenantRule:
    for found in tenant_rules(plugins):
        if found.name == name:
            return found
    raise NotFound(f"no retention rule '{name}'")


def adjust(plugins: PluginRegistry, name: str, years: int, actor_id: int | None) -> TenantRule:
    """Set the tenant's period for a rule: refused (422 naming ``years``) outside the rule's legal
    bounds, or below what the law keeps whatever the rule says (`guards.period_errors`)."""
    current = tenant_rule(plugins, name)
    errors = guards.period_errors(current.rule, years)
    if errors:
        raise ValidationFailed(f"retention rule {name}: years is outside its legal bounds", {"years": errors})
    setting = db.session.scalar(sa.select(RetentionSetting).where(RetentionSetting.rule == name))
    if setting is None:
        setting = RetentionSetting(rule=name, years=years)
        db.session.add(setting)
    setting.years, setting.changed_by_id, setting.changed_at = years, actor_id, utcnow()
    db.session.flush()
    return TenantRule(current.rule, current.plugin, years, True)
