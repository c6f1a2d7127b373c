"""Every route of the plugin's API (`Plugin.blueprints`): importing this module imports each
part's API module, which adds its routes to `api_kit.blp`."""

from __future__ import annotations

from .api_kit import blp

__all__ = ["blp"]
