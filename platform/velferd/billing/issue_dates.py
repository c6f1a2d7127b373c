"""The date an invoice run's invoices carry: the tenant's choice for a run made after its period.

The scheduled run bills a month on its last day, so run day and period end are the same day. A
*catch-up* run — a period billed later, e.g. once a missing deflator was entered — differs: the
billing profile's ``catch_up_issue_date`` says whether its invoices are dated the day the run is
made (``run_day``, the default: the date they really were issued) or the last day of the billed
period (``period_end``: the month's invoices all carry the month's date in the ledger). The due
date always counts the payment terms from the day the invoice is actually issued, so a payer
never receives an invoice that is already overdue.
"""

from __future__ import annotations

import datetime as dt

from velferd.billing.periods import Period

CATCH_UP_ISSUE_DATES = ("run_day", "period_end")


def run_issue_date(setting: str | None, period: Period, run_day: dt.date) -> dt.date:
    """The issue date of the invoices a run made on `run_day` writes for `period`."""
    if setting == "period_end" and run_day > period.end:
        return period.end
    return run_day
