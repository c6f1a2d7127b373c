"""The budget's pages: a year's cost lines and financing (a budget that does not add up said so),
the occupancy by month against the assumption of one flat always empty, the forms that enter the
plan's budget and set a line, and the grant givers' report with its CSV download — the API's
``budget`` routes (`budget.summary`, `budget.occupancy_by_month`, `budget.budget_2009`,
`budget.set_line`, `budget.set_financing`, `grant_report.report`, `grant_report.csv_text`)."""

from __future__ import annotations

from decimal import Decimal

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    current_tenant,
    form_fields,
    format_money,
    gettext,
    has_permission,
    lazy_gettext,
    request,
    require_permission,
    submitted_data,
    tenant_today,
)

from . import budget, grant_report
from .budget_models import CAR_LEASE, EMPTY_FLAT_RENT, GRANT, OFFICE, OTHER, OWN_FUNDS, PARTNER, SALARIES, SUPERVISION
from .manifest import BUDGET_MANAGE, BUDGET_READ
from .operations_schemas import BudgetLineSchema, FinancingLineSchema, PlanBudgetSchema
from .page_kit import Refusal, attempt, blp, done, page

PLAN_FORM, LINE_FORM, FINANCING_FORM, YEAR_FORM = "plan", "line", "financing", "year"
LINE_TITLES = {SALARIES: lazy_gettext("Salaries incl. social costs"),
               SUPERVISION: lazy_gettext("Supervision and professional development"),
               OFFICE: lazy_gettext("Office, travel, activities"), CAR_LEASE: lazy_gettext("Car lease"),
               EMPTY_FLAT_RENT: lazy_gettext("Rent for empty flats"), OTHER: lazy_gettext("Other")}
FINANCING_TITLES = {GRANT: lazy_gettext("Grant"), OWN_FUNDS: lazy_gettext("The municipality's own funds"),
                    PARTNER: lazy_gettext("Partner"), OTHER: lazy_gettext("Other")}
MONTHS = (lazy_gettext("January"), lazy_gettext("February"), lazy_gettext("March"), lazy_gettext("April"),
          lazy_gettext("May"), lazy_gettext("June"), lazy_gettext("July"), lazy_gettext("August"),
          lazy_gettext("September"), lazy_gettext("October"), lazy_gettext("November"), lazy_gettext("December"))


@blp.app_template_filter("aftercare_kroner")
def kroner(amount: Decimal | None, language: str) -> str:
    """``1 650 000,00 kr`` in the page's language (``page_language()``); "–" for none."""
    return "–" if amount is None else f"{format_money(Decimal(amount), language)}\u00a0kr"


@blp.app_template_filter("aftercare_decimal")
def decimal_figure(value: Decimal | None, language: str) -> str:
    """A figure with 2 decimals (flat-months) in the page's language, without a currency."""
    return "–" if value is None else format_money(Decimal(value), language)


def _chosen_year(text: str | None) -> int:
    """The year asked for (``?year=``), else this year if it has a budget, else the latest one."""
    if text:
        try:
            return int(text)
        except ValueError:
            raise ValidationFailed("the year is invalid: year", {"year": ["must be a whole number"]}) from None
    this_year = tenant_today(current_tenant()).year
    listed = [found.year for found in budget.years()]
    return this_year if this_year in listed or not listed else listed[-1]


def _budget_page(year: int, refusal: Refusal | None = None):
    require_permission(BUDGET_READ)
    budget.check_year(year)
    listed = budget.years()
    found = next((b for b in listed if b.year == year), None)
    may_manage = has_permission(BUDGET_MANAGE)

    def mine(form_id: str) -> dict:
        own = refusal.of(form_id) if refusal else None
        return {"values": own.values if own else {}, "errors": own.errors if own else {}}

    return page(
        "aftercare/budget/year.html", gettext("Budget %(year)s", year=year), refusal.status if refusal else 200,
        year=year, years=[b.year for b in listed], totals=budget.summary(found) if found else None,
        occupancy=budget.occupancy_by_month(year, tenant_today(current_tenant()), found), months=MONTHS,
        line_titles=LINE_TITLES, financing_titles=FINANCING_TITLES, failed=refusal, may_manage=may_manage,
        plan_fields=form_fields(PlanBudgetSchema) if may_manage else [], plan_form=mine(PLAN_FORM),
        line_fields=form_fields(BudgetLineSchema) if may_manage and found else [], line_form=mine(LINE_FORM),
        financing_fields=form_fields(FinancingLineSchema) if may_manage and found else [],
        financing_form=mine(FINANCING_FORM),
    )


@blp.get("/budget", endpoint="budget")
def budget_year():
    """The year of ``?year=`` (default: this year's budget, else the latest)."""
    require_permission(BUDGET_READ)
    try:
        return _budget_page(_chosen_year(request.args.get("year")))
    except ValidationFailed:
        wrong = ValidationFailed("The year must be a whole number from 2000 to 2100.")
        return _budget_page(_chosen_year(None), Refusal(YEAR_FORM, wrong, (), request.args))


@blp.post("/budget/plan")
def plan_budget():
    """Enter the plan's budget for a year (idempotent), as the API's ``POST budget/plan``."""
    require_permission(BUDGET_MANAGE)
    described = form_fields(PlanBudgetSchema)
    try:
        data = PlanBudgetSchema().load(submitted_data(PlanBudgetSchema, request.form))
    except ValidationError as error:
        failed = ValidationFailed("the year is invalid", error.normalized_messages())
        return _budget_page(_chosen_year(None), Refusal(PLAN_FORM, failed, described, request.form))
    budget.budget_2009(current_tenant(), data["year"])
    return done(gettext("The plan's budget is entered for %(year)s.", year=data["year"]), "aftercare_pages.budget",
                year=data["year"])


def _set(year: int, schema, setter, form_id: str, confirmation: str):
    require_permission(BUDGET_MANAGE)
    found = budget.year_of(year)  # another year's (or municipality's) budget: 404 before any field
    _, refused = attempt(form_id, schema, lambda data: setter(found, data))
    if refused:
        return _budget_page(year, refused)
    return done(confirmation, "aftercare_pages.budget", year=year)


@blp.post("/budget/<int:year>/lines")
def set_line(year: int):
    """Set a cost line of the year."""
    return _set(year, BudgetLineSchema, budget.set_line, LINE_FORM, gettext("The cost line is saved."))


@blp.post("/budget/<int:year>/financing")
def set_financing(year: int):
    """Set the financing from a source."""
    return _set(year, FinancingLineSchema, budget.set_financing, FINANCING_FORM, gettext("The financing is saved."))


@blp.get("/budget/<int:year>/report")
def grant_report_page(year: int):
    """The grant givers' report for the year."""
    require_permission(BUDGET_READ)
    figures = grant_report.report(year, tenant_today(current_tenant()))
    return page("aftercare/budget/report.html", gettext("Report to the grant givers %(year)s", year=year),
                figures=figures, months=MONTHS, line_titles=LINE_TITLES, financing_titles=FINANCING_TITLES)


@blp.get("/budget/<int:year>/report.csv")
def grant_report_csv(year: int):
    """The same report as CSV (UTF-8), to download."""
    require_permission(BUDGET_READ)
    text = grant_report.csv_text(grant_report.report(year, tenant_today(current_tenant())))
    return text, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="aftercare-grant-report-{year}.csv"'}
