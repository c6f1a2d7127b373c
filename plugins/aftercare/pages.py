"""Every page of the plugin (``WebPages.blueprint``): importing this module imports each part's
page module, which adds its routes to `page_kit.blp` — the stays and the Stays list
(`stay_pages`), the occupancy board, buildings and flats (`flat_pages`), the staircase
(`staircase_pages`), the individual plan and the G table (`plan_pages`), the rota (`rota_pages`)
and the budget with its report (`budget_pages`)."""

from __future__ import annotations

from . import budget_pages, flat_pages, plan_pages, rota_pages, staircase_pages, stay_pages  # noqa: F401
from .page_kit import blp

__all__ = ["blp"]
