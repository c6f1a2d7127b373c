"""Which municipality the current unit of work belongs to, and the scoping that follows from it.

The tenant is set once per request (from the URL), per task (from its argument) or per CLI
command, and lives on `flask.g`, so it can never leak from one request to the next.
Two independent layers then keep one municipality's rows away from another's:

* the ORM adds ``tenant_id = <current>`` to every SELECT/UPDATE/DELETE of a tenant-owned
  model (``with_loader_criteria``), and stamps and checks ``tenant_id`` on every flush;
* on PostgreSQL, each transaction starts with ``set_config('velferd.tenant_id', …, true)``,
  which the row-level-security policies read (see ``velferd.rls``).

Both fail closed: with no tenant set, queries return no rows and writes are refused.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, TypeVar

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.orm.util import identity_key

from velferd import commits, driver_sql, prebuilt
from velferd.db import TenantOwned, TenantSession, db
from velferd.errors import NotFound

T = TypeVar("T", bound=TenantOwned)

if TYPE_CHECKING:
    from velferd.models import Tenant

RLS_SETTING = "velferd.tenant_id"
#: on the connection: the tenant id its open transaction's RLS setting holds
RLS_APPLIED_KEY = "velferd_rls_tenant_id"


class TenantNotSet(RuntimeError):
    """A tenant-owned row was written with no tenant in scope."""


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was written while another tenant is in scope."""


def current_tenant() -> "Tenant | None":
    return g.get("velferd_tenant") if has_app_context() else None


def current_tenant_id() -> int | None:
    """Kept beside the tenant when it is set: reading ``tenant.id`` after a rollback would load the
    expired row with a query that asks for the current tenant again (endless recursion)."""
    return g.get("velferd_tenant_id") if has_app_context() else None


def _id_of(tenant: "Tenant | None") -> int | None:
    if tenant is None:
        return None
    identity = sa.inspect(tenant).identity
    return identity[0] if identity else tenant.id


def set_current_tenant(tenant: "Tenant | None") -> None:
    """Switch the tenant for the rest of this app context, including an open transaction."""
    g.velferd_tenant = tenant
    g.velferd_tenant_id = _id_of(tenant)
    g.pop("velferd_enabled_plugins", None)
    session = db.session()
    if session.in_transaction():
        connection = session.connection()  # its first use in the transaction sets the tenant already
        if connection.info.get(RLS_APPLIED_KEY) != g.velferd_tenant_id:
            _apply_rls_setting(connection)


@contextmanager
def tenant_scope(tenant: "Tenant | None") -> Iterator["Tenant | None"]:
    """Run a block as one tenant (CLI, tasks, tests); the previous tenant is restored after."""
    previous = current_tenant()
    set_current_tenant(tenant)
    try:
        yield tenant
    except BaseException:
        db.session.rollback()  # a failed transaction must not hide the error when the scope resets
        raise
    finally:
        set_current_tenant(previous)


def require_tenant() -> "Tenant":
    tenant = current_tenant()
    if tenant is None:
        raise TenantNotSet("no tenant in scope")
    return tenant


def _apply_rls_setting(connection: sa.Connection, commit_async: bool = False, at_begin: bool = False) -> None:
    """Send the tenant's RLS setting (and `commit_async`'s): at the transaction's start in the
    same message as its BEGIN (`driver_sql.begin_with`), else as a statement of its own."""
    if connection.dialect.name != "postgresql":
        return
    tenant_id = current_tenant_id()
    also = f", {commits.ASYNC_SETTING}" if commit_async else ""
    value = "" if tenant_id is None else str(tenant_id)
    if at_begin and connection.dialect.driver == "psycopg":
        literal = driver_sql.literal
        driver_sql.begin_with(connection, f"select set_config({literal(RLS_SETTING, connection)}, "
                                          f"{literal(value, connection)}, true){also}")
    else:
        connection.execute(sa.text(f"select set_config(:name, :value, true){also}"),
                           {"name": RLS_SETTING, "value": value})
    connection.info[RLS_APPLIED_KEY] = tenant_id


@event.listens_for(TenantSession, "after_begin")
def _set_rls_tenant_at_transaction_start(session, transaction, connection) -> None:
    """Set the tenant for RLS as the transaction starts (and, for a read request, let it commit
    asynchronously: velferd.commits). With no tenant in scope there is nothing to set: the
    setting is transaction-local (``set_config(…, true)``), so a new transaction starts with none
    and sees no rows; a switch to no tenant mid-transaction clears it explicitly
    (`set_current_tenant`)."""
    tenant_set = current_tenant_id() is not None
    commit_async = commits.begin(connection, tenant_set)
    connection.info[RLS_APPLIED_KEY] = None  # the connection's info outlives the transaction
    if tenant_set:
        _apply_rls_setting(connection, commit_async, at_begin=True)


#: the tenant in scope, read when a statement executes (None: ``tenant_id = NULL``, no rows); the
#: tenant criteria's parameter, and need to know's
TENANT_IN_SCOPE = sa.bindparam("scope_tenant_id", type_=sa.Integer, callable_=current_tenant_id)
#: one option for the process, not one per statement: its value is the bound parameter's
_TENANT_CRITERIA = with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id == TENANT_IN_SCOPE,
                                        include_aliases=True)


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_queries_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = prebuilt.with_option(state.statement, _TENANT_CRITERIA)


@event.listens_for(TenantSession, "before_flush")
def _stamp_and_check_tenant(session, flush_context, instances) -> None:
    tenant_id = current_tenant_id()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantOwned):
            continue
        if tenant_id is None:
            raise TenantNotSet(f"cannot write {type(obj).__name__} without a tenant in scope")
        if obj.tenant_id is None and obj in session.new:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written while tenant {tenant_id} is in scope"
            )


def get_owned(model: type[TenantOwned], ident: int) -> TenantOwned | None:
    """`Session.get` for tenant-owned rows. The identity map can hold rows of a tenant that was
    in scope earlier in the same session (a CLI loop over tenants), so check the owner too.
    A row not in the session yet is read with a statement built once per model (`_by_id`)."""
    statement = _by_id(model)
    if statement is None or identity_key(model, ident) in db.session.identity_map:
        obj = db.session.get(model, ident)  # loaded already (or refreshed if expired): as the ORM does
    else:
        obj = db.session.scalar(statement, {"ident": ident})
    return obj if obj is not None and obj.tenant_id == current_tenant_id() else None


@functools.cache
def _by_id(model: type) -> sa.Select | None:
    """``SELECT … WHERE <primary key> = :ident``, prebuilt (velferd.prebuilt); Session.get builds
    its statement anew each time, and the tenant's option with it."""
    key = sa.inspect(model).primary_key
    if len(key) != 1:
        return None
    return prebuilt.prebuilt(sa.select(model).where(key[0] == sa.bindparam("ident", type_=key[0].type)))


def require_owned(model: type[T], ident: int, what: str) -> T:
    """`get_owned`, or 404 "no <what> <id>" — the same answer whether the row does not exist or
    belongs to another tenant, so an id never tells one municipality about another's records."""
    obj = get_owned(model, ident)
    if obj is None:
        raise NotFound(f"no {what} {ident}")
    return obj
