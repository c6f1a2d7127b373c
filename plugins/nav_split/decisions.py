"""Reading the decision that currently governs a case: the latest allocation, meeting outcome or
override of either (decisions are never edited, so the newest one stands)."""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import Decision, db

from .manifest import PLUGIN_ID

ALLOCATION_RULE = "allocation"
MEETING_OUTCOME_RULE = "meeting_outcome"
GOVERNING_RULES = (ALLOCATION_RULE, MEETING_OUTCOME_RULE)


def effective_decision(case_id: int) -> Decision | None:
    return db.session.scalar(
        sa.select(Decision)
        .where(Decision.case_id == case_id, Decision.plugin == PLUGIN_ID, Decision.rule.in_(GOVERNING_RULES))
        .order_by(Decision.id.desc()).limit(1)
    )
