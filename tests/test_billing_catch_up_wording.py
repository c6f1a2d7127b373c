"""The catch-up's texts in each tenant language (billing.wording): what a Danish or an English
reader sees on a line billed late and on the reason of a catch-up's credit note."""

from __future__ import annotations

import datetime as dt

import pytest

from velferd.billing.wording import catch_up_line_text, no_longer_owed_text

SEPTEMBER = dt.date(2025, 9, 1)
ITEMS = [(1, dt.date(2025, 9, 1), dt.date(2025, 9, 30)), (4, dt.date(2025, 10, 1), dt.date(2025, 10, 31))]


@pytest.mark.parametrize("locale, expected", [
    ("nb", "Etterfakturering 09.2025: DUE september"),
    ("da", "Efterfakturering 09.2025: DUE september"),
    ("en", "Catch-up 09/2025: DUE september"),
])
def test_a_catch_up_line_names_its_month_in_the_tenants_language(locale, expected):
    assert catch_up_line_text(SEPTEMBER, "DUE september", locale) == expected


@pytest.mark.parametrize("locale, expected", [
    ("nb", "linje 1 (01.09.2025–30.09.2025); linje 4 (01.10.2025–31.10.2025): "
           "ikke lenger skyldig etter det som nå er registrert"),
    ("da", "linje 1 (01.09.2025–30.09.2025); linje 4 (01.10.2025–31.10.2025): "
           "ikke længere skyldig efter det, der nu er registreret"),
    ("en", "line 1 (01/09/2025–30/09/2025); line 4 (01/10/2025–31/10/2025): "
           "no longer owed as registered now"),
])
def test_a_catch_up_credit_reason_names_each_item_and_why_in_the_tenants_language(locale, expected):
    assert no_longer_owed_text(ITEMS, locale) == expected


def test_an_unknown_locale_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="locale must be one of"):
        catch_up_line_text(SEPTEMBER, "x", "sv")
