"""Agreed extra resources (guideline 5.4): when a youth needs more than the measure usually gives
(a reinforced measure, a miljøarbeider), it is agreed in advance and billed on top of the price.

Recorded by a leader (``due:extra:approve``) with the date of approval, which must be on or
before the first day it covers ("in advance"). The amount is per month for the period, billed
monthly in arrears on its own line to the unit paying on those days, by calendar days in a month
the period only partly covers — the same rule as the price.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Case, Conflict, Tenant, User, ValidationFailed, audit, db, tenant_today

from .models import ExtraResource
from .workflow import ACTIVE, AWAITING_VEDTAK, OFFERED, placement_of


def approve(tenant: Tenant, case: Case, data: Mapping[str, Any], actor: User | None) -> ExtraResource:
    if case.state not in (OFFERED, AWAITING_VEDTAK, *ACTIVE):
        raise Conflict(f"case {case.id} is {case.state}; extra resources are agreed for an offered or running measure")
    errors = {}
    if data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = ["must be on or after starts_on"]
    if data["approved_on"] > data["starts_on"]:
        errors["approved_on"] = ["extra resources are approved in advance: on or before starts_on"]
    if data["approved_on"] > tenant_today(tenant):
        errors["approved_on"] = ["must not be after today"]
    placement = placement_of(case.id)
    if placement is not None and data["starts_on"] < placement.start_on:
        errors["starts_on"] = [f"must be on or after the start date {placement.start_on.isoformat()}"]
    if errors:
        raise ValidationFailed("the extra resources are not valid: " + ", ".join(sorted(errors)), errors)
    extra = ExtraResource(case_id=case.id, approved_by_id=actor.id if actor else None, **data)
    db.session.add(extra)
    db.session.flush()
    audit.record("due.extra_resource_approved", "due_extra_resource", extra.id, person_id=case.person_id,
                 details={"monthly_amount": str(extra.monthly_amount)})
    return extra


def extras_of(case_id: int) -> list[ExtraResource]:
    return list(db.session.scalars(sa.select(ExtraResource).where(ExtraResource.case_id == case_id)
                                   .order_by(ExtraResource.starts_on, ExtraResource.id)))
