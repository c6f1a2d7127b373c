"""The citizen's documents (the access log, the data export) as plain A4 PDFs, made with fpdf2.

As the invoices (velferd.billing.pdf): fpdf2's built-in Helvetica, so the PDF renders the same on
every machine; it covers Latin-1, which has every Norwegian and Danish letter, and the rest is
written as its ASCII equivalent. Only layout lives here; the words come from velferd.privacy_texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

_NOT_LATIN_1 = str.maketrans({"–": "-", "—": "-", "‑": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                              "„": '"', "…": "...", "\u00a0": " ", "\u202f": " ", "€": "EUR", "×": "x"})
MARGIN = 16  # mm; A4 is 210 mm wide


def latin_1(text: str) -> str:
    return str(text).translate(_NOT_LATIN_1).encode("latin-1", "replace").decode("latin-1")


class PrivacyPdf:
    """A titled document of paragraphs, facts and tables."""

    def __init__(self, title: str, author: str, made_at: dt.datetime):
        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_margins(MARGIN, 16, MARGIN)
        self.pdf.set_auto_page_break(True, margin=16)
        self.pdf.set_creation_date(made_at)
        self.pdf.set_title(latin_1(title))
        self.pdf.set_author(latin_1(author))
        self.pdf.add_page()
        self.heading(title, size=16)

    def heading(self, text: str, size: float = 12) -> None:
        self.pdf.set_font("helvetica", "B", size)
        self.pdf.multi_cell(0, size * 0.5, latin_1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.pdf.set_font("helvetica", "", size)
        self.pdf.multi_cell(0, 4.8, latin_1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def facts(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, value in pairs:
            self.pdf.set_font("helvetica", "B", 9)
            self.pdf.cell(40, 5, latin_1(name))
            self.pdf.set_font("helvetica", "", 9)
            self.pdf.multi_cell(0, 5, latin_1(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def separator(self) -> None:
        self.pdf.set_draw_color(200, 200, 200)
        self.pdf.line(MARGIN, self.pdf.get_y(), self.pdf.w - MARGIN, self.pdf.get_y())
        self.pdf.ln(2)

    def table(self, headings: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float]) -> None:
        self.pdf.set_font("helvetica", "", 8)
        style = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
        with self.pdf.table(col_widths=tuple(widths), headings_style=style, line_height=4.2, padding=1,
                            first_row_as_headings=True, borders_layout="HORIZONTAL_LINES",
                            text_align="LEFT") as table:
            table.row([latin_1(h) for h in headings])
            for row in rows:
                table.row([latin_1(cell) for cell in row])
        self.pdf.ln(4)

    def render(self) -> bytes:
        return bytes(self.pdf.output())
