"""What the dropin page tests share: the page text without markup and a plugin page's path (the
browser itself is the aftercare tests' `browser_for`, through the `browse` fixture)."""

from __future__ import annotations

from tests.plugins.aftercare.pages import text_of

X = "/x/dropin"

__all__ = ["X", "page", "text_of"]


def page(town, path: str) -> str:
    return f"/t/{town.slug}{X}{path}"
