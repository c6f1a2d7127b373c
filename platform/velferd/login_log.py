"""The log of login attempts (``login_event``): global, because no tenant is known at login, and
append-only. It keeps the e-mail address that was tried — the schema has already refused
anything that is not an e-mail address, so a password typed into the wrong field never gets
here — the account when there is one, the outcome and where the attempt came from. Never the
password."""

from __future__ import annotations

from velferd.audit import _origin as request_origin
from velferd.db import db
from velferd.models import LoginEvent

SUCCEEDED = "succeeded"
WRONG_PASSWORD = "wrong_password"
UNKNOWN_ACCOUNT = "unknown_account"
INACTIVE_ACCOUNT = "inactive_account"
THROTTLED = "throttled"


def record(email: str, outcome: str, user_id: int | None = None) -> None:
    """Add the attempt to the open transaction (the caller commits, also before refusing)."""
    db.session.add(LoginEvent(email=email.strip().lower()[:254], user_id=user_id, outcome=outcome,
                              **request_origin()))
