"""Staff accounts, their memberships (roles per municipality) and API tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from velferd.db import Base, TenantOwned, Timestamped


class User(Base, Timestamped):
    """A person who logs in. Global, because one operator or consultant may serve several
    municipalities; what they may do is decided per tenant by their membership."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    is_operator: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class Membership(Base, TenantOwned, Timestamped):
    __tablename__ = "membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    roles: Mapped[list] = mapped_column(default=list)
    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("tenant_id", "user_id"),)


class ApiToken(Base, TenantOwned, Timestamped):
    """A bearer token for one user in one tenant. Only its SHA-256 is stored: tokens are
    256-bit random, so a fast hash is enough and lookups stay one indexed read."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    __table_args__ = (sa.UniqueConstraint("tenant_id", "token_hash"),)
