"""Passwords: argon2id hashes, a check that costs the same whether or not the account exists, and
the refusal of guessable passwords (zxcvbn) wherever a password is set.

Why zxcvbn rather than a length rule: ``aaaaaaaaaaaa`` is twelve characters and guessed at once.
zxcvbn estimates how many guesses a password takes (dictionaries, names, keyboard patterns,
repeats, dates) and says why in words a user can act on; those words go into the 422.
"""

from __future__ import annotations

import secrets
from typing import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app
from zxcvbn import zxcvbn

from velferd.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 200  # zxcvbn's work grows with the length; argon2 does not care
#: zxcvbn's 0–4 scale; 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_SCORE = 3


def _hasher() -> PasswordHasher:
    """The app's argon2 hasher; its cost comes from ARGON2_* settings (tests lower it). Hashes
    carry their own parameters, so raising the cost later still verifies old hashes."""
    app = current_app._get_current_object()
    hasher = app.extensions.get("velferd.password_hasher")
    if hasher is None:
        hasher = PasswordHasher(
            time_cost=app.config["ARGON2_TIME_COST"], memory_cost=app.config["ARGON2_MEMORY_COST_KIB"],
            parallelism=app.config["ARGON2_PARALLELISM"],
        )
        app.extensions["velferd.password_hasher"] = hasher
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _dummy_hash() -> str:
    """A hash at the app's cost to verify against when there is no account (or no password), so
    that such a login costs exactly one argon2 verify, like a real one. Computed once per app."""
    extensions = current_app.extensions
    if "velferd.dummy_hash" not in extensions:
        extensions["velferd.dummy_hash"] = hash_password(secrets.token_hex(16))
    return extensions["velferd.dummy_hash"]


def init_app(app: Flask) -> None:
    """Compute the dummy hash now, so even the first login of an unknown e-mail costs one verify."""
    with app.app_context():
        _dummy_hash()


def matches(stored_hash: str | None, password: str) -> bool:
    """One argon2 verify, always: against `stored_hash`, or the dummy when there is none."""
    try:
        return _hasher().verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str, field: str = "password", user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password that is short or guessable with a 422 naming `field` and saying why.
    `user_inputs` (the e-mail, the name) count as known to an attacker."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(f"the {field.replace('_', ' ')} is too short",
                               {field: [f"Use at least {MIN_LENGTH} characters."]})
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(f"the {field.replace('_', ' ')} is too long",
                               {field: [f"Use at most {MAX_LENGTH} characters."]})
    inputs = [part for value in user_inputs if value for part in _words_of(value)]
    result = zxcvbn(password, user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        feedback = result["feedback"]
        reasons = [feedback["warning"]] if feedback.get("warning") else ["This password is easy to guess."]
        reasons += feedback.get("suggestions") or []
        raise ValidationFailed(f"the {field.replace('_', ' ')} is too easy to guess", {field: reasons})


def _words_of(value: str) -> list[str]:
    """An e-mail or name and its parts (``kari.nordmann@bergen.no`` → kari, nordmann, bergen…)."""
    parts = [value]
    for separator in "@.-_ +":
        parts = [piece for part in parts for piece in part.split(separator)]
    return [value, *(part for part in parts if len(part) > 2)]
