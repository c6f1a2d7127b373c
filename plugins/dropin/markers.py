"""The no-op markers pybabel extracts (``N_``; ``pgettext`` for a choice): a fixed English text
kept as data — a default step's name, a select list's value — is marked where it is written, so
the plugin's catalogue holds it and a page can show it translated (``_(value)``)."""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802  (the marker pybabel extract knows)
    return text


def pgettext(context: str, text: str) -> str:
    return text
