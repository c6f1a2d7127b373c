"""The expected qualification stipend (kvalifiseringsstønad) of a resident in NAV's qualification
programme.

Alta's project plan (5.5) quotes NAV's brochure: "Deltakere i Kvalifiseringsprogram har rett til
kvalifiseringsstønad Stønaden er, per 01.02.2008, kr. 133.600 pr. år For deltakere under 25 år er
stønaden 2/3 av full stønad Det gis barnetillegg på kr. 27,- pr. dag for 22 dager pr. måned Det må
betales skatt av stønaden". The full stipend is 2G a year, so

    yearly            = 2 × G in force on the day            (2/3 of that under 25 on the day)
    yearly (kroner)   = yearly rounded to whole kroner, half up
    yearly as stated  = yearly rounded to the nearest hundred kroner, half up (the brochure's way)
    monthly           = yearly (unrounded) / 12, to whole kroner, half up
    child supplement  = rate per day × 22 days × children, a month (the seed's rate: NOK 27)
    taxable           = always ("Det må betales skatt av stønaden")

On 01.02.2008 the G in force is the one from 1 May 2007, NOK 66,812: 2G = NOK 133,624 exactly,
which the brochure states as "kr. 133.600" — 133,624 rounded to the nearest hundred. Both come out:
`Stipend.yearly` is 133,624, `Stipend.yearly_as_stated` 133,600. (Rounded down to the hundred
gives the same figure; nearest hundred is the reading we state.)

The child supplement's NOK 27 a day is the 2008 rate, not a law of nature: it is a parameter
(`ChildRate`), `CHILD_RATE` being the seed's figure with its source; the programme keeps the rate
it was granted with (`QualificationProgramme.child_rate_per_day`, NOK 27 unless entered).

A period is computed **month by month** (`programme_months`): each calendar month the programme
covers, with the G in force and the age on the first day of the month it covers — G changes on
1 May, a first of the month, so a month never has two G's. A month only partly covered is that
share of the month (days covered / days in the month), to whole kroner, half up. Being under 25
is likewise judged on that first day: the full rate starts with the month after the 25th
birthday (our simplification; NAV pays per 14 days).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from velferd.toolkit import ValidationFailed

from .g_table import GTable

KRONE = Decimal("1")
HUNDRED = Decimal("1E2")
ORE = Decimal("0.01")
#: the full stipend is 2G a year; under 25 it is 2/3 of that
G_PER_YEAR = Decimal(2)
YOUNG_AGE = 25
#: "Det må betales skatt av stønaden"
TAXABLE = True


@dataclass(frozen=True)
class ChildRate:
    """The child supplement: `per_day` kroner for `days_per_month` days a month, per child."""

    per_day: Decimal
    days_per_month: int = 22
    source: str = ""

    @property
    def per_month(self) -> Decimal:
        return self.per_day * self.days_per_month


#: the seed's rate (2008), with its source
CHILD_RATE = ChildRate(Decimal("27"), 22, "NAV's brochure as quoted in Alta's project plan (5.5), per 01.02.2008: "
                                          "«Det gis barnetillegg på kr. 27,- pr. dag for 22 dager pr. måned»")


def kroner(amount: Decimal) -> Decimal:
    return amount.quantize(KRONE, rounding=ROUND_HALF_UP)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def yearly_exact(g: Decimal, under_25: bool) -> Decimal:
    """2G, or 2/3 of 2G — unrounded (2/3 is kept as a division, done once, here)."""
    full = G_PER_YEAR * g
    return full * 2 / 3 if under_25 else full


@dataclass(frozen=True)
class Stipend:
    """The expected stipend on one day (all kroner, Decimal)."""

    on: dt.date
    g: Decimal
    g_from: dt.date
    g_source: str
    age: int
    under_25: bool
    yearly_exact: Decimal       # 2G (2/3 of it under 25), to the øre
    yearly: Decimal             # whole kroner, half up
    yearly_as_stated: Decimal   # the nearest hundred kroner, half up, as NAV's brochure states it
    monthly: Decimal            # the unrounded yearly / 12, whole kroner, half up
    children: int
    child_rate_per_day: Decimal
    child_supplement_per_month: Decimal  # rate × days a month × children
    monthly_total: Decimal
    taxable: bool = TAXABLE


def expected_stipend(birth_date: dt.date, on: dt.date, children: int = 0, child_rate: ChildRate = CHILD_RATE,
                     table: GTable | None = None, field: str = "on") -> Stipend:
    """The stipend a participant born on `birth_date` with `children` children is expected to get
    on `on`. The G comes from the tenant's table (`table`, read when not given); a day it lacks is
    refused (422 naming `field` and the missing year)."""
    if children < 0:
        raise ValidationFailed("children cannot be negative", {"children": ["Must be 0 or more."]})
    g, row = (table or GTable.load()).on(on, field)
    age = age_on(birth_date, on)
    under_25 = age < YOUNG_AGE
    exact = yearly_exact(g, under_25)
    child = kroner(child_rate.per_month * children)
    monthly = kroner(exact / 12)
    return Stipend(on=on, g=g, g_from=row.effective_from, g_source=row.source, age=age, under_25=under_25,
                   yearly_exact=exact.quantize(ORE, rounding=ROUND_HALF_UP), yearly=kroner(exact),
                   yearly_as_stated=(exact / HUNDRED).quantize(KRONE, rounding=ROUND_HALF_UP) * HUNDRED,
                   monthly=monthly, children=children, child_rate_per_day=child_rate.per_day,
                   child_supplement_per_month=child, monthly_total=monthly + child)


@dataclass(frozen=True)
class MonthStipend:
    """One calendar month of a programme: the days it covers (inclusive), the stipend of that
    month's first covered day (`rate`), and the amounts for the days covered."""

    month: dt.date              # the first of the month
    first_day: dt.date
    last_day: dt.date
    days: int
    days_in_month: int
    rate: Stipend
    basic: Decimal
    child_supplement: Decimal
    total: Decimal


def _months(starts_on: dt.date, ends_on: dt.date):
    month = starts_on.replace(day=1)
    while month <= ends_on:
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        yield month, days_in_month, max(month, starts_on), min(month.replace(day=days_in_month), ends_on)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def programme_months(birth_date: dt.date, starts_on: dt.date, ends_on: dt.date, children: int = 0,
                     child_rate: ChildRate = CHILD_RATE, table: GTable | None = None) -> list[MonthStipend]:
    """The stipend month by month from `starts_on` to `ends_on` (the last day, inclusive), each month
    with the G in force on its first covered day (see the module docstring)."""
    if ends_on < starts_on:
        raise ValidationFailed("the programme ends before it starts",
                               {"ends_on": [f"Must be on or after the start, {starts_on.isoformat()}."]})
    table = table or GTable.load()
    out = []
    for month, days_in_month, first, last in _months(starts_on, ends_on):
        rate = expected_stipend(birth_date, first, children, child_rate, table, field="starts_on"
                                if first == starts_on else "ends_on")
        days = (last - first).days + 1
        share = Decimal(days) / days_in_month
        basic = rate.monthly if days == days_in_month else kroner(yearly_exact(rate.g, rate.under_25) / 12 * share)
        child = rate.child_supplement_per_month if days == days_in_month else kroner(
            child_rate.per_month * children * share)
        out.append(MonthStipend(month, first, last, days, days_in_month, rate, basic, child, basic + child))
    return out


def total(months: list[MonthStipend]) -> Decimal:
    return sum((month.total for month in months), Decimal(0))
