"""Logging in through the pages, as a person with a browser does (form posts, the session cookie)."""

from __future__ import annotations

from velferd.testing import PASSWORD


def log_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})
