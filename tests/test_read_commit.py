"""A read's audit rows commit without waiting for the disk; anything else waits (velferd.read_commit).

Checked on PostgreSQL itself: at each commit the test asks the server what ``synchronous_commit``
is for the transaction being committed, just before the app sends the COMMIT.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.helpers import add_person, open_case
from velferd import audit, read_commit
from velferd.db import db
from velferd.models import AuditEvent, Unit
from velferd.tenancy import tenant_scope

pytestmark = pytest.mark.postgres


@pytest.fixture
def commits(app):
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
    # sends the COMMIT (pipelined with the audit rows)
    event.remove(engine, "commit", read_commit._send_pending_with_commit)
    event.listen(engine, "commit", at_commit)
    event.listen(engine, "commit", read_commit._send_pending_with_commit)
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


def test_a_read_commits_its_audit_row_asynchronously_and_the_row_is_there(app, client, bergen, commits):
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"])
    assert commits and set(commits) == {"on"}  # writing a person and a case waits for the disk

    commits.clear()
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).status_code == 200
    assert commits and set(commits) == {"off"}
    assert audit_rows(app, person["id"])[-1] == "case.read"

    commits.clear()
    assert client.get(bergen.url("/cases"), headers=bergen.caseworker.headers).status_code == 200
    assert commits and set(commits) == {"off"}
    assert audit_rows(app, person["id"])[-1] == "case.listed"


def test_a_read_request_that_writes_more_than_audit_rows_waits_for_the_disk(app, bergen, commits):
    with app.test_request_context(bergen.url("/units"), method="GET"), tenant_scope(bergen.tenant):
        audit.record("case.read", "case", 1)
        db.session.commit()
        assert commits[-1] == "off"

        db.session.add(Unit(name="Skrevet under en lesing", kind="other"))
        audit.record("unit.created", "unit", None)
        db.session.commit()
        assert commits[-1] == "on"

        db.session.execute(sa.update(Unit).where(Unit.name == "Skrevet under en lesing").values(kind="housing"))
        db.session.commit()
        assert commits[-1] == "on"


def test_writes_outside_read_requests_always_wait(app, bergen, commits):
    with app.app_context(), tenant_scope(bergen.tenant):  # a task or a command
        audit.record("case.read", "case", 1)
        db.session.commit()
    with app.test_request_context(bergen.url("/units"), method="POST"), tenant_scope(bergen.tenant):
        audit.record("case.read", "case", 1)
        db.session.commit()
    assert commits == ["on", "on"]
