"""How invoices speak: numbers, money, dates and the stock phrases, in the tenant's language.

Every text a payer reads — the PDF, the e-mail, the EHF file's line names and payment terms, and
the line descriptions plugins write (`velferd.toolkit` exports these functions, so a plugin never
formats a krone or a date itself) — is formatted here, with Babel and the CLDR data of the
tenant's locale: ``24 338,00`` and ``01.03.2026`` in Norwegian, ``24.338,00`` in Danish.

Locales are the tenants' own codes: ``nb`` (Norwegian bokmål, Norway), ``da`` (Danish), and ``en``
(British English, for completeness). Babel writes a no-break space between the thousands and before
a unit; the texts here use an ordinary space instead, because they end up in places where an
invisible character only hurts: a search for "24 338,00" in a PDF reader, a finance CSV, the
Latin-1 font of the PDF.

Amounts are formatted with the document currency's ISO code (``24 338,00 NOK``), not the symbol:
"kr" is the symbol of both the Norwegian and the Danish krone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

from velferd.billing.document import round_money

BABEL_LOCALES = {"nb": "nb_NO", "da": "da_DK", "en": "en_GB"}
LOCALES = tuple(BABEL_LOCALES)
_INVISIBLE_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})

# The stock phrases of billing texts, per locale. ``{amount}`` is a formatted amount with its
# currency; ``{days}``/``{total}`` count calendar days. The catch-up's (billing.catch_up): the
# prefix of a line billed late for an earlier month, and the reason of its credit notes.
PHRASES = {
    "nb": {
        "per_month": "{amount} per måned",
        "part_of_month": "{days} av {total} dager × {amount} per måned",
        "monthly_price": "månedspris {year}",
        "payment_terms": "Netto {days} dager",
        "catch_up_line": "Etterfakturering {month}: {text}",
        "credited_item": "linje {position} ({period})",
        "no_longer_owed": "ikke lenger skyldig etter det som nå er registrert",
    },
    "da": {
        "per_month": "{amount} pr. måned",
        "part_of_month": "{days} af {total} dage × {amount} pr. måned",
        "monthly_price": "månedspris {year}",
        "payment_terms": "Netto {days} dage",
        "catch_up_line": "Efterfakturering {month}: {text}",
        "credited_item": "linje {position} ({period})",
        "no_longer_owed": "ikke længere skyldig efter det, der nu er registreret",
    },
    "en": {
        "per_month": "{amount} a month",
        "part_of_month": "{days} of {total} days × {amount} a month",
        "monthly_price": "monthly price {year}",
        "payment_terms": "Net {days} days",
        "catch_up_line": "Catch-up {month}: {text}",
        "credited_item": "line {position} ({period})",
        "no_longer_owed": "no longer owed as registered now",
    },
}


def locale_for(country: str) -> str:
    """The language of a seller in ``country``: Danish in Denmark, Norwegian bokmål otherwise.
    Used where no tenant is at hand (an EHF file speaks its seller's language)."""
    return "da" if country == "DK" else "nb"


def babel_locale(locale: str) -> str:
    """The CLDR locale of a tenant locale; ValueError naming the known ones otherwise."""
    try:
        return BABEL_LOCALES[locale]
    except KeyError:
        raise ValueError(f"locale must be one of {LOCALES}, not {locale!r}") from None


def _plain(text: str) -> str:
    return text.translate(_INVISIBLE_SPACES)


def format_money(amount: Decimal, locale: str) -> str:
    """An amount rounded to øre, without currency: ``12 500,00`` (nb), ``12.500,00`` (da)."""
    return _plain(format_decimal(round_money(amount), format="#,##0.00", locale=babel_locale(locale)))


def format_amount(amount: Decimal, currency: str, locale: str) -> str:
    """An amount with its ISO currency code where the locale puts the currency:
    ``24 338,00 NOK`` (nb), ``24.338,00 DKK`` (da), ``NOK 24,338.00`` (en)."""
    cldr = babel_locale(locale)
    pattern = Locale.parse(cldr).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("¤", "¤¤\u00a0") if pattern.startswith("¤") else pattern.replace("¤", "¤¤")
    return _plain(format_currency(round_money(amount), currency, format=pattern, locale=cldr,
                                  currency_digits=False))


def format_price(price: Decimal, locale: str) -> str:
    """A unit price as billed: two decimals, or more when the price has them (``333,335``)."""
    places = max(2, -Decimal(price).normalize().as_tuple().exponent)
    return _plain(format_decimal(Decimal(price), format="#,##0." + "0" * places, locale=babel_locale(locale)))


def format_quantity(quantity: Decimal, locale: str) -> str:
    """A quantity with the decimals it has and none it does not: ``1``, ``15``, ``2,5``."""
    places = max(0, -Decimal(quantity).normalize().as_tuple().exponent)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _plain(format_decimal(Decimal(quantity), format=pattern, locale=babel_locale(locale)))


def format_percent(rate: Decimal, locale: str) -> str:
    """A VAT rate given in percent (25 = 25 %): ``25 %`` (nb, da), ``25%`` (en)."""
    return _plain(_babel_percent(Decimal(rate) / 100, locale=babel_locale(locale), decimal_quantization=False))


def format_date(day: dt.date, locale: str) -> str:
    """The locale's short date with a four-digit year: ``01.03.2026`` (nb, da), ``01/03/2026`` (en)."""
    return _babel_date(day, format="short", locale=babel_locale(locale))


def format_period(start: dt.date, end: dt.date, locale: str) -> str:
    """``01.03.2026–31.03.2026``: both days count."""
    return f"{format_date(start, locale)}–{format_date(end, locale)}"


def phrase(key: str, locale: str, **values) -> str:
    """One of the stock `PHRASES` in ``locale``, filled in."""
    babel_locale(locale)
    return PHRASES[locale][key].format(**values)


def per_month_text(amount: Decimal, currency: str, locale: str) -> str:
    """``24 338,00 NOK per måned``."""
    return phrase("per_month", locale, amount=format_amount(amount, currency, locale))


def part_of_month_text(days: int, total: int, monthly: Decimal, currency: str, locale: str) -> str:
    """How a part month was charged: ``16 av 30 dager × 24 338,00 NOK per måned``."""
    return phrase("part_of_month", locale, days=days, total=total, amount=format_amount(monthly, currency, locale))


def monthly_price_text(year: int, locale: str) -> str:
    """``månedspris 2026``: the name of a year's monthly price."""
    return phrase("monthly_price", locale, year=year)


def payment_terms_text(days: int, locale: str) -> str:
    """``Netto 30 dager``."""
    return phrase("payment_terms", locale, days=days)


def format_month(day: dt.date, locale: str) -> str:
    """The month of ``day`` as the locale writes it in figures: ``09.2025`` (nb, da), ``09/2025`` (en)."""
    return format_skeleton("yMM", day, locale=babel_locale(locale))


def catch_up_line_text(month: dt.date, text: str, locale: str) -> str:
    """A line billed late for an earlier month: ``Etterfakturering 09.2025: <the plugin's text>``."""
    return phrase("catch_up_line", locale, month=format_month(month, locale), text=text)


def no_longer_owed_text(items: list[tuple[int, dt.date, dt.date]], locale: str) -> str:
    """The reason of a catch-up's credit note: the credited invoice's lines (position, service
    start, end) and why, in words finance reads beside the invoice it credits — ``linje 3
    (01.09.2025–30.09.2025): ikke lenger skyldig ...``; the credit note's own lines repeat what
    each one billed."""
    credited = "; ".join(phrase("credited_item", locale, position=position, period=format_period(start, end, locale))
                         for position, start, end in items)
    return f"{credited}: {phrase('no_longer_owed', locale)}"
