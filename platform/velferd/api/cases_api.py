"""Cases: open, list, read (audited), move through the workflow, journal, meetings, deadlines."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from velferd import audit, break_glass, cases
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.need_to_know_schemas import AccessGrantSchema, BreakGlassSchema, CasePlacementSchema
from velferd.api.schemas import (
    CaseCreateSchema,
    CaseDetailSchema,
    CaseEventSchema,
    CaseListQuery,
    CasePageSchema,
    DeadlineSchema,
    MeetingSchema,
    NoteSchema,
    TransitionSchema,
)
from velferd.auth import requires
from velferd.db import db
from velferd.models import Case, Deadline, Meeting

blp = Blueprint("cases", __name__, url_prefix=f"{TENANT_PREFIX}/cases", description="Cases")


@blp.route("")
class Cases(MethodView):
    @requires("cases:read")
    @blp.arguments(CaseListQuery, location="query", unknown=None)  # Strict: 422 on a typo
    @blp.response(200, CasePageSchema)
    def get(self, query):
        """A page of cases in id order, with the person's name and masked national id, in one query."""
        page = cases.list_cases(limit=query["limit"], after_id=query["after_id"], overdue=query["overdue"],
                                **{column: query.get(column) for column in ("plugin", "state", "person_id")})
        # audited per person shown (velferd.read_audit)
        full = len(page) == query["limit"]
        return {"items": page, "next_after_id": page[-1].id if full else None}

    @requires("cases:write")
    @blp.arguments(CaseCreateSchema)
    @blp.response(201, CaseDetailSchema)
    def post(self, data):
        """Open a case for a person in a plugin's workflow (its initial state)."""
        case = cases.open_case(tenant(), **data)
        db.session.commit()
        return case


def _case(case_id: int) -> Case:
    return cases.read_case(case_id)


def _case_to_change(case_id: int) -> Case:
    """A case about to be written to: the write's own audit row says what happened."""
    return cases.find_case(case_id)


@blp.get("/<int:case_id>")
@requires("cases:read")
@blp.response(200, CaseDetailSchema)
def read_case(case_id):
    """One case with the transitions it can take now (the read is audited)."""
    case = _case(case_id)
    db.session.commit()
    return case


@blp.put("/<int:case_id>/unit")
@requires("cases:write")
@blp.arguments(CasePlacementSchema)
@blp.response(200, CaseDetailSchema)
def place_case(data, case_id):
    """Give the case to the unit that is to hold it: its members may then know of it."""
    case = cases.place_case(_case_to_change(case_id), data["unit_id"])
    db.session.commit()
    return case


@blp.post("/<int:case_id>/break-glass")
@requires("cases:read")
@blp.arguments(BreakGlassSchema)
@blp.response(201, AccessGrantSchema)
def break_the_glass(data, case_id):
    """Open a case outside your need to know, for a stated reason: for a working day, audited,
    in the citizen's access log, and reported to the leaders of the unit that holds the case."""
    grant = break_glass.break_the_glass(case_id, data["reason"])
    db.session.commit()
    return grant


@blp.post("/<int:case_id>/transitions")
@requires("cases:write")
@blp.arguments(TransitionSchema)
@blp.response(200, CaseDetailSchema)
def transition_case(data, case_id):
    """Move the case along a transition of its workflow; 409 with the reason if it may not move."""
    case = cases.transition_case(tenant(), _case_to_change(case_id), data["transition"], data["data"], data["note"])
    db.session.commit()
    return case


@blp.route("/<int:case_id>/journal")
class Journal(MethodView):
    @requires("cases:read")
    @blp.response(200, CaseEventSchema(many=True))
    def get(self, case_id):
        """The case's journal: transitions and notes, oldest first."""
        entries = cases.journal(_case(case_id))
        db.session.commit()
        return entries

    @requires("cases:write")
    @blp.arguments(NoteSchema)
    @blp.response(201, CaseEventSchema)
    def post(self, data, case_id):
        """Add a note to the case's journal."""
        entry = cases.add_note(_case_to_change(case_id), data["text"])
        db.session.commit()
        return entry


def _case_children(model, case_id: int):
    case = _case(case_id)
    rows = db.session.scalars(sa.select(model).where(model.case_id == case.id).order_by(model.id)).all()
    db.session.commit()
    return rows


def _add_case_child(model, case_id: int, data: dict):
    case = _case_to_change(case_id)
    row = model(case_id=case.id, **data)
    db.session.add(row)
    db.session.flush()
    audit.record(f"{model.__tablename__}.created", model.__tablename__, row.id, person_id=case.person_id)
    db.session.commit()
    return row


@blp.route("/<int:case_id>/meetings")
class Meetings(MethodView):
    @requires("cases:read")
    @blp.response(200, MeetingSchema(many=True))
    def get(self, case_id):
        """The case's meetings."""
        return _case_children(Meeting, case_id)

    @requires("cases:write")
    @blp.arguments(MeetingSchema)
    @blp.response(201, MeetingSchema)
    def post(self, data, case_id):
        """Plan or record a meeting on the case: a time with its zone and, once held, who took part
        (``participants``: a role each, with a name and unit where they matter; never a national id)."""
        return _add_case_child(Meeting, case_id, data)


@blp.route("/<int:case_id>/deadlines")
class Deadlines(MethodView):
    @requires("cases:read")
    @blp.response(200, DeadlineSchema(many=True))
    def get(self, case_id):
        """The case's deadlines."""
        return _case_children(Deadline, case_id)

    @requires("cases:write")
    @blp.arguments(DeadlineSchema)
    @blp.response(201, DeadlineSchema)
    def post(self, data, case_id):
        """Set a deadline on the case."""
        return _add_case_child(Deadline, case_id, data)
