"""CSV files people open in a spreadsheet: a text cell that begins like a formula (``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is run as one by Excel and LibreOffice — a centre named
``=HYPERLINK(…)`` would become a link in the finance officer's sheet (OWASP's "CSV injection").
`safe_row` writes such a cell with a leading apostrophe, which the spreadsheet shows as text; a
number, negative ones included, is left as it is."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe before a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]
