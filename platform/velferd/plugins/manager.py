"""Finding plugins, checking them, and indexing what they declare.

The registry is built once per application in ``create_app`` and kept in
``app.extensions["velferd.plugins"]``; nothing about plugins is a module global, so tests can
build apps with different plugins side by side.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pluggy
from flask import Blueprint, current_app

from velferd.permissions import role_table
from velferd.plugins import hookspecs
from velferd.plugins.specs import (
    BeatEntry,
    CasePanel,
    DashboardWidget,
    FormSpec,
    InvoiceLineProvider,
    Manifest,
    PageLink,
    Plugin,
    RetentionRule,
    RuleSpec,
    TaskSpec,
    WebPages,
    Workflow,
)

ENTRY_POINT_GROUP = "velferd.plugins"


class PluginError(RuntimeError):
    """A plugin breaks the contract (wrong manifest id or field type, duplicate names, unknown hook…)."""


@dataclass
class PluginRegistry:
    """The plugins' declarations indexed for the core: by plugin id, or by (plugin id, name) for
    forms and rules, and by the global name for tasks."""

    pm: pluggy.PluginManager
    declarations: dict[str, Plugin] = field(default_factory=dict)
    manifests: dict[str, Manifest] = field(default_factory=dict)
    forms: dict[tuple[str, str], FormSpec] = field(default_factory=dict)
    rules: dict[tuple[str, str], RuleSpec] = field(default_factory=dict)
    workflows: dict[str, Workflow] = field(default_factory=dict)
    blueprints: dict[str, list[Blueprint]] = field(default_factory=dict)
    web: dict[str, WebPages] = field(default_factory=dict)
    page_blueprints: dict[str, list[Blueprint]] = field(default_factory=dict)
    public_page_blueprints: dict[str, list[Blueprint]] = field(default_factory=dict)
    beat_entries: dict[str, list[BeatEntry]] = field(default_factory=dict)
    invoice_line_providers: dict[str, list[InvoiceLineProvider]] = field(default_factory=dict)
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    task_plugins: dict[str, str] = field(default_factory=dict)
    roles: dict[str, frozenset[str]] = field(default_factory=dict)

    def manifest(self, plugin_id: str) -> Manifest | None:
        return self.manifests.get(plugin_id)

    def workflow_for(self, plugin_id: str) -> Workflow | None:
        return self.workflows.get(plugin_id)

    def runtime_hook(self, name: str, reaching: Iterable[str]):
        """The hook caller for `name` restricted to the plugins in `reaching`."""
        keep = set(reaching)
        remove = [plugin for pid, plugin in self.pm.list_name_plugin() if pid not in keep]
        return self.pm.subset_hook_caller(name, remove_plugins=remove)


def build_registry(plugins: Iterable[Any] = (), load_entry_points: bool = True) -> PluginRegistry:
    """Create the plugin manager, load entry points and the given plugin objects, and index
    their declarations. `plugins` are objects (modules or instances) whose manifest id is the
    name they are registered under."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        pm.register(plugin, name=_declared_id(plugin))
    pm.check_pending()
    return _index(pm)


def _declared_id(plugin: Any) -> str:
    hook = getattr(plugin, "velferd_plugin", None)
    if hook is None:
        raise PluginError(f"{plugin!r} does not implement velferd_plugin")
    return _checked_declaration(repr(plugin), hook()).manifest.id


_SEQUENCE_FIELDS = {
    "forms": FormSpec, "rules": RuleSpec, "tasks": TaskSpec, "beat_entries": BeatEntry,
    "invoice_line_providers": InvoiceLineProvider, "retention": RetentionRule,
}


def _checked_declaration(plugin_name: str, declared: Any) -> Plugin:
    """`declared` if it is a `Plugin` whose every field has the type the core relies on."""
    if not isinstance(declared, Plugin):
        raise PluginError(f"plugin {plugin_name}: velferd_plugin must return a velferd.toolkit.Plugin, "
                          f"not {type(declared).__name__}")

    def wrong(name: str, expected: str) -> PluginError:
        return PluginError(f"plugin {plugin_name}: Plugin.{name} must be {expected}, "
                           f"not {getattr(declared, name)!r}")

    if not isinstance(declared.manifest, Manifest):
        raise wrong("manifest", "a Manifest")
    if declared.workflow is not None and not isinstance(declared.workflow, Workflow):
        raise wrong("workflow", "one Workflow or None")
    for name, kind in _SEQUENCE_FIELDS.items():
        value = getattr(declared, name)
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, kind) for item in value):
            raise wrong(name, f"a list or tuple of {kind.__name__}")
    blueprints = declared.blueprints
    if not (blueprints is None or callable(blueprints) or (isinstance(blueprints, str) and ":" in blueprints)):
        raise wrong("blueprints", "'module:attribute', a function returning blueprints, or None")
    if declared.web is not None:
        _check_web(declared.web, wrong)
    return declared


