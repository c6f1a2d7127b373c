"""Alta's aftercare housing (ettervernsboliger): flats for people leaving substance-abuse
treatment, the assessment and living phases, the staircase of tenancies, individual plans, the
qualification programme's stipend, staffing and budget.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``aftercare``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Each part lives in its own modules and adds its declarations here.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Plugin, WebPages, hookimpl

from .manifest import MANIFEST

HERE = Path(__file__).parent
WEB = WebPages(
    blueprint="velferd_aftercare.pages:blp", templates=str(HERE / "templates"),
    translations=str(HERE / "translations"),
)

PLUGIN = Plugin(MANIFEST, web=WEB)


@hookimpl
def velferd_plugin():
    return PLUGIN
