"""Staff accounts, their memberships (roles per municipality) and API tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from velferd.db import Base, TenantOwned, Timestamped, utcnow
from velferd.personal_data import PERSONAL


class User(Base, Timestamped):
    """A person who logs in. Global, because one operator or consultant may serve several
    municipalities; what they may do is decided per tenant by their membership."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, info=PERSONAL)
    name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    #: Never loaded with the user: on PostgreSQL the app role may not read it at all; the one
    #: read (login) and the one write go through velferd.accounts.
    password_hash: Mapped[str | None] = deferred(mapped_column(sa.String(200)), raiseload=True)
    is_operator: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class Membership(Base, TenantOwned, Timestamped):
    __tablename__ = "membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    roles: Mapped[list] = mapped_column(default=list)
    #: the member asked for a daily e-mail when deadlines are due or overdue here (velferd.reminder_mail)
    email_reminders: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: the units the member works in, and the programmes (plugin ids; empty: every programme the
    #: municipality runs): what they need to know of (velferd.need_to_know). Kept on the row, not
    #: in a table of their own, so the request's one token query brings them.
    unit_ids: Mapped[list] = mapped_column(default=list, server_default="[]")
    programmes: Mapped[list] = mapped_column(default=list, server_default="[]")
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


class Invitation(Base, TenantOwned, Timestamped):
    """A tenant admin's offer of roles to an e-mail address. Accepting it (with the token, which
    is shown once to the admin and stored only as its SHA-256) creates the membership; the admin
    never sets or sees anything of an account that already exists."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), info=PERSONAL)
    name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    roles: Mapped[list] = mapped_column(default=list)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "token_hash"),)


class UserSession(Base, Timestamped):
    """A logged-in browser. The cookie carries a random id; only its SHA-256 is stored, so
    deleting the row (logout, password change, timeout) ends the session for good."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]


class LoginEvent(Base):
    """Every login attempt, successful or not. Global (there is no tenant at login) and append-only."""

    __tablename__ = "login_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    email: Mapped[str] = mapped_column(sa.String(254), info=PERSONAL)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    outcome: Mapped[str] = mapped_column(sa.String(30))
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
