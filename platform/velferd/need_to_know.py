"""Need to know (tjenstlig behov): a member sees the cases of the units and programmes they work
in, the cases assigned to them, and nothing else — unless their role says otherwise.

The anchor is Primero's record scopes (self / group / agency / all). Each role has a scope
(`velferd.permissions.CASE_SCOPES`), and a member has the widest of their roles':

* ``team`` (caseworker, coordinator): cases held by one of their units *in one of their
  programmes* (``membership.programmes``; none named: every programme), and cases no unit holds
  yet (a new referral) in those programmes, so a referral is never lost between units;
* ``unit`` (leader): the same, in every programme of their units;
* ``all`` (tenant admin, finance, auditor, archivist): every case of the municipality — these
  roles answer for the municipality as a whole (the audit trail, the invoices, the archive).

And in every scope: the cases assigned to them, and those they opened by "breaking the glass" —
a stated reason, good for `GRANT_HOURS`, audited, shown in the person's access log and reported to
the leaders of the case's unit (`break_the_glass`).

It is enforced in one place, below every route: the ORM adds the scope to every SELECT, UPDATE
and DELETE of a person-linked model (velferd.read_audit's `person_link`: a case, anything that
points at a case or a person, a plugin's new table the day it is added), in lists, searches,
relationship loads and plugin routes alike — as `velferd.tenancy` adds the tenant. A record
outside the scope is then as absent as another municipality's: 404. A person is visible through a
visible case, or when no case of theirs exists yet (so they can be found and a case opened).

Only requests of members carry a scope. Tasks, commands and the demo seed act for the
municipality and see all of it; a service that must see past the caller's scope (a uniqueness
check, the citizen's export) says so and uses `unscoped`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql import visitors

from velferd import prebuilt
from velferd.db import Base, TenantSession, utcnow
from velferd.models import AccessGrant, Case, Membership, Person
from velferd.permissions import CASE_SCOPES, widest_scope
from velferd.person_links import person_link
from velferd.tenancy import TENANT_IN_SCOPE

SCOPE_KEY = "velferd_case_scope"
#: on `g`: the member's own scope (kept while `unscoped` lifts it), and the moment grants are judged by
MEMBER_SCOPE_KEY, NOW_KEY = "velferd_member_case_scope", "velferd_need_to_know_now"
#: how long a broken glass opens a case: a working day
GRANT_HOURS = 8
#: an execution option of a statement whose persons are only those of the cases it loads (a case
#: joined to its person): a person of a visible case is visible, so the person's own criteria —
#: an EXISTS per row — would repeat the case's (`through_cases`)
PERSONS_THROUGH_CASES = "velferd_persons_through_cases"


@dataclass(frozen=True)
class CaseScope:
    """What one member may know of: their user id, their units, and their programmes (empty:
    every programme)."""

    user_id: int
    unit_ids: tuple[int, ...]
    programmes: tuple[str, ...]


def scope_of(membership: Membership, role_scopes: dict[str, str] = CASE_SCOPES) -> CaseScope | None:
    """The member's scope, or None when one of their roles sees the whole municipality."""
    widest = widest_scope(membership.roles, role_scopes)
    if widest == "all":
        return None
    programmes = () if widest == "unit" else tuple(sorted(membership.programmes or ()))
    return CaseScope(membership.user_id, tuple(sorted(membership.unit_ids or ())), programmes)


def set_scope(scope: CaseScope | None) -> None:
    """The scope for the rest of this request (velferd.auth sets it with the caller)."""
    g.setdefault(SCOPE_KEY, None)
    setattr(g, SCOPE_KEY, scope)
    if scope is not None:
        setattr(g, MEMBER_SCOPE_KEY, scope)


def current_scope() -> CaseScope | None:
    return g.get(SCOPE_KEY) if has_app_context() else None


def through_cases(statement):
    """Mark `statement` as loading persons only through the cases it loads (`PERSONS_THROUGH_CASES`):
    the cases' criteria decide, and the persons' are left out."""
    return statement.execution_options(**{PERSONS_THROUGH_CASES: True})


@contextlib.contextmanager
def unscoped() -> Iterator[None]:
    """See past the caller's need to know for a block: for what must find every row of the
    municipality whoever asks (is this national id taken? does this case exist, to break the
    glass?). The caller's scope is back afterwards."""
    saved = current_scope()
    set_scope(None)
    try:
        yield
    finally:
        set_scope(saved)


# --- the rule, as SQL ---------------------------------------------------------------------------
#
# The criteria are built once per process for each model and shape of scope (with or without
# units, with or without programmes), with bound parameters whose values are read when a statement
# executes (`sa.bindparam(callable_=…)`): the member's user id, units and programmes, the tenant and
# the request's moment. Building the nested EXISTS and their aliases per request was a tenth of a
# page's time; and with one text per shape, PostgreSQL's prepared statements and SQLAlchemy's
# compiled cache serve every member alike.

def _member_scope() -> CaseScope:
    """The scope the criteria's parameters are read from: the member's, also inside `unscoped`
    (a relationship loaded there from a row loaded within the scope keeps the scope's criteria)."""
    return g.get(MEMBER_SCOPE_KEY)


def _request_now() -> dt.datetime:
    """The moment a grant's expiry is judged by: the request's first scoped query."""
    return g.setdefault(NOW_KEY, utcnow())


_USER = sa.bindparam("ntk_user_id", type_=sa.Integer, callable_=lambda: _member_scope().user_id)
_UNITS = sa.bindparam("ntk_unit_ids", type_=sa.Integer, expanding=True,
                      callable_=lambda: list(_member_scope().unit_ids))
