"""Server-side login sessions: the signed cookie carries only a random session id, the database
keeps its SHA-256 (a row per logged-in browser). Deleting the row ends the session for good —
logout, a password change, or a timeout — which a cookie holding the user id could not do.

A session ends after ``SESSION_IDLE_MINUTES`` without a request and ``SESSION_ABSOLUTE_HOURS``
after the login, whichever comes first. ``last_seen_at`` is written at most once a minute, so a
busy page does not write on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app, session

from velferd.db import db, utcnow
from velferd.models import User, UserSession

COOKIE_KEY = "sid"
TOUCH_EVERY = dt.timedelta(minutes=1)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def start(user: User) -> None:
    """Log `user` in on this browser: a fresh id (never one the client brought along)."""
    session.clear()
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    # every login sweeps out sessions that timed out (anyone's), so the table holds live ones only
    db.session.execute(sa.delete(UserSession).where(
        sa.or_(UserSession.expires_at <= now, UserSession.last_seen_at <= now - _idle_limit())))
    db.session.add(UserSession(
        user_id=user.id, token_hash=_digest(session_id), last_seen_at=now,
        expires_at=now + dt.timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]),
    ))
    session[COOKIE_KEY] = session_id


def _current_row() -> UserSession | None:
    session_id = session.get(COOKIE_KEY)
    if not isinstance(session_id, str):
        return None
    return db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _digest(session_id)))


def current_user() -> User | None:
    """The active user of this browser's session, or None when there is none or it timed out
    (a timed-out row is deleted then and there)."""
    row = _current_row()
    if row is None:
        return None
    now = utcnow()
    if row.expires_at <= now or row.last_seen_at <= now - _idle_limit():
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()  # the next transaction sets the tenant's RLS setting again
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_current() -> None:
    """Logout: the row goes, so the old cookie no longer works anywhere."""
    row = _current_row()
    if row is not None:
        db.session.delete(row)
    session.clear()


def end_all(user: User) -> int:
    """End every session of `user` (a password change); returns how many there were."""
    return db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id)).rowcount
