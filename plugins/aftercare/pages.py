"""Every page of the plugin: importing this module (``WebPages.blueprint``) imports each part's
page module, which adds its routes to `blp` (velferd_aftercare.page_kit)."""

from __future__ import annotations

from .page_kit import blp

__all__ = ["blp"]
