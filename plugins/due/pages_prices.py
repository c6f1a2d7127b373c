"""The price table (each year's monthly price from the base price and the deflators) and the
deflator table a tenant admin keeps: one year's figure with its source (``PUT deflators``), or
the published figures loaded for the years not yet in the table."""

from __future__ import annotations

from velferd.toolkit import current_user, db, form_fields, render_template, require_permission
from velferd.toolkit import gettext as _

from . import prices
from .manifest import PRICES_MANAGE, PRICES_READ
from .pages import Form, blp, done, loaded, page_url, posted, settings, today
from .schemas import DeflatorEntrySchema, YearPath


def _deflator_form() -> Form:
    return Form("deflator", form_fields(YearPath) + form_fields(DeflatorEntrySchema),
                values={"year": str(today().year)})


def _prices_page(form: Form | None = None):
    return render_template("due/prices.html", title=_("Prices and deflators"),
                           rows=prices.price_table(settings(), today().year), form=form or _deflator_form())


@blp.get("/prices")
def price_table():
    require_permission(PRICES_READ)
    return _prices_page()


@blp.post("/deflators")
def enter_deflator():
    """Enter or correct one year's municipal deflator (percent), naming its source."""
    require_permission(PRICES_MANAGE)

    def action():
        year = loaded(YearPath)["year"]
        entry = loaded(DeflatorEntrySchema)
        prices.enter_deflator(year, entry["percent"], entry["source"], current_user())
        return done(_("The deflator for %(year)s is saved.", year=year), page_url("price_table", _anchor="confirmation"))

    return posted(_prices_page, _deflator_form(), action)


@blp.post("/deflators/published")
def load_published():
    """Load the published figures (with their sources) for the years not yet in the table."""
    require_permission(PRICES_MANAGE)
    rows = prices.load_published(current_user())
    db.session.commit()
    return done(_("Published figures loaded: %(count)s.", count=len(rows)),
                page_url("price_table", _anchor="confirmation"))
