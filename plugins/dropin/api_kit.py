"""The plugin's API blueprint, which every part's API module adds its routes to; the core mounts
it at /api/t/<tenant>/x/dropin (404 for a tenant that has not enabled the plugin). A
flask-smorest Blueprint, so every route is in /api/openapi.json (velferd_dropin.api imports the
parts' modules)."""

from __future__ import annotations

from velferd.toolkit import Blueprint

blp = Blueprint("dropin_api", __name__,
                description="Outreach at drop-in centres: centres, agreements, presence, contacts, meetings")
