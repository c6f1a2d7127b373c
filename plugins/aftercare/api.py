"""Every route of the plugin's API (`Plugin.blueprints`): importing this module imports each
part's API module, which adds its routes to `api_kit.blp`: buildings, flats, reservations and
the board (`api_flats`); the rota, the budget and the grant givers' report (`api_operations`);
the individual plan, participation, the programme and the G table (`api_plans`); steps, a case's
staircase, breaches and moves (`api_staircase`); a case's stay and the list of stays
(`api_stays`); the daily job on demand (`api_daily`)."""

from __future__ import annotations

from . import api_daily, api_flats, api_operations, api_plans, api_staircase, api_stays  # noqa: F401
from .api_kit import blp

__all__ = ["blp"]
