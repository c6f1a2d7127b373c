"""Municipal outreach at Danish drop-in centres (styrket social indsats på væresteder): the
centres and their cooperation agreements, the outreach services' published presence, contacts
that start anonymous, statutory meetings at the centre, team activities, the implementation team
and the evaluation.

The module object is the plugin: it declares itself (`PLUGIN`) and holds the runtime hooks, which
reach it only for its own cases, forms and decisions; it is registered through the
``velferd.plugins`` entry point as ``dropin``. It imports from the core only ``velferd.toolkit``
(lint-imports checks it). Offered in Denmark only (the manifest's countries). It bills nothing:
the centres are financed by the municipality's grants, not by invoices per citizen.

Built so far: the centres and their cooperation agreements (`centres`). The presence schedules,
contacts, meetings, activities, implementation team and evaluation follow.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import PageLink, Plugin, WebPages, hookimpl

from . import demo
from .manifest import MANIFEST, READ

HERE = Path(__file__).parent
WEB = WebPages(
    blueprint="velferd_dropin.pages:blp", templates=str(HERE / "templates"),
    translations=str(HERE / "translations"),
    menu=(PageLink("dropin_pages.centres_page", "Drop-in centres", READ),),
)

PLUGIN = Plugin(MANIFEST, blueprints="velferd_dropin.api:blp", web=WEB)


@hookimpl
def velferd_plugin():
    return PLUGIN


@hookimpl
def velferd_demo_seed(tenant, staff):
    demo.seed(tenant, staff)
