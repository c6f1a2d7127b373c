"""Marks texts for the plugin's catalogue without translating them where they are written: the
toolkit's ``N_``, and a ``pgettext`` that returns the value (a choice, with its context)."""

from __future__ import annotations

from velferd.toolkit import N_

__all__ = ["N_", "pgettext"]


def pgettext(context: str, text: str) -> str:
    return text
