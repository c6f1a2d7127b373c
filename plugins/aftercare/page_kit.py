"""What the plugin's pages share: their blueprint (every page module adds its routes to it;
velferd_aftercare.pages imports them all), the toolkit's form handling under the short names
the page modules use, and a case panel drawn on a page of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from velferd.toolkit import PageBlueprint, Refusal, tenant_url
from velferd.toolkit import attempt_form as attempt
from velferd.toolkit import page_done as done
from velferd.toolkit import page_response as page

blp = PageBlueprint("aftercare_pages", __name__)

__all__ = ["Refusal", "attempt", "blp", "done", "page", "panel_page", "tenant_url"]


def panel_page(template: str, title: str, case, context: Callable[..., Mapping[str, Any]],
               refusal: Refusal | None = None):
    """A case panel on a page of its own (the stay, the staircase, the plan): the panel's values
    and, after a refused form, its refusal and status."""
    return page(template, title, refusal.status if refusal else 200, case=case, failed=refusal, level=2,
                **context(case, refusal=refusal))