_PROGRAMMES = sa.bindparam("ntk_programmes", type_=sa.String, expanding=True,
                           callable_=lambda: list(_member_scope().programmes))
_NOW = sa.bindparam("ntk_now", type_=sa.DateTime(timezone=True), callable_=_request_now)


@dataclass(frozen=True)
class _Shape:
    """What changes the criteria's SQL, as opposed to their parameters' values."""

    has_units: bool
    has_programmes: bool

    @classmethod
    def of(cls, scope: CaseScope) -> "_Shape":
        return cls(bool(scope.unit_ids), bool(scope.programmes))


def _case_visible(cases, shape: _Shape) -> sa.ColumnElement[bool]:
    """Whether a case row (the ORM class or the core table's columns) is within the scope."""
    grants = AccessGrant.__table__
    in_programme = cases.plugin.in_(_PROGRAMMES) if shape.has_programmes else sa.true()
    held_by_own_unit = cases.unit_id.in_(_UNITS) if shape.has_units else sa.false()
    return sa.or_(
        cases.assigned_to_id == _USER,
        sa.and_(in_programme, sa.or_(held_by_own_unit, cases.unit_id.is_(None))),
        cases.id.in_(sa.select(grants.c.case_id).where(
            grants.c.tenant_id == TENANT_IN_SCOPE, grants.c.user_id == _USER, grants.c.expires_at > _NOW)),
    )


def _row_visible(columns, model: type, shape: _Shape) -> sa.ColumnElement[bool]:
    """Whether a row of a person-linked `model` (its ORM class, or an alias's columns) is within
    the scope: a case by the rule, a person through a visible case (or no case at all), anything
    else through the row it points at. Each step is a correlated EXISTS on a fresh alias of the
    core table, which the ORM's own criteria do not reach into (so each rule is applied once, here)
    and which PostgreSQL answers by the primary key or the ``person_id`` index per row shown."""
    if model is Case:
        return _case_visible(columns, shape)
    if model is Person:
        cases, any_case = Case.__table__.alias(), Case.__table__.alias()
        return sa.or_(
            sa.exists().where(cases.c.person_id == columns.id, cases.c.tenant_id == TENANT_IN_SCOPE,
                              _case_visible(cases.c, shape)),
            ~sa.exists().where(any_case.c.person_id == columns.id, any_case.c.tenant_id == TENANT_IN_SCOPE),
        )
    link = person_link(model)
    column = getattr(model, link.column) if columns is model else \
        columns[sa.inspect(model).get_property(link.column).columns[0].key]
    target = link.target.__table__.alias()
    return sa.or_(column.is_(None), sa.exists().where(
        target.c.id == column, target.c.tenant_id == TENANT_IN_SCOPE,
        _row_visible(target.c, link.target, shape)))


@functools.cache
def _scoped_models() -> tuple[type, ...]:
    return tuple(mapper.class_ for mapper in Base.registry.mappers if person_link(mapper.class_) is not None)


def scoped_models() -> tuple[type, ...]:
    """Every person-linked model (a plugin imported later adds some: the cache is cleared when the
    registry grows)."""
    size = len(Base.registry.mappers)
    if size != _scoped_models.registry_size:
        _scoped_models.cache_clear()
        _scoped_models.registry_size = size
    return _scoped_models()


_scoped_models.registry_size = -1


_criteria_built: dict[tuple[type, _Shape], LoaderCriteriaOption] = {}


def _criteria(model: type, scope: CaseScope) -> LoaderCriteriaOption:
    """The criteria option for `model` and the shape of `scope`, built once per process."""
    key = (model, _Shape.of(scope))
    option = _criteria_built.get(key)
    if option is None:
        option = _criteria_built[key] = with_loader_criteria(model, _row_visible(model, model, key[1]),
                                                             include_aliases=True)
    return option


def _tables_in(statement) -> set[str]:
    """The names of the tables a statement reads or writes anywhere in it: its entities, a
    ``select_from``, a join, a subquery in its WHERE (``person_id IN (SELECT person.id …)``)."""
    found = set()
    for element in visitors.iterate(statement):
        table = element if isinstance(element, sa.Table) else getattr(element, "table", None)
        if isinstance(table, sa.Table):
            found.add(table.name)
    return found


_models_of_prebuilt: dict = {}


def _models_in(state: ORMExecuteState, scoped: tuple[type, ...]) -> list[type]:
    """The person-linked models a statement touches anywhere (not only its top-level entities: a
    subquery of persons that decides which rows are listed must be within the scope too); for a
    prebuilt statement (velferd.prebuilt) found once."""
    statement = state.statement
    if prebuilt.is_prebuilt(statement):
        key = (statement, scoped)
        models = _models_of_prebuilt.get(key)
        if models is None:
            models = _models_of_prebuilt[key] = _models_in_tables(_tables_in(statement), scoped)
        return models
    return _models_in_tables(_tables_in(statement), scoped)


def _models_in_tables(tables: set[str], scoped: tuple[type, ...]) -> list[type]:
    return [model for model in scoped if model.__tablename__ in tables]


@event.listens_for(TenantSession, "do_orm_execute")
def _limit_queries_to_need_to_know(state: ORMExecuteState) -> None:
    scope = current_scope()
    if scope is None or state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        return
    models = _models_in(state, scoped_models())
    if Case in models and Person in models and state.statement.get_execution_options().get(PERSONS_THROUGH_CASES):
        models = [model for model in models if model is not Person]
    for model in models:
        state.statement = prebuilt.with_option(state.statement, _criteria(model, scope))
