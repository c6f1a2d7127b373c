"""A read's audit rows commit without waiting for the disk; anything else waits (velferd.commits).

Checked on PostgreSQL itself: at each commit the test asks the server what ``synchronous_commit``
is for the transaction being committed, just before the app sends the COMMIT.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.helpers import add_person, open_case
from velferd import audit, commits
from velferd.db import db
from velferd.models import AuditEvent, Unit
from velferd.tenancy import tenant_scope

pytestmark = pytest.mark.postgres


@pytest.fixture
def commit_modes(app):
    """The server's ``synchronous_commit`` at every commit the app makes, in order."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def at_commit(conn):
        cursor = conn.connection.cursor()
        cursor.execute("show synchronous_commit")
        seen.append(cursor.fetchone()[0])
        cursor.close()

    # the observer after the app's hook that may switch the setting back on, before the one that
    # writes the audit rows waiting for the COMMIT
    event.remove(engine, "commit", commits._write_pending_rows)
    event.listen(engine, "commit", at_commit)
    event.listen(engine, "commit", commits._write_pending_rows)
    yield seen
    event.remove(engine, "commit", at_commit)


def audit_rows(app, person_id: int) -> list[str]:
    with app.app_context():
        owner = sa.create_engine(app.config["MIGRATION_DATABASE_URL"])  # another connection, not the app's
        with owner.connect() as conn:
            rows = conn.scalars(sa.select(AuditEvent.action).where(AuditEvent.person_id == person_id)
                                .order_by(AuditEvent.id)).all()
        owner.dispose()
    return rows


def test_a_read_commits_its_audit_row_asynchronously_and_the_row_is_there(app, client, bergen, commit_modes):
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"])
    assert commit_modes and set(commit_modes) == {"on"}  # writing a person and a case waits for the disk
    assert "case.created" in audit_rows(app, person["id"])  # sent with the COMMIT, and committed

    commit_modes.clear()
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).status_code == 200
    assert commit_modes and set(commit_modes) == {"off"}
    assert audit_rows(app, person["id"])[-1] == "case.read"

    commit_modes.clear()
    assert client.get(bergen.url("/cases"), headers=bergen.caseworker.headers).status_code == 200
    assert commit_modes and set(commit_modes) == {"off"}
    assert audit_rows(app, person["id"])[-1] == "case.listed"


def test_a_read_request_that_writes_more_than_audit_rows_waits_for_the_disk(app, bergen, commit_modes):
    with app.test_request_context(bergen.url("/units"), method="GET"), tenant_scope(bergen.tenant):
        audit.record("case.read", "case", 1)
        db.session.commit()
        assert commit_modes[-1] == "off"

        db.session.add(Unit(name="Skrevet under en lesing", kind="other"))
        audit.record("unit.created", "unit", None)
        db.session.commit()
        assert commit_modes[-1] == "on"

        db.session.execute(sa.update(Unit).where(Unit.name == "Skrevet under en lesing").values(kind="housing"))
        db.session.commit()
        assert commit_modes[-1] == "on"


def test_writes_outside_read_requests_always_wait(app, bergen, commit_modes):
    with app.app_context(), tenant_scope(bergen.tenant):  # a task or a command
        audit.record("case.read", "case", 1)
        db.session.commit()
    with app.test_request_context(bergen.url("/units"), method="POST"), tenant_scope(bergen.tenant):
        audit.record("case.read", "case", 1)
        db.session.commit()
    assert commit_modes == ["on", "on"]


def test_audit_rows_waiting_for_a_commit_that_never_comes_are_not_written(app, bergen, commit_modes):
    with app.test_request_context(bergen.url("/units"), method="POST"), tenant_scope(bergen.tenant):
        audit.record("case.read", "case", 1, person_id=987654)
        db.session.rollback()
        audit.record("case.read", "case", 2, person_id=987655)
        db.session.commit()
    assert audit_rows(app, 987654) == []
    assert audit_rows(app, 987655) == ["case.read"]


def test_a_deployment_can_make_every_commit_wait(app, client, bergen, commit_modes):
    open_case(client, bergen, add_person(client, bergen)["id"])
    app.config["ASYNC_READ_COMMITS"] = False
    commit_modes.clear()
    assert client.get(bergen.url("/cases"), headers=bergen.caseworker.headers).status_code == 200
    assert commit_modes and set(commit_modes) == {"on"}


def test_audit_rows_go_with_the_commit_and_a_failing_row_takes_the_whole_transaction_with_it(app, bergen):
    """The audit INSERT and the COMMIT travel in one message: an audit row the server refuses
    (too long a record type) stops the COMMIT, so the unit written beside it is not kept either,
    and the session is usable again after the rollback."""
    with app.test_request_context(bergen.url("/units"), method="POST"), tenant_scope(bergen.tenant):
        db.session.add(Unit(name="Kept only with its audit row", kind="other"))
        db.session.flush()
        audit.record("unit.created", "x" * 61, 1, person_id=987656)
        with pytest.raises(sa.exc.DataError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)
                                 .where(Unit.name == "Kept only with its audit row")) == 0
        audit.record("unit.created", "unit", 1, person_id=987657)
        db.session.commit()
    assert audit_rows(app, 987656) == []
    assert audit_rows(app, 987657) == ["unit.created"]
