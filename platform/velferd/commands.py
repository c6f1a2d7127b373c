"""The core's ``velferd`` command groups — ``db``, ``tenant``, ``user``, ``plugins``, ``demo`` —
added to the app with the other groups (``invoices``; ``jobs`` comes with `velferd.jobs`).

Each command that touches a tenant's rows runs inside that tenant's scope, exactly as a request
does, so the command line is subject to the same isolation (and row-level security) as the web
app. The ``velferd`` command that runs them, and builds the app, is `velferd.cli`.
"""

from __future__ import annotations

import datetime as dt
import json

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from velferd import accounts, migrate, tenants
from velferd.auth import issue_token
from velferd.invoice_commands import invoices_group
from velferd.command_helpers import fail_clearly, tenant_by_slug, tenant_option
from velferd.credentials import set_new_password
from velferd.db import db
from velferd.models import Membership, Tenant, User
from velferd.plugins import enablement
from velferd.tenancy import tenant_scope


def _user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.lower()))
    if user is None:
        raise click.BadParameter(f"no user with e-mail {email}", param_hint="--email")
    return user


@click.group("db")
def db_group():
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply all migrations (core and plugins) as the schema owner."""
    from flask import current_app

    migrate.upgrade(current_app)  # a database it cannot reach is one line (VelferdCommand.invoke)
    click.echo("database is at " + ", ".join(migrate.current_heads(current_app)))


@click.group("tenant")
def tenant_group():
    """Municipalities."""


@tenant_group.command("create")
@click.option("--slug", required=True, help="short name used in URLs and commands, e.g. bergen")
@click.option("--name", required=True, help='full name, e.g. "Bergen kommune"')
@click.option("--country", type=click.Choice(["NO", "DK"]), required=True,
              help="sets the time zone, currency, locale and national-id rules")
@click.option("--organisation-number", required=True, help="Brønnøysund (NO) or CVR (DK) number")
@with_appcontext
@fail_clearly
def tenant_create(slug, name, country, organisation_number):
    """Create a municipality (tenant)."""
    tenant = tenants.create_tenant(slug, name, country, organisation_number)
    db.session.commit()
    click.echo(f"created tenant {tenant.slug} ({tenant.name}, {tenant.country}, {tenant.time_zone})")


@tenant_group.command("list")
@with_appcontext
def tenant_list():
    """List the municipalities: slug, name, country."""
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)):
        click.echo(f"{tenant.slug}\t{tenant.name}\t{tenant.country}")


@click.group("user")
def user_group():
    """Staff accounts and memberships."""


@user_group.command("create")
@click.option("--email", required=True, help="the login e-mail address")
@click.option("--name", required=True, help="the person's full name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="asked for when not given (better than on the command line, which shells keep); "
                   "12+ characters, not guessable (zxcvbn)")
@click.option("--operator", is_flag=True, help="platform operator (no tenant data access)")
@click.option("--tenant", "slug", help="make the user a member of this tenant")
@click.option("--role", "roles", multiple=True, help="role in --tenant (repeatable)")
@with_appcontext
@fail_clearly
def user_create(email, name, password, operator, slug, roles):
    """Create a staff account, or an operator; with --tenant, also a member there."""
    user = tenants.create_user(email, name, password, is_operator=operator)
    if slug:
        with tenant_scope(tenant_by_slug(slug)):
            tenants.add_member(user, roles or ["caseworker"])
            db.session.commit()
    db.session.commit()
    click.echo(f"created user {user.email}" + (f" in {slug} as {', '.join(roles or ['caseworker'])}" if slug else ""))


@user_group.command("password")
@click.option("--email", required=True, help="the account whose password to set")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="asked for when not given; 12+ characters, not guessable (zxcvbn)")
@with_appcontext
@fail_clearly
def user_password(email, password):
    """Set a new password for an account (forgotten, or taken over); every session of it ends.
    The operator's tool: a tenant admin cannot do this."""
    user = _user(email)
    set_new_password(user, accounts.credentials_for(user.email).password_hash, password, field="password")
    db.session.commit()
    click.echo(f"new password set for {user.email}; its sessions have ended")


