"""Billing periods: calendar months, named "YYYY-MM", in the tenant's own calendar.

A period may be billed once it has ended — or on its last day, which is when the monthly run
bills it (in arrears, "the last day of the month"). A month still under way is refused: its
lines are not known yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from velferd.clock import tenant_today
from velferd.errors import ValidationFailed
from velferd.models import Tenant

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def name(self) -> str:
        return f"{self.start:%Y-%m}"

    @classmethod
    def month_of(cls, day: dt.date) -> "Period":
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last))


def parse_period(value: str, field: str = "period") -> Period:
    """ "2026-10" → October 2026, or a 422 naming `field`."""
    match = PERIOD.match(value or "")
    if not match:
        raise ValidationFailed(f"'{value}' is not a period", {field: ["Write the month as YYYY-MM, e.g. 2026-10."]})
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        raise ValidationFailed(f"'{value}' is not a month", {field: ["The month must be 01-12 of a year from 2000."]})
    return Period.month_of(dt.date(year, month, 1))


def billable_period(tenant: Tenant, value: str, field: str = "period") -> Period:
    """The period named `value`, refused (422) while it has not reached its last day in the tenant's zone."""
    period = parse_period(value, field)
    today = tenant_today(tenant)
    if period.end > today:
        raise ValidationFailed(
            f"{period.name} cannot be billed before its last day ({period.end.isoformat()}, {tenant.time_zone})",
            {field: [f"The period has not ended; today is {today.isoformat()} in {tenant.time_zone}."]},
        )
    return period


def month_ending_today(tenant: Tenant) -> Period | None:
    """The month that ends today in the tenant's zone, or None when today is not a last day."""
    today = tenant_today(tenant)
    return Period.month_of(today) if (today + dt.timedelta(days=1)).day == 1 else None
