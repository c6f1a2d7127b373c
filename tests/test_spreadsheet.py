"""A CSV cell a spreadsheet would run as a formula is written as text; numbers stay numbers."""

import csv
import io

from velferd.spreadsheet import safe_row


def test_a_formula_like_text_gets_an_apostrophe_and_numbers_and_plain_text_do_not():
    row = safe_row(["=HYPERLINK(\"https://evil.example\")", "+47 123", "-cmd", "@SUM(A1)", "\tx", "-125.50", "-3",
                    "Café Broen", 12, None, "2 000,00"])
    assert row == ["'=HYPERLINK(\"https://evil.example\")", "'+47 123", "'-cmd", "'@SUM(A1)", "'\tx", "-125.50", "-3",
                   "Café Broen", 12, None, "2 000,00"]
    out = io.StringIO()
    csv.writer(out).writerow(row)
    assert out.getvalue().startswith('"\'=HYPERLINK')  # quoted for its inner quotes, the apostrophe first
