"""What a member does to retention by hand, each audited: set a rule's period, place a hold,
release one. One function each, so the API's views (velferd.api.retention_api) and the pages
(velferd.web.retention_pages) do the same thing; the permission checks stay with the callers.
The caller commits.
"""

from __future__ import annotations

from typing import Any

from velferd import audit
from velferd.db import db, utcnow
from velferd.errors import Conflict, ValidationFailed
from velferd.models import Case, Invoice, Person
from velferd.plugins.manager import PluginRegistry
from velferd.retention.models import RetentionHold
from velferd.retention.rules import TenantRule, adjust
from velferd.tenancy import get_owned, require_owned

#: what a hold may name, and the model its id is of
HOLDABLE = {"case": Case, "person": Person, "invoice": Invoice}


def adjust_rule(plugins: PluginRegistry, name: str, years: int, actor_id: int | None) -> TenantRule:
    """The tenant's period for rule `name` (422 naming ``years`` outside its legal bounds), audited."""
    found = adjust(plugins, name, years, actor_id)
    audit.record("retention.rule_adjusted", "retention_rule", name, details={"years": years})
    return found


def place_hold(data: dict[str, Any], actor_id: int | None) -> RetentionHold:
    """Hold a case, person or invoice of this municipality (`data` as `RetentionHoldSchema` loads
    it): no disposal touches it until released. A record that does not exist here is a 422
    naming ``record_id``. Finds the record whatever the caller's need-to-know scope: a hold is
    placed by the archivist for the whole municipality."""
    if get_owned(HOLDABLE[data["record_type"]], data["record_id"]) is None:
        raise ValidationFailed("the record to hold does not exist",
                               {"record_id": [f"no {data['record_type']} {data['record_id']}"]})
    hold = RetentionHold(**data, placed_by_id=actor_id)
    db.session.add(hold)
    db.session.flush()
    audit.record("retention.hold_placed", "retention_hold", hold.id,
                 details={"record_type": hold.record_type, "record_id": hold.record_id, "kind": hold.kind})
    return hold


def release_hold(hold_id: int, actor_id: int | None) -> RetentionHold:
    """Release a hold (kept, marked released); 409 when it was released already."""
    hold = require_owned(RetentionHold, hold_id, "retention hold")
    if hold.released_at is not None:
        raise Conflict(f"retention hold {hold_id} was released already")
    hold.released_at, hold.released_by_id = utcnow(), actor_id
    audit.record("retention.hold_released", "retention_hold", hold.id,
                 details={"record_type": hold.record_type, "record_id": hold.record_id})
    return hold
