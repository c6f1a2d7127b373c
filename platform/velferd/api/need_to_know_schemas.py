"""Schemas of need-to-know access: where a member works, where a case is held, breaking the glass."""

from __future__ import annotations

from marshmallow import fields, validate

from velferd.api.quick_dump import QuickDump
from velferd.api.schemas import Id, Strict


class MemberWorkSchema(Strict):
    unit_ids = fields.List(Id(), required=True, validate=validate.Length(max=50),
                           metadata={"description": "the units the member works in"})
    programmes = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list,
                             validate=validate.Length(max=20),
                             metadata={"description": "plugin ids; empty: every programme the municipality runs"})


class CasePlacementSchema(Strict):
    unit_id = Id(required=True, allow_none=True, metadata={"description": "the unit to hold the case; null: none"})


class BreakGlassSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=10, max=2000), metadata={
        "description": "why you must open a case outside your work; shown to the unit's leaders and in "
                       "the citizen's access log"})


class AccessGrantSchema(QuickDump):
    id = fields.Integer()
    user_id = fields.Integer()
    case_id = fields.Integer()
    reason = fields.String()
    granted_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    reviewed_by_id = fields.Integer(allow_none=True)
    reviewed_at = fields.AwareDateTime(allow_none=True)
