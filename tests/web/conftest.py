"""The pages' tests browse as a browser does: asking for HTML by name (``Accept: text/html``);
without it a page's error answers in the API's JSON shape (velferd.web.pages.error_page)."""

from __future__ import annotations

import pytest

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    return client
