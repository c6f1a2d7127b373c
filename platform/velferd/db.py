"""The one SQLAlchemy handle, its declarative base and the column types every model shares.

Money is never a float: `Money` is a NUMERIC(14, 2) that comes back as `Decimal`.
Timestamps are stored in UTC with their zone (`UtcDateTime`), so a row written in Oslo
and read in Copenhagen means the same instant.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Callable, TypeVar

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC; naive datetimes are refused, not guessed."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime (UTC or a named zone)")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no zone; we only ever wrote UTC
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


Money = sa.Numeric(14, 2, asdecimal=True)
Json = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UtcDateTime(), Decimal: Money, dict: Json, list: Json},
    )


class TenantSession(FlaskSession):
    """The session class every request, task and command uses; tenancy listens on it."""


#: ``hide_parameters``: a failed statement's error (and so any log of it) never carries the bound
#: values — national ids, names, token hashes — only the SQL text.
db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSession, "expire_on_commit": False},
                engine_options={"hide_parameters": True})


class TenantOwned:
    """Mixin for every row that belongs to one municipality.

    `tenant_id` is filled from the current tenant on flush, is part of every unique
    constraint, and is what both the ORM criteria and PostgreSQL's row-level security key on.
    """

    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"), index=True)


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def add_or_find(instance: T, find: Callable[[], T | None]) -> T:
    """Add `instance`, unless a concurrent transaction added its twin first: then return that
    one (looked up with `find`). The insert runs in a savepoint, so losing the race to a unique
    constraint leaves the caller's transaction usable; PostgreSQL makes the loser wait for the
    winner's commit, after which `find` sees the winner's row."""
    try:
        with db.session.begin_nested():
            db.session.add(instance)
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found
    return instance
