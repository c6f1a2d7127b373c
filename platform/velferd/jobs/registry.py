"""Which tasks and periodic entries exist: the plugins' (declared through hooks, indexed in the
plugin registry) and the core's (registered here, with one call, by the core module that owns them).

Core tasks belong to no plugin: they run for every tenant, with ``ctx.settings == {}``, and a
core `BeatEntry` fans out to every tenant. A core module registers at import time::

    from velferd.jobs.registry import core_beat_entry, core_task
    from velferd.plugins.specs import BeatEntry, TaskSpec

    core_task(TaskSpec("billing.monthly_run", run_monthly, idempotent=True, max_attempts=3))
    core_beat_entry(BeatEntry("billing-monthly-run", "billing.monthly_run", "0 22 28-31 * *"))

and is listed in `CORE_TASK_MODULES`, which `velferd.jobs.init_app` imports, so the web app,
the worker and the scheduler all know the same tasks whatever else they import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from velferd.jobs.schedules import parse_crontab
from velferd.plugins.manager import PluginError, registry
from velferd.plugins.specs import BeatEntry, TaskSpec

CORE_TASK_MODULES: tuple[str, ...] = ("velferd.billing.tasks", "velferd.reminder_mail", "velferd.break_glass_mail",
                                      "velferd.retention.tasks")
"""Core modules that call `core_task` / `core_beat_entry` when imported (add yours here)."""

_core_tasks: dict[str, TaskSpec] = {}
_core_beat_entries: dict[str, BeatEntry] = {}
_sweep_steps: dict[str, Callable[[], int]] = {}


def core_task(spec: TaskSpec) -> TaskSpec:
    """Register a core task. Registering the same function again (a module re-import) replaces
    it; a second, different task under a taken name is refused."""
    _check_replaceable(_core_tasks.get(spec.name), spec, "task")
    _core_tasks[spec.name] = spec
    return spec


def core_beat_entry(entry: BeatEntry) -> BeatEntry:
    """Register a core periodic entry: it fans out to every tenant."""
    known = _core_beat_entries.get(entry.name)
    if known is not None and known.task != entry.task:
        raise PluginError(f"core beat entry {entry.name!r} is already registered for {known.task!r}")
    _core_beat_entries[entry.name] = entry
    return entry


def core_sweep_step(name: str, step: Callable[[], int]) -> Callable[[], int]:
    """Register a core module's own outbox check, run by the sweeper for each tenant in scope
    (e.g. billing asks for the deliveries a killed worker left undone). It enqueues what is
    missing in the current transaction, which the sweeper commits, and returns how many jobs
    it asked for. Registering the same name again replaces it."""
    _sweep_steps[name] = step
    return step


def sweep_steps() -> dict[str, Callable[[], int]]:
    return dict(_sweep_steps)


def _check_replaceable(known: TaskSpec | None, spec: TaskSpec, kind: str) -> None:
    if known is None:
        return
    same = (getattr(known.run, "__module__", None), getattr(known.run, "__qualname__", None)) == (
        getattr(spec.run, "__module__", None), getattr(spec.run, "__qualname__", None))
    if not same:
        raise PluginError(f"core {kind} {spec.name!r} is already registered")


def load_core_modules() -> None:
    for module in CORE_TASK_MODULES:
        importlib.import_module(module)


@dataclass(frozen=True)
class RegisteredTask:
    spec: TaskSpec
    plugin: str | None  # None: a core task


@dataclass(frozen=True)
class RegisteredBeatEntry:
    entry: BeatEntry
    plugin: str | None  # None: a core entry, fanned out to every tenant


def find_task(name: str) -> RegisteredTask | None:
    """The task called `name` in the current app: a plugin's or the core's."""
    plugins = registry()
    if name in plugins.tasks:
        return RegisteredTask(plugins.tasks[name], plugins.task_plugins[name])
    if name in _core_tasks:
        return RegisteredTask(_core_tasks[name], None)
    return None


def all_task_names() -> list[str]:
    return sorted({*registry().tasks, *_core_tasks})


def beat_entries() -> dict[str, RegisteredBeatEntry]:
    """Every periodic entry of the current app by name: the core's and each plugin's."""
    entries = {name: RegisteredBeatEntry(entry, None) for name, entry in _core_beat_entries.items()}
    for plugin_id, declared in registry().beat_entries.items():
        for entry in declared:
            if entry.name in entries:
                raise PluginError(f"plugin {plugin_id!r} declares the beat entry {entry.name!r}, already taken")
            entries[entry.name] = RegisteredBeatEntry(entry, plugin_id)
    return entries


def check_beat_entries() -> None:
    """A periodic entry must name a task of its own owner (a plugin cannot schedule another
    plugin's task, a core entry only core tasks) and a valid 5-field crontab."""
    for name, registered in beat_entries().items():
        task = find_task(registered.entry.task)
        if task is None or task.plugin != registered.plugin:
            owner = f"plugin {registered.plugin!r}" if registered.plugin else "the core"
            raise PluginError(f"beat entry {name!r} names the task {registered.entry.task!r}, "
                              f"which {owner} does not declare (declare it in Plugin.tasks)")
        try:
            parse_crontab(registered.entry.schedule)
        except ValueError as error:
            raise PluginError(f"beat entry {name!r}: {error}") from None
