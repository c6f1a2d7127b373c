"""Odense's demo: the two drop-in centres with their cooperation agreements, one of them without
a private room for confidential talks, so a visitor sees the flag. The published week, contacts,
meetings and activities come with those parts."""

from __future__ import annotations

from . import centres


def seed(tenant, staff) -> None:
    """Create the demo centres once (`centres.odense_centres` is idempotent)."""
    centres.odense_centres(tenant)
