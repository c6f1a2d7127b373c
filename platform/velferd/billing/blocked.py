"""A period that cannot be billed until someone fixes a fact: what the run says to finance.

A plugin that cannot price a period (DUE: a municipal deflator year missing from its price
table) raises `CannotBill` (``velferd.toolkit.CannotBill``) naming what is missing and the role
that can fix it. Retrying cannot help until that person acts, so the error is *permanent*: the
run job fails at once instead of "retrying" for hours, and the run records the reason and the
role (``error``, ``fixed_by_role``) where finance reads it — the run's response and
``GET /invoice-runs/<id>``; finance has no access to ``/jobs``. Once the fact is fixed, finance
starts the run again (``POST /invoice-runs`` is safe to repeat).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from velferd.errors import Conflict


class CannotBill(Conflict):
    """The period cannot be billed yet; ``fixed_by`` is the role that can supply what is missing."""

    permanent = True
    fixed_by = "tenant_admin"

    def __init__(self, message: str, fields: Mapping[str, Any] | None = None, *, fixed_by: str | None = None):
        super().__init__(message, fields)
        if fixed_by is not None:
            self.fixed_by = fixed_by


def blocking_role(error: Exception) -> str | None:
    """The role that can unblock a run that failed with `error`, or None for any other fault."""
    return error.fixed_by if isinstance(error, CannotBill) else None
