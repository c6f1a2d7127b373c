"""What the dropin page tests share: a plugin page's path; the page text and the browser (the
`browse` fixture) are tests/web/pages.py's."""

from __future__ import annotations

from tests.web.pages import text_of

X = "/x/dropin"

__all__ = ["X", "page", "text_of"]


def page(town, path: str) -> str:
    return f"/t/{town.slug}{X}{path}"
