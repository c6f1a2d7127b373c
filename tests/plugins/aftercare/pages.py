"""What the aftercare page tests share: a browser logged in as a town's staff member, the pages
in English (the texts these tests read are the catalogue's source; the Norwegian pages are read
by the browser journeys), the page text without markup, and a plugin page's path."""

from __future__ import annotations

import re

from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in

X = "/x/aftercare"


def browser_for(app):
    """`browser(town, role)`: a browser logged in as `town`'s staff member of `role`, in English."""

    def browser(town, role):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
        r = log_in(client, town.staff[role].email)
        assert r.status_code == 302, r.text
        assert client.post("/language", data={"lang": "en"}).status_code == 302
        return client

    return browser


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def page(town, path: str) -> str:
    return f"/t/{town.slug}{X}{path}"
