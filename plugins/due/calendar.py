"""Calendar arithmetic DUE's rules are written in: calendar months, inclusive day ranges, age.

"Two months' notice" and "a report every fourth month" count calendar months: the same day
number so many months on, or the month's last day where that month is shorter (notice given
31 December ends 28 February, or 29 in a leap year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on `day` (the birthday itself counts)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Span(NamedTuple):
    """Days from `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def overlap(self, first: dt.date | None, last: dt.date | None) -> "Span | None":
        """The part of this span from `first` to `last` (None: open-ended), or None if none."""
        start = max(self.first, first) if first else self.first
        end = min(self.last, last) if last else self.last
        return Span(start, end) if start <= end else None


def months_of(span: Span) -> list[Span]:
    """`span` cut at month boundaries."""
    pieces, first = [], span.first
    while first <= span.last:
        last = min(span.last, dt.date(first.year, first.month, days_in_month(first.year, first.month)))
        pieces.append(Span(first, last))
        first = last + dt.timedelta(days=1)
    return pieces


def whole_month(span: Span) -> bool:
    return span.first.day == 1 and span.last.day == days_in_month(span.last.year, span.last.month) \
        and (span.first.year, span.first.month) == (span.last.year, span.last.month)