@user_group.command("token")
@click.option("--email", required=True, help="the member the token acts as")
@tenant_option
@click.option("--name", default="cli", show_default=True, help="a label to recognise the token by")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1), help="days until it expires")
@with_appcontext
def user_token(email, slug, name, days):
    """Issue a bearer token for a member; printed once."""
    tenant = tenant_by_slug(slug)
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
    """List installed plugins, or one tenant's plugins with their state and settings."""
    from velferd.plugins.manager import registry

    if not slug:
        blocked = enablement.blocked_plugins()
        for pid, manifest in sorted(registry().manifests.items()):
            mark = f"\tBLOCKED: {blocked[pid].reason}" if pid in blocked else ""
            click.echo(f"{pid}\t{manifest.version}\t{'/'.join(manifest.countries)}\t{manifest.title}{mark}")
        return
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        for state in enablement.list_available(tenant):
            click.echo(f"{state.manifest.id}\t{'enabled' if state.enabled else 'disabled'}\t{json.dumps(state.settings)}")


def _set_enabled(slug: str, plugin_id: str, enabled: bool) -> None:
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        enablement.set_enabled(tenant, plugin_id, enabled, None)
        db.session.commit()
    click.echo(f"{plugin_id} {'enabled' if enabled else 'disabled'} for {tenant.slug}")


@plugins_group.command("enable")
@click.argument("plugin_id")
@tenant_option
@with_appcontext
@fail_clearly
def plugins_enable(plugin_id, slug):
    """Switch a plugin on for a tenant."""
    _set_enabled(slug, plugin_id, True)


@plugins_group.command("disable")
@click.argument("plugin_id")
@tenant_option
@with_appcontext
@fail_clearly
def plugins_disable(plugin_id, slug):
    """Switch a plugin off for a tenant; its settings and data are kept."""
    _set_enabled(slug, plugin_id, False)


@plugins_group.command("settings")
@click.argument("plugin_id")
@tenant_option
@click.option("--set", "pairs", multiple=True, metavar="KEY=JSON",
              help="change a setting, e.g. --set places=12 (repeatable); without it, show them")
@with_appcontext
@fail_clearly
def plugins_settings(plugin_id, slug, pairs):
    """Show or change a tenant's settings of a plugin."""
    changes = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        try:
            changes[key] = json.loads(raw)
        except json.JSONDecodeError:
            changes[key] = raw
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant):
        state = enablement.update_settings(tenant, plugin_id, changes, None)
        db.session.commit()
    click.echo(json.dumps(state.settings, ensure_ascii=False))


@plugins_group.command("block")
@click.argument("plugin_id")
@click.option("--reason", required=True, help="why, shown to every tenant's admins")
@click.option("--operator-email", required=True, help="the operator who blocks it (for the audit trail)")
@with_appcontext
@fail_clearly
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


COMMAND_GROUPS = (db_group, tenant_group, user_group, plugins_group, demo_group, invoices_group)


#: Help for the options of flask-smorest's ``openapi`` commands, which come without any.
LIBRARY_OPTION_HELP = {
    "format": "json or yaml (yaml needs PyYAML)",
    "config_prefix": "the prefix of the flask-smorest settings to read (for apps with several APIs)",
}


def init_app(app: Flask) -> None:
    """Add the command groups to ``app.cli``, and help to flask-smorest's option-less options."""
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)
    openapi = app.cli.get_command(None, "openapi")  # type: ignore[arg-type]  (added by flask-smorest)
    for command in getattr(openapi, "commands", {}).values():
        for param in command.params:
            if isinstance(param, click.Option) and not param.help:
                param.help = LIBRARY_OPTION_HELP.get(param.name or "")
