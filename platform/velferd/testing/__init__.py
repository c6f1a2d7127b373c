"""Helpers for testing a plugin against the real core, importable without pytest.

A plugin's tests need what the core's own suite needs — an app on a migrated database with the
plugin's Alembic branch, municipalities with staff and tokens, the plugin switched on in one and
off in the other, jobs run in-process — so the suite and plugin authors share these functions.
A plugin's conftest.py makes its fixtures of them in a few lines (docs/plugins.md, "Testing a
plugin"). They are functions rather than a shipped pytest plugin so that the package needs no
pytest at run time (tests/test_packaging.py holds every import to a runtime dependency).

Databases here are SQLite files: the core's suite adds PostgreSQL (row-level security) on top in
tests/databases.py.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from velferd import tenants
from velferd.app import create_app
from velferd.auth import issue_token
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.jobs import enqueue
from velferd.migrate import upgrade
from velferd.models import JobRun, Tenant
from velferd.plugins import enablement
from velferd.tenancy import tenant_scope

#: Municipalities a test can create: their real organisation numbers (public registers) and country.
ORGNR = {"bergen": "964338531", "alta": "944588132", "kristiansand": "820852982", "odense": "29189919",
         "aarhus": "55133018"}
COUNTRY = {"bergen": "NO", "alta": "NO", "kristiansand": "NO", "odense": "DK", "aarhus": "DK"}
#: Two municipalities per country: the first enables the plugin under test, the second does not.
TOWN_PAIRS = {"NO": ("bergen", "alta"), "DK": ("odense", "aarhus")}
CORE_ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance")
PASSWORD = "correct horse battery"
_rng = random.Random(7)


def test_config(database_url: str, **extra) -> dict[str, Any]:
    """The app's configuration under test: entry points off (only the plugins a test passes are
    registered), no background sweeps, the cheapest argon2id so staff are quick to create."""
    return {
        "TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": database_url,
        "LOAD_PLUGIN_ENTRY_POINTS": False, "JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 0,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST_KIB": 8, "ARGON2_PARALLELISM": 1,
        **extra,
    }


test_config.__test__ = False  # not a test, whatever pytest's name pattern says


def migrated_sqlite(folder: Path, plugins: Iterable[Any] = ()) -> Path:
    """A SQLite file in `folder` migrated to every head: the core's and each plugin's branch."""
    template = Path(folder) / "template.sqlite3"
    url = f"sqlite:///{template}"
    upgrade(create_app(test_config(url), plugins=list(plugins)))
    return template


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a fresh copy of a migrated `template`: one clean database per test, in ms."""
    path = Path(folder) / "velferd.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@contextmanager
def app_with_plugins(database_url: str, plugins: Iterable[Any], instance: Path, **config) -> Iterator[Flask]:
    """An app on `database_url` with exactly `plugins` (modules or objects, as an entry point
    would name them) and its own instance folder; its connections closed afterwards."""
    os.environ["VELFERD_INSTANCE_PATH"] = str(instance)
    app = create_app(test_config(database_url, **config), plugins=list(plugins))
    try:
        yield app
    finally:
        os.environ.pop("VELFERD_INSTANCE_PATH", None)
        with app.app_context():
            db.engine.dispose()


@dataclass
class Staff:
    """A member of a municipality's staff and a bearer token of theirs (`headers`)."""

    email: str
    token: str
    user_id: int
    membership_id: int | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Municipality:
    """A tenant and its staff by role: ``town.caseworker.headers``, ``town.url("/cases")``."""

    tenant: Tenant
    staff: dict[str, Staff] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/api/t/{self.slug}{path}"

    def __getattr__(self, role: str) -> Staff:
        try:
            return self.__dict__["staff"][role]
        except KeyError:
            raise AttributeError(role) from None


def synthetic_id(country: str = "NO", birth: dt.date = dt.date(2005, 3, 14)) -> str:
    """A national id with valid check digits that no real person has (never use real ones)."""
    return synthetic_national_id(birth, country, _rng)


def make_municipality(app: Flask, slug: str, roles: Sequence[str] = CORE_ROLES,
                      plugins: Sequence[str] = ()) -> Municipality:
    """Create `slug` (a key of `ORGNR`) through the core's services: one staff member per role,
    each with a day's token, and `plugins` enabled for it."""
    with app.app_context():
        tenant = tenants.create_tenant(slug, slug.title(), COUNTRY[slug], ORGNR[slug])
        town = Municipality(tenant)
        with tenant_scope(tenant):
            for role in roles:
                user = tenants.create_user(f"{role}@{slug}.test", f"{role} {slug}", PASSWORD)
                membership = tenants.add_member(user, [role])
                _, token = issue_token(user, tenant, "test", dt.timedelta(days=1))
                town.staff[role] = Staff(user.email, token, user.id, membership.id)
            for plugin in plugins:
                enablement.set_enabled(tenant, plugin, True, None)
            db.session.commit()
    return town


def two_towns(app: Flask, plugin_id: str) -> tuple[Municipality, Municipality]:
    """Two municipalities of the plugin's first country (Bergen and Alta, Odense and Aarhus),
    staff in every role of the core and the app's plugins: the first enabled `plugin_id`, the
    second did not — the two sides every plugin test should prove."""
    enabling, other = TOWN_PAIRS[app.extensions["velferd.plugins"].manifests[plugin_id].countries[0]]
    roles = plugin_roles(app)
    return make_municipality(app, enabling, roles, (plugin_id,)), make_municipality(app, other, roles)


def plugin_roles(app: Flask) -> tuple[str, ...]:
    """The core's roles and every role the app's plugins add (``Manifest.roles``)."""
    return tuple(dict.fromkeys([*CORE_ROLES, *sorted(app.extensions["velferd.plugins"].roles)]))


@dataclass(frozen=True)
class JobOutcome:
    """What became of a job run in-process: ``state`` ("succeeded", "failed"…), result, error."""

    id: int
    state: str
    result: Any
    error: str | None


def run_task(app: Flask, town: Municipality, task: str, **kwargs) -> JobOutcome:
    """Enqueue `task` for `town` and run it now, in this process, as the embedded runner does
    after a commit when there is no broker (a test has none)."""
    with app.app_context(), tenant_scope(town.tenant):
        job = enqueue(task, tenant=town.tenant, kwargs=kwargs)
        db.session.commit()
        job = db.session.get(JobRun, job.id)
        return JobOutcome(job.id, job.state, job.result, job.error)
