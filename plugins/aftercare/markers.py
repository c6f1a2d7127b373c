"""The no-op markers pybabel extracts: the toolkit's ``N_`` for a fixed English text kept as data
(a default step's name), and ``pgettext`` for a select list's value with its context — so the
plugin's catalogue holds them and a page shows them translated (``_(value)``)."""

from __future__ import annotations

from velferd.toolkit import N_

__all__ = ["N_", "pgettext"]


def pgettext(context: str, text: str) -> str:
    return text
