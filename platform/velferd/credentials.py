"""Setting a new password for an account — by its owner (``POST /api/auth/password``) or by the
operator (``velferd user password``): the strength check, the write that succeeds only if the
hash is still the one the caller saw, and the end of every session of the account."""

from __future__ import annotations

from velferd import accounts, passwords, sessions
from velferd.errors import Conflict
from velferd.models import User


def set_new_password(user: User, current_hash: str | None, new_password: str, field: str = "new_password") -> None:
    """Replace `user`'s password (422 naming `field` if it is weak) and end all their sessions;
    the caller commits. 409 if the password changed since `current_hash` was read."""
    passwords.check_strength(new_password, field, [user.email, user.name])
    if not accounts.set_password(user.id, current_hash, passwords.hash_password(new_password)):
        raise Conflict("the password was changed meanwhile; try again")
    sessions.end_all(user)
