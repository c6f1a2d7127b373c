"""What every ``velferd`` command group shares: the ``--tenant`` option, the tenant it names,
and domain errors as one line.

The core's groups (`velferd.commands`), ``velferd invoices`` (`velferd.invoice_commands`) and
``velferd jobs`` (`velferd.jobs.cli`) all import these from here, so no command group has to
import another one — nor the ``velferd`` command itself (`velferd.cli`), which builds the app.
"""

from __future__ import annotations

import functools
import json

import click
import sqlalchemy as sa

from velferd.db import db
from velferd.errors import VelferdError
from velferd.models import Tenant

#: The municipality a command acts for; every tenant-scoped command takes it the same way.
tenant_option = click.option("--tenant", "slug", required=True, metavar="SLUG",
                             help="the municipality (tenant slug), e.g. bergen")


def tenant_by_slug(slug: str) -> Tenant:
    """The tenant ``--tenant SLUG`` names; an unknown slug is a usage error naming the option."""
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.BadParameter(f"no tenant '{slug}'", param_hint="--tenant")
    return tenant


def fail_clearly(fn):
    """Domain errors become a one-line message and exit status 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except VelferdError as error:
            db.session.rollback()
            detail = f" {json.dumps(error.fields, ensure_ascii=False)}" if error.fields else ""
            raise click.ClickException(f"{error.message}{detail}") from None

    return wrapper
