"""The ``velferd`` command: migrate, create tenants and users, manage plugins, seed the demo.

Each command that touches a tenant's rows runs inside that tenant's scope, exactly as a request
does, so the CLI is subject to the same isolation (and row-level security) as the web app.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from velferd import migrate, tenants
from velferd.auth import issue_token
from velferd.db import db
from velferd.errors import VelferdError
from velferd.models import Membership, Tenant, User
from velferd.plugins import enablement
from velferd.tenancy import tenant_scope


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.BadParameter(f"no tenant '{slug}'", param_hint="--tenant")
    return tenant


def _user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.lower()))
    if user is None:
        raise click.BadParameter(f"no user with e-mail {email}", param_hint="--email")
    return user


def _fail_clearly(fn):
    """Domain errors become a one-line message and exit status 1, never a traceback."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except VelferdError as error:
            db.session.rollback()
            detail = f" {json.dumps(error.fields, ensure_ascii=False)}" if error.fields else ""
            raise click.ClickException(f"{error.message}{detail}") from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@click.group("db")
def db_group():
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply all migrations (core and plugins) as the schema owner."""
    from flask import current_app

    migrate.upgrade(current_app)
    click.echo("database is at " + ", ".join(migrate.current_heads(current_app)))


@click.group("tenant")
def tenant_group():
    """Municipalities."""


@tenant_group.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--country", type=click.Choice(["NO", "DK"]), required=True)
@click.option("--organisation-number", required=True)
@with_appcontext
@_fail_clearly
def tenant_create(slug, name, country, organisation_number):
    tenant = tenants.create_tenant(slug, name, country, organisation_number)
    db.session.commit()
    click.echo(f"created tenant {tenant.slug} ({tenant.name}, {tenant.country}, {tenant.time_zone})")


@tenant_group.command("list")
@with_appcontext
def tenant_list():
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)):
        click.echo(f"{tenant.slug}\t{tenant.name}\t{tenant.country}")


@click.group("user")
def user_group():
    """Staff accounts and memberships."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--operator", is_flag=True, help="platform operator (no tenant data access)")
@click.option("--tenant", "slug", help="make the user a member of this tenant")
@click.option("--role", "roles", multiple=True, help="role in --tenant (repeatable)")
@with_appcontext
@_fail_clearly
def user_create(email, name, password, operator, slug, roles):
    user = tenants.create_user(email, name, password, is_operator=operator)
    if slug:
        with tenant_scope(_tenant(slug)):
            tenants.add_member(user, roles or ["caseworker"])
            db.session.commit()
    db.session.commit()
    click.echo(f"created user {user.email}" + (f" in {slug} as {', '.join(roles or ['caseworker'])}" if slug else ""))


@user_group.command("token")
@click.option("--email", required=True)
@click.option("--tenant", "slug", required=True)
@click.option("--name", default="cli")
@click.option("--days", default=90, show_default=True)
@with_appcontext
def user_token(email, slug, name, days):
    """Issue a bearer token for a member; printed once."""
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        user = _user(email)
        if db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id)) is None:
            raise click.ClickException(f"{email} is not a member of {slug}; add them with 'user create --tenant'")
        _, plaintext = issue_token(user, tenant, name, dt.timedelta(days=days))
        db.session.commit()
    click.echo(plaintext)


@click.group("plugins")
def plugins_group():
    """Programme plugins per tenant."""


@plugins_group.command("list")
@click.option("--tenant", "slug", help="show state for this tenant; without it, every installed plugin")
@with_appcontext
def plugins_list(slug):
    from velferd.plugins.manager import registry

    if not slug:
        blocked = enablement.blocked_plugins()
        for pid, manifest in sorted(registry().manifests.items()):
            mark = f"\tBLOCKED: {blocked[pid].reason}" if pid in blocked else ""
            click.echo(f"{pid}\t{manifest.version}\t{'/'.join(manifest.countries)}\t{manifest.title}{mark}")
        return
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        for state in enablement.list_available(tenant):
            click.echo(f"{state.manifest.id}\t{'enabled' if state.enabled else 'disabled'}\t{json.dumps(state.settings)}")


def _set_enabled(slug: str, plugin_id: str, enabled: bool) -> None:
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        enablement.set_enabled(tenant, plugin_id, enabled, None)
        db.session.commit()
    click.echo(f"{plugin_id} {'enabled' if enabled else 'disabled'} for {tenant.slug}")


@plugins_group.command("enable")
@click.argument("plugin_id")
@click.option("--tenant", "slug", required=True)
@with_appcontext
@_fail_clearly
def plugins_enable(plugin_id, slug):
    _set_enabled(slug, plugin_id, True)


@plugins_group.command("disable")
@click.argument("plugin_id")
@click.option("--tenant", "slug", required=True)
@with_appcontext
@_fail_clearly
def plugins_disable(plugin_id, slug):
    """Switch a plugin off for a tenant; its settings and data are kept."""
    _set_enabled(slug, plugin_id, False)


@plugins_group.command("settings")
@click.argument("plugin_id")
@click.option("--tenant", "slug", required=True)
@click.option("--set", "pairs", multiple=True, metavar="KEY=JSON", help="e.g. --set places=12")
@with_appcontext
@_fail_clearly
def plugins_settings(plugin_id, slug, pairs):
    changes = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        try:
            changes[key] = json.loads(raw)
        except json.JSONDecodeError:
            changes[key] = raw
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        state = enablement.update_settings(tenant, plugin_id, changes, None)
        db.session.commit()
    click.echo(json.dumps(state.settings, ensure_ascii=False))


@plugins_group.command("block")
@click.argument("plugin_id")
@click.option("--reason", required=True)
@click.option("--operator-email", required=True)
@with_appcontext
@_fail_clearly
def plugins_block(plugin_id, reason, operator_email):
    """Withdraw a plugin from every tenant (settings and data are kept)."""
    operator = _user(operator_email)
    if not operator.is_operator:
        raise click.ClickException(f"{operator_email} is not an operator")
    enablement.block(plugin_id, reason, operator)
    db.session.commit()
    click.echo(f"{plugin_id} blocked for all tenants")


@click.group("demo")
def demo_group():
    """The demo data set."""


@demo_group.command("seed")
@with_appcontext
def demo_seed():
    """Create the demo tenants, staff and synthetic citizens (idempotent)."""
    from velferd import demo

    for line in demo.seed():
        click.echo(line)


from velferd.billing.commands import invoices_group  # noqa: E402  (it uses the helpers above)

COMMAND_GROUPS = (db_group, tenant_group, user_group, plugins_group, demo_group, invoices_group)


def init_app(app: Flask) -> None:
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)


def main() -> None:
    from velferd.app import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="Velferd platform commands.")
    sys.exit(cli.main())
