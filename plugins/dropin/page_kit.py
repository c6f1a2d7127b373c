"""What the plugin's pages share: their blueprint (every page module adds its routes to it;
velferd_dropin.pages imports them all) and the toolkit's form handling under the short names the
page modules use."""

from __future__ import annotations

from velferd.toolkit import PageBlueprint, Refusal, tenant_url
from velferd.toolkit import attempt_form as attempt
from velferd.toolkit import page_done as done
from velferd.toolkit import page_response as page

blp = PageBlueprint("dropin_pages", __name__)

__all__ = ["Refusal", "attempt", "blp", "done", "page", "tenant_url"]
