"""What the aftercare page tests share: a plugin page's path; the browser and the page text are
tests/web/pages.py's (re-exported here for the page tests' imports)."""

from __future__ import annotations

from tests.web.pages import browser_for, text_of

X = "/x/aftercare"

__all__ = ["X", "browser_for", "page", "text_of"]


def page(town, path: str) -> str:
    return f"/t/{town.slug}{X}{path}"
