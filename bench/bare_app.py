"""The bare app the benches measure the platform against: the three case operations with plain
Flask + SQLAlchemy on the same rows, and nothing else.

Two ways in, so every bench compares against the very same code:

* `bare_app(database)`: in-process (bench/bench_cases.py drives it with Flask's test client);
* ``gunicorn -c python:velferd.gunicorn_conf 'bench.bare_app:from_environment()'``: served like the
  platform, by the production gunicorn settings, for bench/bench_load.py. The database URL comes
  from ``BARE_APP_DATABASE_URL``; not a ``VELFERD_*`` name, because the platform reads every one
  of those as a setting.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, abort, jsonify, request
from sqlalchemy.orm import contains_eager, joinedload, scoped_session, sessionmaker

#: The environment variable `from_environment` reads: the owner's URL of the bench database.
DATABASE_URL_VARIABLE = "BARE_APP_DATABASE_URL"


def bare_app(database) -> tuple[Flask, sa.Engine]:
    """The bare app on `database` (a `bench.bench_cases.Database`: its owner's URL), and its engine,
    so a bench can count its statements and dispose of it."""
    return bare_app_on(database.owner_url)


def from_environment() -> Flask:
    """gunicorn's app factory; each worker builds its own (``preload_app`` is off), so each has its
    own engine and pool, as the platform's workers do."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if not url:
        raise SystemExit(f"{DATABASE_URL_VARIABLE} is not set (the bench database's owner URL)")
    return bare_app_on(url)[0]


def bare_app_on(owner_url: str) -> tuple[Flask, sa.Engine]:
    """The same three operations on the same rows with plain Flask + SQLAlchemy (the same mapped
    classes, a plain Session, so none of velferd's session listeners run): no tenancy, auth,
    audit, plugins or marshmallow. It connects as the owner (a superuser here) because under the
    app role row-level security would hide every row unless it also set `velferd.tenant_id` per
    transaction — and that round trip is part of what is being measured on the platform side.
    The tenant is filtered with a plain WHERE, as a single-tenant app would filter by owner.
    The session is scoped per thread, so gunicorn's threaded workers serve it as they serve the
    platform."""
    from velferd.models import Case, CaseEvent, Person

    app = Flask("bare")
    engine = sa.create_engine(owner_url)
    Session = scoped_session(sessionmaker(engine, expire_on_commit=False))
    transitions = {"referred": ["assess", "decline"], "assessed": ["accept", "decline"],
                   "accepted": ["close"], "declined": ["close"], "closed": []}

    def iso(value):
        return value.isoformat() if value is not None else None

    def as_json(case, detail=False):
        person = case.person
        body = {
            "id": case.id, "person_id": case.person_id,
            "person_name": f"{person.given_name} {person.family_name}",
            "person_national_id": person.national_id[:6] + "*" * (len(person.national_id) - 6),
            "plugin": case.plugin, "workflow": case.workflow, "state": case.state,
            "assigned_to_id": case.assigned_to_id, "referring_unit_id": case.referring_unit_id,
            "created_at": iso(case.created_at), "updated_at": iso(case.updated_at), "closed_at": iso(case.closed_at),
        }
        if detail:
            body["available_transitions"] = transitions[case.state]
        return body

    @app.teardown_appcontext
    def remove_session(exc):
        Session.remove()

    @app.get("/bare/t/<int:tenant_id>/cases")
    def list_cases(tenant_id):
        limit, after_id = int(request.args.get("limit", 50)), int(request.args.get("after_id", 0))
        page = Session.scalars(
            sa.select(Case).join(Case.person).options(contains_eager(Case.person))
            .where(Case.tenant_id == tenant_id, Case.id > after_id).order_by(Case.id).limit(limit)
        ).all()
        full = len(page) == limit
        return jsonify(items=[as_json(c) for c in page], next_after_id=page[-1].id if full else None)

    @app.get("/bare/t/<int:tenant_id>/cases/<int:case_id>")
    def read_case(tenant_id, case_id):
        case = Session.scalar(
            sa.select(Case).options(joinedload(Case.person)).where(Case.id == case_id, Case.tenant_id == tenant_id)
        )
        if case is None:
            abort(404)
        return jsonify(as_json(case, detail=True))

    @app.post("/bare/t/<int:tenant_id>/cases")
    def create_case(tenant_id):
        data = request.get_json()
        person = Session.get(Person, data["person_id"])
        if person is None or person.tenant_id != tenant_id:
            abort(422)
        case = Case(tenant_id=tenant_id, person=person, plugin=data["plugin"], workflow="example_intake",
                    state="referred")
        Session.add(case)
        Session.flush()
        # the journal's "opened" event is domain data, not audit, so the bare side writes it too
        Session.add(CaseEvent(tenant_id=tenant_id, case_id=case.id, kind="opened", to_state=case.state))
        Session.commit()
        return jsonify(as_json(case, detail=True)), 201

    return app, engine
