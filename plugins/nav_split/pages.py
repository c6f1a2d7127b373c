"""nav_split's pages (`WebPages.blueprint`): the queue and agendas, a case's allocation and
follow-up, and Rusfaglig Forum's decisions, complaints and signatures, one module per area on
one blueprint (`page_kit.blp`)."""

from __future__ import annotations

from . import agenda_pages, allocation_pages, forum_pages  # noqa: F401  (they add their routes to blp)
from .page_kit import blp

__all__ = ["blp"]
