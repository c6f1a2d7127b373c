"""What nav_split's pages share: their blueprint (mounted by the core under
``/t/<tenant>/x/nav_split``, 404 where the plugin is not enabled), a permission test that does not
raise, and the answer to a refused POST — the page again with the reason and the service's status
(403 for a rule of who may act, 409 for a state that does not allow it, 422 for bad fields), the
error summary on top and the values as typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from velferd.toolkit import (
    PageBlueprint,
    current_tenant,
    db,
    error_summary,
    errors_by_input,
    flash,
    gettext,
    redirect,
    render_template,
    url_for,
)

from .authority import RuleRefusal

blp = PageBlueprint("nav_split_pages", __name__)



def tenant_url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, tenant=current_tenant().slug, **values)


def done(confirmation: str, endpoint: str, **values: Any):
    """POST/redirect/GET: the confirmation flashed, then the page that shows the change."""
    db.session.commit()
    flash(confirmation)
    return redirect(tenant_url(endpoint, **values) + "#confirmation")


def page(template: str, title: str, status: int = 200, **values: Any):
    return render_template(template, title=title, **values), status


def _reason(error) -> str:
    """The refusal's message in the page's language where it is a fixed text (a rule of who may
    act, a fixed conflict); one naming ids or values stays as the service wrote it."""
    if isinstance(error, RuleRefusal):
        return gettext("%(rule)s (you need the permission “%(permission)s”)", rule=gettext(error.rule),
                       permission=error.permission)
    return gettext(error.message)


class Refusal:
    """A refused form, for its page: the form's id, its values as typed, errors by input name
    ("" for the form itself) and the summary's links."""

    def __init__(self, form_id: str, error, described=(), values: Mapping[str, Any] | None = None):
        db.session.rollback()
        self.form_id, self.status, self.values = form_id, error.status, values or {}
        fields = getattr(error, "fields", None)
        if error.status == 422 and fields:
            self.errors = errors_by_input(list(described), fields)
        else:
            self.errors = {"": [_reason(error)]}
        self.summary = error_summary(list(described), self.errors, form_id)

    def of(self, form_id: str) -> "Refusal | None":
        return self if self.form_id == form_id else None
