"""The plugin's page blueprint, which every page module adds its routes to (velferd_aftercare.pages
imports them all)."""

from __future__ import annotations

from velferd.toolkit import PageBlueprint

blp = PageBlueprint("aftercare_pages", __name__)
