"""Who is calling, and may they? Sessions (velferd.sessions), bearer tokens, memberships and the
one place where permissions are checked (`require_permission`). Passwords: velferd.passwords.

A token names its tenant (``vf.<tenant slug>.<secret>``) so that a token used against another
municipality is refused with 403 without ever being looked up there; only the SHA-256 of the
secret part is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import secrets
from typing import Callable, Iterator, TypeVar

import sqlalchemy as sa
from flask import g, request
from sqlalchemy.orm.attributes import set_committed_value

from velferd import driver_sql, need_to_know, plugin_config, row_objects, sessions
from velferd.db import db, utcnow
from velferd.errors import Forbidden, Unauthorized
from velferd.models import ApiToken, Membership, Tenant, User
from velferd.permissions import permissions_for
from velferd.plugins.manager import registry
from velferd.tenancy import current_tenant_id

TOKEN_PREFIX = "vf"
F = TypeVar("F", bound=Callable)


def _token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, tenant: Tenant, name: str, valid_for: dt.timedelta | None) -> tuple[ApiToken, str]:
    """Create a token for `user` in `tenant`; the plaintext is returned once and never stored."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        tenant_id=tenant.id, user_id=user.id, name=name, token_hash=_token_digest(secret),
        prefix=secret[:8], expires_at=(utcnow() + valid_for) if valid_for else None,
    )
    db.session.add(token)
    return token, f"{TOKEN_PREFIX}.{tenant.slug}.{secret}"


@functools.cache
def _caller_query() -> sa.Select:
    """The token with its user, the tenant's configuration version and, outer-joined, the user's
    membership in the token's tenant: plain columns (velferd.row_objects), built once and sent on
    the driver (`driver_sql.first_row`). It names the tenant itself, as the ORM's tenant criteria
    do not reach it (row-level security does, on PostgreSQL)."""
    return (
        sa.select(ApiToken.revoked_at, ApiToken.expires_at, Tenant.config_version,
                  *row_objects.columns_of(User, "user"), *row_objects.columns_of(Membership, "member"))
        .select_from(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .join(Tenant, Tenant.id == ApiToken.tenant_id)
        .outerjoin(Membership, sa.and_(Membership.user_id == User.id, Membership.tenant_id == ApiToken.tenant_id))
        .where(ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.tenant_id == sa.bindparam("tenant_id"))
    )


def _caller_from_token(header: str, tenant: Tenant) -> tuple[User, Membership | None, int]:
    """The token's user, their membership in `tenant` and the tenant's configuration version, read
    in one query (`_caller_query`; RLS applies to the token and membership). Nothing of it is
    cached: a revoked token is refused on the very next request."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    prefix, _, rest = value.strip().partition(".")
    token_tenant, _, secret = rest.partition(".")
    if prefix != TOKEN_PREFIX or not token_tenant or not secret:
        raise Unauthorized("the bearer token is malformed")
    if token_tenant != tenant.slug:
        raise Forbidden(f"this token belongs to another tenant, not '{tenant.slug}'")
    row = driver_sql.first_row(db.session.connection(), _caller_query(),
                               {"token_hash": _token_digest(secret), "tenant_id": current_tenant_id()})
    if row is None or row["revoked_at"] is not None:
        raise Unauthorized("the bearer token is unknown or revoked")
    expires_at = row["expires_at"]
    if expires_at is not None and expires_at <= utcnow():
        raise Unauthorized(f"the bearer token expired at {expires_at.isoformat()}")
    user = row_objects.merged(User, row, "user")
    membership = row_objects.merged(Membership, row, "member")
    if membership is not None:
        set_committed_value(membership, "user", user)
    return user, membership, row["config_version"]


def _membership(user: User) -> Membership | None:
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))


def _membership_and_version(user: User) -> tuple[Membership | None, int | None]:
    """The user's membership in the tenant in scope, with the tenant's configuration version."""
    row = db.session.execute(
        sa.select(Membership, Tenant.config_version).join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user.id)
    ).first()
    return (row.Membership, row.config_version) if row is not None else (None, None)


def current_session_user() -> User | None:
    """The user of this browser's (unexpired) server-side session; see velferd.sessions."""
    return sessions.current_user()


def authenticate_for_tenant(tenant: Tenant) -> None:
    """Resolve the caller and their membership in `tenant`; fills `g` or raises 401/403."""
    header = request.headers.get("Authorization")
    if header:
        user, membership, version = _caller_from_token(header, tenant)
    else:
        user = current_session_user()
        membership, version = _membership_and_version(user) if user is not None and user.active else (None, None)
    if user is None or not user.active:
        raise Unauthorized("log in or send a bearer token")
    if membership is None:
        raise Forbidden(f"you are not a member of '{tenant.slug}'")
    plugin_config.note_version(tenant.id, version)
    g.velferd_user = user
    g.velferd_membership = membership
    g.velferd_permissions = permissions_for(membership.roles, registry().roles)
    need_to_know.set_scope(need_to_know.scope_of(membership))


@contextlib.contextmanager
def acting_as(user: User) -> Iterator[User]:
    """Act as `user`, with the permissions of their membership in the tenant in scope, outside a
    request (the demo seed, a CLI command): the same permission checks and audit trail as if they
    had called the API. Refuses a user who is not a member, as the API would."""
    membership = _membership(user)
    if membership is None:
        raise Forbidden(f"{user.email} is not a member of this municipality")
    saved = {key: g.get(key) for key in ("velferd_user", "velferd_membership", "velferd_permissions")}
    g.velferd_user, g.velferd_membership = user, membership
    g.velferd_permissions = permissions_for(membership.roles, registry().roles)
    try:
        yield user
    finally:
        for key, value in saved.items():
            setattr(g, key, value)


def current_user() -> User | None:
    return g.get("velferd_user")


def has_permission(permission: str) -> bool:
    """Whether this request's caller holds `permission` (a page offers only what its POST allows)."""
    return permission in g.get("velferd_permissions", frozenset())


def require_permission(permission: str) -> None:
    """The single permission check. Raises 403 naming the missing permission."""
    if not has_permission(permission):
        raise Forbidden(f"you need the permission '{permission}' for this")


def requires(permission: str) -> Callable[[F], F]:
    """View decorator form of `require_permission`."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            require_permission(permission)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def require_operator() -> User:
    user = current_session_user()
    if user is None:
        raise Unauthorized("log in as an operator")
    if not user.is_operator:
        raise Forbidden("only the platform operator may do this")
    g.velferd_user = user
    return user
