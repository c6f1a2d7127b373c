"""The ``velferd`` command: Flask's command group around the app, with Velferd's version and a
check that the database has this version's schema. Its subcommands are the groups that
`velferd.commands` (and `velferd.jobs`) add to the app.
"""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import FlaskGroup, NoAppException, ScriptInfo


#: Commands that run without a migrated database: the schema commands, and Flask's `shell` and
#: `routes` (a debugging shell, the URL map). Everything else is refused until `db upgrade`.
NEEDS_NO_SCHEMA = {"db", "shell", "routes"}


class VelferdCommand(FlaskGroup):
    """The ``velferd`` command: Flask's group, with Velferd's version and a database check.

    Before a command that uses the database runs, the database must have this version's schema;
    otherwise one line says to run ``velferd db upgrade`` first (and no SQLite file is created by
    asking). ``--help`` anywhere, and the commands in NEEDS_NO_SCHEMA, skip the check."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if not ctx.resilient_parsing and name not in NEEDS_NO_SCHEMA and "--help" not in rest \
                and _leaf(ctx, command, rest) is not None:
            from velferd.schema_state import schema_problem

            problem = schema_problem(ctx.ensure_object(ScriptInfo).load_app())
            if problem:
                raise click.ClickException(problem)
        return name, command, rest

    def invoke(self, ctx: click.Context):
        """A database that cannot be reached, or refuses the login, mid-command is one line naming
        the setting to check (the schema owner's for ``velferd db``), not a traceback."""
        try:
            return super().invoke(ctx)
        except sa.exc.DBAPIError as error:
            from velferd.database_outage import connection_failure_reason, is_database_unavailable

            if not is_database_unavailable(error):
                raise
            who = "as the schema owner (VELFERD_MIGRATION_DATABASE_URL)" if ctx.invoked_subcommand == "db" \
                else "(VELFERD_DATABASE_URL)"
            raise click.ClickException(f"cannot connect to the database {who}: "
                                       f"{connection_failure_reason(error)}") from None


def _leaf(ctx: click.Context, command: click.Command | None, args: list[str]) -> click.Command | None:
    """The command that ``args`` will run under ``command``, or None when it is only a group
    (``velferd tenant`` prints the group's usage and touches nothing)."""
    while isinstance(command, click.Group):
        if not args or args[0].startswith("-"):
            return None
        command, args = command.get_command(ctx, args[0]), args[1:]
    return command


def _create_app() -> Flask:
    """The app for a command; a refused configuration is one line naming the variable (Flask's
    own "could not load the app" path), not a traceback."""
    from velferd.app import create_app
    from velferd.config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as error:
        raise NoAppException(str(error)) from None


def build_command() -> VelferdCommand:
    command = VelferdCommand(create_app=_create_app, add_version_option=False,
                             help="Velferd: municipal social-service programmes, one tenant per municipality.")
    return click.version_option(package_name="velferd", prog_name="velferd", message="%(prog)s %(version)s",
                                help="Show Velferd's version and exit.")(command)


def main() -> None:
    sys.exit(build_command().main())
