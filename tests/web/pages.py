"""Logging in through the pages, as a person with a browser does (form posts, the session cookie),
and reading what a page says."""

from __future__ import annotations

import re

from tests.web.conftest import BROWSER_ACCEPT
from velferd.testing import PASSWORD


def log_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def text_of(response) -> str:
    """The page's visible text, tags dropped and whitespace folded (for phrases across tags)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def browser_for(app, language: str = "en"):
    """`browser(town, role)`: a browser logged in as `town`'s staff member of `role`, the pages in
    `language` (English by default: the texts a page test reads are the catalogue's source)."""

    def browser(town, role):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
        r = log_in(client, town.staff[role].email)
        assert r.status_code == 302, r.text
        assert client.post("/language", data={"lang": language}).status_code == 302
        return client

    return browser
