"""The costs page: a year's costs per service (the evaluation's numerator of the unit cost per
citizen per year), each service's total and the year's, in DKK exactly; the form that enters a
cost and a button that removes one — the API's ``costs`` routes (`costs.costs`,
`costs.total_by_service`, `costs.add_cost`, `costs.delete_cost`). Reading needs EVALUATION_READ,
the forms COSTS_MANAGE."""

from __future__ import annotations

from decimal import Decimal

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    form_fields,
    format_money,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import costs
from .cost_schemas import CostInput, CostQuery
from .manifest import COSTS_MANAGE, EVALUATION_READ
from .page_kit import Refusal, attempt, blp, done, page
from .services import SERVICE_TITLES

COST_FORM, YEAR_FORM = "cost", "costs-year"


@blp.app_template_filter("dropin_kroner")
def kroner(amount: Decimal | None, language: str) -> str:
    """``182 000,00 kr.`` in the page's language; "–" for none."""
    return "–" if amount is None else f"{format_money(Decimal(amount), language)}\u00a0kr."


def _costs_page(year: int, failed: Refusal | None = None, year_text: str | None = None):
    require_permission(EVALUATION_READ)
    totals = costs.total_by_service(year)
    mine = failed.of(COST_FORM) if failed else None
    return page("dropin/costs/costs.html", gettext("Costs %(year)s", year=year), failed.status if failed else 200,
                year=year, year_text=year_text if year_text is not None else str(year), rows=costs.costs(year),
                totals=totals, total=sum(totals.values(), costs.ZERO), services=costs.SERVICES,
                service_titles=SERVICE_TITLES, years=costs.years(), failed=failed,
                year_errors=failed.errors if failed and failed.of(YEAR_FORM) else {},
                may_manage=has_permission(COSTS_MANAGE), fields=form_fields(CostInput),
                values=mine.values if mine else {"year": str(year)}, errors=mine.errors if mine else {})


@blp.get("/costs")
def costs_page():
    """A year's costs (this year unless `year`), per service with the totals."""
    require_permission(EVALUATION_READ)
    try:
        query = CostQuery().load(request.args)
    except ValidationError as error:
        failed = Refusal(YEAR_FORM, ValidationFailed("the year is invalid", error.normalized_messages()),
                         form_fields(CostQuery), request.args)
        return _costs_page(costs.today_year(), failed, year_text=request.args.get("year", ""))
    return _costs_page(query["year"] or costs.today_year())


@blp.post("/costs")
def add_cost():
    """Enter a cost (the API's POST costs)."""
    require_permission(COSTS_MANAGE)
    created, refused = attempt(COST_FORM, CostInput, costs.add_cost)
    if refused:
        year = refused.values.get("year", "")
        return _costs_page(int(year) if str(year).isdigit() and costs.FIRST_YEAR <= int(year) <= costs.LAST_YEAR
                           else costs.today_year(), refused)
    return done(gettext("The cost %(label)s is entered.", label=created.label), "dropin_pages.costs_page",
                year=created.year)


@blp.post("/costs/<int:cost_id>/delete")
def delete_cost(cost_id: int):
    """Remove a cost (the API's DELETE costs/<id>)."""
    require_permission(COSTS_MANAGE)
    found = costs.cost(cost_id)
    year, label = found.year, found.label
    costs.delete_cost(found)
    return done(gettext("The cost %(label)s is removed.", label=label), "dropin_pages.costs_page", year=year)