_WEB_SEQUENCES = {"menu": PageLink, "case_panels": CasePanel, "dashboard_widgets": DashboardWidget}


def _check_web(web: Any, wrong: Callable[[str, str], PluginError]) -> None:
    if not isinstance(web, WebPages):
        raise wrong("web", "a WebPages or None")
    for name, kind in _WEB_SEQUENCES.items():
        value = getattr(web, name)
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, kind) for item in value):
            raise wrong("web", f"a WebPages whose {name} is a list or tuple of {kind.__name__}")
    for name in ("blueprint", "public_blueprint"):
        source = getattr(web, name)
        if not (source is None or callable(source) or (isinstance(source, str) and ":" in source)):
            raise wrong("web", f"a WebPages whose {name} is 'module:attribute', a function, or None")
    if web.inbox is not None and not callable(web.inbox):
        raise wrong("web", "a WebPages whose inbox is a function or None")
    for folder in ("templates", "translations"):
        if getattr(web, folder) is not None and not isinstance(getattr(web, folder), str):
            raise wrong("web", f"a WebPages whose {folder} is a folder's path (str) or None")


def _blueprints_of(plugin_id: str, source: Any) -> list[Blueprint]:
    """Import the plugin's routes now (only `create_app` builds a registry)."""
    if isinstance(source, str):
        module_name, _, attribute = source.partition(":")
        value = getattr(importlib.import_module(module_name), attribute)
    else:
        value = source()
    found = list(value) if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(bp, Blueprint) for bp in found):
        raise PluginError(f"plugin {plugin_id!r}: Plugin.blueprints gave {value!r}, not Flask blueprints")
    return found


def _index(pm: pluggy.PluginManager) -> PluginRegistry:
    registry = PluginRegistry(pm=pm)
    for impl in pm.hook.velferd_plugin.get_hookimpls():
        declared = _checked_declaration(repr(impl.plugin_name), impl.function())
        if declared.manifest.id != impl.plugin_name:
            raise PluginError(f"plugin registered as {impl.plugin_name!r} declares manifest id "
                              f"{declared.manifest.id!r}")
        registry.declarations[impl.plugin_name] = declared
    for name, _plugin in pm.list_name_plugin():
        if name not in registry.declarations:
            raise PluginError(f"plugin {name!r} declares nothing (implement velferd_plugin)")
    for plugin_id, declared in registry.declarations.items():
        _add_declaration(registry, plugin_id, declared)
    registry.roles = role_table(dict(m.roles) for m in registry.manifests.values())
    return registry


def _add_declaration(registry: PluginRegistry, plugin_id: str, declared: Plugin) -> None:
    registry.manifests[plugin_id] = declared.manifest
    for form in declared.forms:
        _add_unique(registry.forms, (plugin_id, form.name), form, "form")
    for rule in declared.rules:
        _add_unique(registry.rules, (plugin_id, rule.name), rule, "rule")
    if declared.workflow is not None:
        registry.workflows[plugin_id] = _checked_workflow(plugin_id, declared.workflow)
    if declared.blueprints is not None:
        registry.blueprints[plugin_id] = _blueprints_of(plugin_id, declared.blueprints)
    if declared.web is not None:
        registry.web[plugin_id] = declared.web
        if declared.web.blueprint is not None:
            registry.page_blueprints[plugin_id] = _blueprints_of(plugin_id, declared.web.blueprint)
        if declared.web.public_blueprint is not None:
            registry.public_page_blueprints[plugin_id] = _blueprints_of(plugin_id, declared.web.public_blueprint)
    if declared.beat_entries:
        registry.beat_entries[plugin_id] = list(declared.beat_entries)
    if declared.invoice_line_providers:
        registry.invoice_line_providers[plugin_id] = list(declared.invoice_line_providers)
    for task in declared.tasks:
        if task.name in registry.tasks:
            raise PluginError(f"plugin {plugin_id!r} declares the task {task.name!r}, "
                              f"already declared by {registry.task_plugins[task.name]!r}")
        registry.tasks[task.name] = task
        registry.task_plugins[task.name] = plugin_id


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
