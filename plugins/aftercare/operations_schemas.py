"""Request and response schemas of the rota's and the budget's routes (and their page forms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from velferd.toolkit import fields, ma, validate

from .budget_models import FINANCING_KINDS, LINE_KINDS
from .rota_models import SHIFT_KINDS
from .strict import Strict

MAX_AMOUNT = Decimal("999999999999.99")  # NUMERIC(14, 2)


#: the dates the rota takes (a week of 9999-12-31 would run past the calendar)
DATES = validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31))


def _money(**kwargs) -> fields.Decimal:
    return fields.Decimal(places=2, as_string=True, **kwargs)


# --- the rota ---------------------------------------------------------------------------------------

class ShiftSchema(ma.Schema):
    id = fields.Integer()
    weekday = fields.Integer(metadata={"description": "0 Monday … 6 Sunday"})
    kind = fields.String(validate=validate.OneOf(SHIFT_KINDS))
    starts_at = fields.Time(format="%H:%M")
    ends_at = fields.Time(format="%H:%M", metadata={"description": "at or before the start: the next day"})
    hours = _money()
    active = fields.Boolean()
    note = fields.String(allow_none=True)


class FteRowSchema(ma.Schema):
    kind = fields.String()
    shifts_per_week = fields.Integer()
    hours_per_week = _money()
    counts_as_worked = fields.Boolean()


class FteSchema(ma.Schema):
    rows = fields.List(fields.Nested(FteRowSchema))
    worked_hours_per_week = _money()
    on_call_hours_per_week = _money()
    full_time_week = _money()
    full_time_source = fields.String()
    fte = _money()
    plan_fte = _money()


class PatternSchema(ma.Schema):
    shifts = fields.List(fields.Nested(ShiftSchema))
    fte = fields.Nested(FteSchema)


class ShiftUpdateSchema(Strict):
    starts_at = fields.Time(metadata={"title": "Starts at", "description": "HH:MM"})
    ends_at = fields.Time(metadata={"title": "Ends at", "description": "HH:MM; at or before the start: the next day"})
    active = fields.Boolean(metadata={"title": "In use"})
    note = fields.String(allow_none=True, validate=validate.Length(max=300))


class WeekQuery(Strict):
    week = fields.Date(load_default=None, validate=DATES, metadata={"title": "Week of",
                                                    "description": "any day of the week (default: this week)"})


class SlotSchema(ma.Schema):
    date = fields.Date()
    shift_id = fields.Integer()
    kind = fields.String()
    starts_at = fields.Time(format="%H:%M")
    ends_at = fields.Time(format="%H:%M")
    hours = _money()
    covered = fields.Boolean()
    assignment_id = fields.Integer(allow_none=True)
    user_id = fields.Integer(allow_none=True)
    user_name = fields.String(allow_none=True)


class DaySchema(ma.Schema):
    date = fields.Date()
    shifts = fields.List(fields.Nested(SlotSchema))


class WeekSchema(ma.Schema):
    week_start = fields.Date()
    days = fields.List(fields.Nested(DaySchema))
    uncovered = fields.List(fields.Nested(SlotSchema))
    worked_hours = _money()


class RotaAssignmentSchema(Strict):
    """Who works a shift on a date (the pattern's shift of that date's weekday)."""

    works_on = fields.Date(required=True, validate=DATES, metadata={"title": "Date"})
    shift_id = fields.Integer(required=True, strict=True, metadata={"title": "Shift"})
    user_id = fields.Integer(required=True, strict=True, metadata={"title": "Staff member"})


class RotaAssignmentOutSchema(ma.Schema):
    id = fields.Integer()
    shift_id = fields.Integer()
    works_on = fields.Date()
    user_id = fields.Integer()
    assigned_by_id = fields.Integer(allow_none=True)
    assigned_at = fields.DateTime()


class UncoveredQuery(Strict):
    start = fields.Date(load_default=None, data_key="from", validate=DATES, metadata={"description": "default: today"})
    days = fields.Integer(load_default=14, validate=validate.Range(min=1, max=62))


# --- the budget -------------------------------------------------------------------------------------

class BudgetYearCreateSchema(Strict):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    note = fields.String(allow_none=True, validate=validate.Length(max=300))


class PlanBudgetSchema(Strict):
    year = fields.Integer(load_default=2009, strict=True, validate=validate.Range(min=2000, max=2100),
                          metadata={"title": "Year", "description": "the plan's figures, in 2009 prices"})


class BudgetLineSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(LINE_KINDS), metadata={"title": "Cost line"})
    amount = _money(required=True, validate=validate.Range(min=0, max=MAX_AMOUNT),
                    metadata={"title": "Amount (NOK a year)"})
    note = fields.String(allow_none=True, validate=validate.Length(max=300))


class FinancingLineSchema(Strict):
    source = fields.String(required=True, validate=validate.Length(min=1, max=200),
                           metadata={"title": "Source", "description": "who finances, e.g. Finnmarkskollektivet"})
    kind = fields.String(required=True, validate=validate.OneOf(FINANCING_KINDS), metadata={"title": "Kind"})
    amount = _money(required=True, validate=validate.Range(min=0, max=MAX_AMOUNT),
                    metadata={"title": "Amount (NOK a year)"})
    note = fields.String(allow_none=True, validate=validate.Length(max=300))


class BudgetLineOutSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    amount = _money()
    note = fields.String(allow_none=True)


class FinancingLineOutSchema(ma.Schema):
    id = fields.Integer()
    source = fields.String()
    kind = fields.String()
    amount = _money()
    note = fields.String(allow_none=True)


class BudgetSchema(ma.Schema):
    year = fields.Integer()
    note = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(BudgetLineOutSchema))
    financing = fields.List(fields.Nested(FinancingLineOutSchema))
    cost_total = _money()
    financing_total = _money()
    difference = _money(metadata={"description": "financing minus costs; 0 when the budget balances"})
    balanced = fields.Boolean()


class BudgetYearSchema(ma.Schema):
    id = fields.Integer()
    year = fields.Integer()
    note = fields.String(allow_none=True)


class MonthSchema(ma.Schema):
    month = fields.Integer()
    days = fields.Integer()
    flats = fields.Integer()
    provisional = fields.Boolean()
    occupied_flat_months = _money()
    empty_flat_months = _money()
    budgeted_empty_flat_months = _money()
    difference_flat_months = _money()
    empty_flat_rent = _money(allow_none=True)
    budgeted_rent = _money(allow_none=True)
    difference_rent = _money(allow_none=True)


class OccupancySchema(ma.Schema):
    year = fields.Integer()
    flats = fields.Integer()
    months = fields.List(fields.Nested(MonthSchema))
    monthly_rent_per_flat = _money(allow_none=True)
    occupied_flat_months = _money()
    empty_flat_months = _money()
    budgeted_empty_flat_months = _money()
    difference_flat_months = _money()
    empty_flat_rent = _money(allow_none=True)
    budgeted_rent = _money(allow_none=True)
    difference_rent = _money(allow_none=True)
    rounding = fields.String()


class EmptyFlatRentSchema(ma.Schema):
    budget_line = _money(allow_none=True)
    actual = _money(allow_none=True)
    difference = _money(allow_none=True)


class GrantReportSchema(ma.Schema):
    year = fields.Integer()
    budget = fields.Nested(BudgetSchema)
    occupancy = fields.Nested(OccupancySchema)
    residents = fields.Integer()
    empty_flat_rent = fields.Nested(EmptyFlatRentSchema)
    provisional = fields.Boolean()

