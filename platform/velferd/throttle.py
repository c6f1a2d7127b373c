"""Throttling of password guesses, per account and per client address.

Built on `limits` (the engine under Flask-Limiter) rather than Flask-Limiter's decorators because
only *failed* attempts count, the check must come before the password is verified, the account
key comes from the request body, and each app needs its own counters (the tests run many apps
in one process). Counters live in Redis when ``VELFERD_REDIS_URL`` is set — so every web process
shares them — and in memory in the embedded default. Keys hold a SHA-256 of the e-mail address,
never the address.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from velferd.config import ConfigurationError
from velferd.errors import VelferdError


class TooManyAttempts(VelferdError):
    """429: too many failed attempts; `retry_after` is in whole seconds."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed attempts; try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass
class Throttle:
    limiter: FixedWindowRateLimiter
    prefix: str
    per_account: list[RateLimitItem]
    per_address: list[RateLimitItem]

    def _keys(self, account: str, address: str | None) -> list[tuple[RateLimitItem, str]]:
        digest = hashlib.sha256(account.strip().lower().encode()).hexdigest()
        keys = [(limit, f"{self.prefix}account:{digest}") for limit in self.per_account]
        return keys + [(limit, f"{self.prefix}address:{address or 'unknown'}") for limit in self.per_address]

    def check(self, account: str, address: str | None) -> None:
        """Raise 429 if either the account or the address has used up its failures."""
        waits = []
        for limit, key in self._keys(account, address):
            if not self.limiter.test(limit, key):
                reset_at = self.limiter.get_window_stats(limit, key).reset_time
                waits.append(max(1, math.ceil(reset_at - time.time())))
        if waits:
            raise TooManyAttempts(max(waits))

    def failed(self, account: str, address: str | None) -> None:
        for limit, key in self._keys(account, address):
            self.limiter.hit(limit, key)


def _limits(app: Flask, name: str) -> list[RateLimitItem]:
    try:
        return parse_many(app.config[name])
    except ValueError:
        raise ConfigurationError(f"invalid configuration: VELFERD_{name}: write limits like "
                                 "'10 per 15 minutes', several separated by ';'") from None


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config["REDIS_URL"] or "memory://")
    app.extensions["velferd.throttle"] = Throttle(
        limiter=FixedWindowRateLimiter(storage), prefix=app.config["LOGIN_THROTTLE_KEY_PREFIX"],
        per_account=_limits(app, "LOGIN_LIMIT_PER_ACCOUNT"), per_address=_limits(app, "LOGIN_LIMIT_PER_ADDRESS"),
    )


def throttle() -> Throttle:
    return current_app.extensions["velferd.throttle"]
