"""Retention: the rules and the tenant's periods, holds, the proposals awaiting two approvals,
and the disposal log (velferd.retention)."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import Id, Strict
from velferd.auth import current_user, requires
from velferd.clock import tenant_today
from velferd.db import db
from velferd.plugins.manager import registry
from velferd.plugins.specs import RETENTION_ACTIONS
from velferd.retention import actions
from velferd.retention.actions import HOLDABLE
from velferd.retention.models import (
    HOLD_KINDS,
    PROPOSAL_STATUSES,
    RetentionDisposal,
    RetentionHold,
    RetentionProposal,
)
from velferd.retention.proposals import approve, approver_ids
from velferd.retention.rules import check_declared_rules, tenant_rules
from velferd.tenancy import require_owned

blp = Blueprint("retention", __name__, url_prefix=f"{TENANT_PREFIX}/retention",
                description="Retention: rules, holds, disposal proposals and the disposal log")

@blp.record_once
def _check_rules(state) -> None:
    """The plugins' retention rules are checked when the app is built (start-up)."""
    check_declared_rules(state.app.extensions["velferd.plugins"])


class RetentionRuleSchema(Strict):
    name = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    plugin = fields.String(dump_only=True, allow_none=True, metadata={"description": "None: the core's rule"})
    record_type = fields.String(dump_only=True)
    after = fields.String(dump_only=True, metadata={"description": "the event the period counts from"})
    action = fields.String(dump_only=True, metadata={"enum": list(RETENTION_ACTIONS)})
    years = fields.Integer(required=True, validate=validate.Range(min=0, max=200),
                           metadata={"description": "the tenant's period, within min_years..max_years"})
    declared_years = fields.Integer(dump_only=True)
    min_years = fields.Integer(dump_only=True)
    max_years = fields.Integer(dump_only=True)
    adjusted = fields.Boolean(dump_only=True, metadata={"description": "the tenant has set its own period"})
    source = fields.String(dump_only=True, metadata={"description": "the law the rule and its bounds come from"})


def _rule_out(found) -> dict:
    rule = found.rule
    return {"name": rule.name, "title": rule.title, "plugin": found.plugin, "record_type": rule.record_type,
            "after": rule.after, "action": rule.action, "years": found.years, "declared_years": rule.years,
            "min_years": rule.min_years, "max_years": rule.max_years, "adjusted": found.adjusted,
            "source": rule.source}


@blp.get("/rules")
@requires("retention:read")
@blp.response(200, RetentionRuleSchema(many=True))
def list_rules():
    """The retention rules (the core's and the plugins') with this municipality's periods."""
    return [_rule_out(found) for found in tenant_rules(registry())]


@blp.put("/rules/<name>")
@requires("retention:manage")
@blp.arguments(RetentionRuleSchema)
@blp.response(200, RetentionRuleSchema)
def adjust_rule(data, name):
    """Set this municipality's period for a rule, within the rule's legal bounds (422 otherwise)."""
    found = actions.adjust_rule(registry(), name, data["years"], current_user().id)
    db.session.commit()
    return _rule_out(found)


class RetentionProposalSchema(Strict):
    id = fields.Integer(dump_only=True)
    rule = fields.String(dump_only=True)
    record_type = fields.String(dump_only=True)
    action = fields.String(dump_only=True, metadata={"enum": list(RETENTION_ACTIONS)})
    reason = fields.String(dump_only=True)
    record_ids = fields.List(fields.Integer(), dump_only=True)
    due_on = fields.Date(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(PROPOSAL_STATUSES)})
    approver_ids = fields.List(fields.Integer(), dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class RetentionProposalQuery(Strict):
    status = fields.String(validate=validate.OneOf(PROPOSAL_STATUSES))


def _proposal_out(proposal: RetentionProposal) -> dict:
    return {**{key: getattr(proposal, key) for key in ("id", "rule", "record_type", "action", "reason",
                                                        "record_ids", "due_on", "status", "created_at")},
            "approver_ids": approver_ids(proposal)}


@blp.get("/proposals")
@requires("retention:read")
@blp.arguments(RetentionProposalQuery, location="query", unknown=None)
@blp.response(200, RetentionProposalSchema(many=True))
def list_proposals(query):
    """Disposal proposals of the nightly job, newest first, with who has approved each."""
    stmt = sa.select(RetentionProposal).order_by(RetentionProposal.id.desc())
    if "status" in query:
        stmt = stmt.where(RetentionProposal.status == query["status"])
    return [_proposal_out(p) for p in db.session.scalars(stmt)]


@blp.post("/proposals/<int:proposal_id>/approvals")
@requires("retention:approve")
@blp.response(201, RetentionProposalSchema)
def approve_proposal(proposal_id):
    """Approve a proposal; the second member's approval carries it out (one member approves once)."""
    proposal = require_owned(RetentionProposal, proposal_id, "retention proposal")
    approve(tenant(), registry(), proposal, current_user().id, tenant_today(tenant()))
    db.session.commit()
    return _proposal_out(proposal)


class RetentionHoldSchema(Strict):
    id = fields.Integer(dump_only=True)
    record_type = fields.String(required=True, validate=validate.OneOf(sorted(HOLDABLE)))
    record_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(HOLD_KINDS),
                         metadata={"description": "legal_hold (litigation, inquiry) or appeal (klage) not decided"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    placed_by_id = fields.Integer(dump_only=True, allow_none=True)
    placed_at = fields.DateTime(dump_only=True)
    released_by_id = fields.Integer(dump_only=True, allow_none=True)
    released_at = fields.DateTime(dump_only=True, allow_none=True)


@blp.route("/holds")
class Holds(MethodView):
    @requires("retention:read")
    @blp.response(200, RetentionHoldSchema(many=True))
    def get(self):
        """Holds, standing and released, newest first."""
        return db.session.scalars(sa.select(RetentionHold).order_by(RetentionHold.id.desc())).all()

    @requires("retention:approve")
    @blp.arguments(RetentionHoldSchema)
    @blp.response(201, RetentionHoldSchema)
    def post(self, data):
        """Put a case, person or invoice on hold: no disposal touches it until released."""
        hold = actions.place_hold(data, current_user().id)
        db.session.commit()
        return hold


@blp.delete("/holds/<int:hold_id>")
@requires("retention:approve")
@blp.response(204)
def release_hold(hold_id):
    """Release a hold (the hold is kept, marked released)."""
    actions.release_hold(hold_id, current_user().id)
    db.session.commit()


class RetentionDisposalSchema(Strict):
    id = fields.Integer(dump_only=True)
    proposal_id = fields.Integer(dump_only=True)
    rule = fields.String(dump_only=True)
    record_type = fields.String(dump_only=True)
    action = fields.String(dump_only=True, metadata={"enum": list(RETENTION_ACTIONS)})
    record_ids = fields.List(fields.Integer(), dump_only=True)
    skipped = fields.List(fields.Dict(), dump_only=True,
                          metadata={"description": "records left alone, each with why: {id, reason}"})
    proposed_by_job_id = fields.Integer(dump_only=True, allow_none=True)
    approver_ids = fields.List(fields.Integer(), dump_only=True)
    packages = fields.List(fields.String(), dump_only=True,
                           metadata={"description": "archive packages written (deposit), under the instance folder"})
    at = fields.DateTime(dump_only=True)


@blp.get("/log")
@requires("retention:read")
@blp.response(200, RetentionDisposalSchema(many=True))
def disposal_log():
    """The disposal log, newest first: what was disposed of under which rule, and who approved it."""
    return db.session.scalars(sa.select(RetentionDisposal).order_by(RetentionDisposal.id.desc())).all()
