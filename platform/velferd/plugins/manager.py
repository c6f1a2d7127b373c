"""Finding plugins, checking them, and indexing what they declare.

The registry is built once per application in ``create_app`` and kept in
``app.extensions["velferd.plugins"]``; nothing about plugins is a module global, so tests can
build apps with different plugins side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import pluggy
from flask import Blueprint, current_app

from velferd.permissions import role_table
from velferd.plugins import hookspecs
from velferd.plugins.specs import (
    BeatEntry,
    FormSpec,
    InvoiceLineProvider,
    Manifest,
    RuleSpec,
    TaskSpec,
    Workflow,
)

ENTRY_POINT_GROUP = "velferd.plugins"


class PluginError(RuntimeError):
    """A plugin breaks the contract (wrong manifest id, duplicate names, unknown hook…)."""


@dataclass
class PluginRegistry:
    pm: pluggy.PluginManager
    manifests: dict[str, Manifest] = field(default_factory=dict)
    forms: dict[tuple[str, str], FormSpec] = field(default_factory=dict)
    rules: dict[tuple[str, str], RuleSpec] = field(default_factory=dict)
    workflows: dict[str, Workflow] = field(default_factory=dict)
    blueprints: dict[str, list[Blueprint]] = field(default_factory=dict)
    beat_entries: dict[str, list[BeatEntry]] = field(default_factory=dict)
    invoice_line_providers: dict[str, list[InvoiceLineProvider]] = field(default_factory=dict)
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    task_plugins: dict[str, str] = field(default_factory=dict)
    roles: dict[str, frozenset[str]] = field(default_factory=dict)

    def manifest(self, plugin_id: str) -> Manifest | None:
        return self.manifests.get(plugin_id)

    def workflow_for(self, plugin_id: str) -> Workflow | None:
        return self.workflows.get(plugin_id)

    def runtime_hook(self, name: str, enabled: Iterable[str]):
        """The hook caller for `name` restricted to the plugins in `enabled`."""
        keep = set(enabled)
        remove = [self.pm.get_plugin(pid) for pid in self.manifests if pid not in keep]
        return self.pm.subset_hook_caller(name, remove_plugins=[p for p in remove if p is not None])


def build_registry(plugins: Iterable[Any] = (), load_entry_points: bool = True) -> PluginRegistry:
    """Create the plugin manager, load entry points and the given plugin objects, and index
    their declarations. `plugins` are objects (modules or instances) whose manifest id is the
    name they are registered under."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        pm.register(plugin, name=_manifest_of(plugin).id)
    pm.check_pending()
    return _index(pm)


def _manifest_of(plugin: Any) -> Manifest:
    hook = getattr(plugin, "velferd_manifest", None)
    if hook is None:
        raise PluginError(f"{plugin!r} does not implement velferd_manifest")
    return hook()


def _declarations(pm: pluggy.PluginManager, hook_name: str) -> Iterable[tuple[str, Any]]:
    """(plugin id, returned value) for each plugin implementing a declaration hook."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        result = impl.function()
        if result is not None:
            yield impl.plugin_name, result


def _index(pm: pluggy.PluginManager) -> PluginRegistry:
    registry = PluginRegistry(pm=pm)
    for plugin_id, manifest in _declarations(pm, "velferd_manifest"):
        if manifest.id != plugin_id:
            raise PluginError(f"plugin registered as {plugin_id!r} declares manifest id {manifest.id!r}")
        registry.manifests[plugin_id] = manifest
    registry.roles = role_table(dict(m.roles) for m in registry.manifests.values())
    for name, plugin in pm.list_name_plugin():
        if name not in registry.manifests:
            raise PluginError(f"plugin {name!r} has no manifest (implement velferd_manifest)")
    for plugin_id, forms in _declarations(pm, "velferd_forms"):
        for form in forms:
            _add_unique(registry.forms, (plugin_id, form.name), form, "form")
    for plugin_id, rules in _declarations(pm, "velferd_rules"):
        for rule in rules:
            _add_unique(registry.rules, (plugin_id, rule.name), rule, "rule")
    for plugin_id, workflows in _declarations(pm, "velferd_workflows"):
        if len(workflows) != 1:
            raise PluginError(f"plugin {plugin_id!r} must declare exactly one case workflow")
        registry.workflows[plugin_id] = _checked_workflow(plugin_id, workflows[0])
    for plugin_id, blueprints in _declarations(pm, "velferd_blueprints"):
        registry.blueprints[plugin_id] = list(blueprints)
    for plugin_id, entries in _declarations(pm, "velferd_beat_entries"):
        registry.beat_entries[plugin_id] = list(entries)
    for plugin_id, providers in _declarations(pm, "velferd_invoice_line_providers"):
        registry.invoice_line_providers[plugin_id] = list(providers)
    for plugin_id, tasks in _declarations(pm, "velferd_tasks"):
        for task in tasks:
            if task.name in registry.tasks:
                raise PluginError(f"plugin {plugin_id!r} declares the task {task.name!r}, "
                                  f"already declared by {registry.task_plugins[task.name]!r}")
            registry.tasks[task.name] = task
            registry.task_plugins[task.name] = plugin_id
    return registry


def _add_unique(index: dict, key: tuple[str, str], value: Any, kind: str) -> None:
    if key in index:
        raise PluginError(f"plugin {key[0]!r} declares the {kind} {key[1]!r} twice")
    index[key] = value


def _checked_workflow(plugin_id: str, workflow: Workflow) -> Workflow:
    states = set(workflow.states)
    unknown = {workflow.initial, *workflow.final} - states
    for t in workflow.transitions:
        unknown |= (set(t.source) | {t.target}) - states
    if unknown:
        raise PluginError(f"workflow of {plugin_id!r} names unknown states: {sorted(unknown)}")
    names = [t.name for t in workflow.transitions]
    if len(names) != len(set(names)):
        raise PluginError(f"workflow of {plugin_id!r} has duplicate transition names")
    return workflow


def registry() -> PluginRegistry:
    """The current application's plugin registry."""
    return current_app.extensions["velferd.plugins"]
