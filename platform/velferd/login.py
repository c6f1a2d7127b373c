"""Password login: throttled per account and per address, one argon2 verify whether or not the
account exists (so neither the answer nor its timing tells), and every attempt logged."""

from __future__ import annotations

from flask import request

from velferd import accounts, login_log, passwords
from velferd.db import db
from velferd.errors import Unauthorized
from velferd.models import User
from velferd.throttle import TooManyAttempts, throttle

WRONG = "wrong e-mail or password"


def check_password(email: str, password: str) -> User:
    """The active account of `email` if `password` is its password; else 401 (or 429 when this
    account or address has failed too often). The attempt is logged and committed either way
    before a refusal; a success is left to the caller's commit."""
    limiter, address = throttle(), request.remote_addr
    try:
        limiter.check(email, address)
    except TooManyAttempts:
        _refuse(email, login_log.THROTTLED, None)
        raise
    credentials = accounts.credentials_for(email)
    correct = passwords.matches(credentials.password_hash if credentials else None, password)
    if correct and credentials.active:
        login_log.record(email, login_log.SUCCEEDED, credentials.user_id)
        return db.session.get(User, credentials.user_id)
    limiter.failed(email, address)
    outcome = (login_log.UNKNOWN_ACCOUNT if credentials is None
               else login_log.INACTIVE_ACCOUNT if correct else login_log.WRONG_PASSWORD)
    _refuse(email, outcome, credentials.user_id if credentials else None)
    raise Unauthorized(WRONG)


def _refuse(email: str, outcome: str, user_id: int | None) -> None:
    db.session.rollback()
    login_log.record(email, outcome, user_id)
    db.session.commit()


def password_matches_throttled(email: str, stored_hash: str | None, password: str) -> bool:
    """For a password asked again where there is already an account (accepting an invitation,
    changing the password): the same per-account and per-address limits as a login (429)."""
    limiter, address = throttle(), request.remote_addr
    limiter.check(email, address)
    if passwords.matches(stored_hash, password):
        return True
    limiter.failed(email, address)
    return False
