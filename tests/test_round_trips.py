"""How many times a request waits for PostgreSQL (issue 17), counted at the driver: every psycopg
cursor execute, every command psycopg sends itself (BEGIN, COMMIT, ROLLBACK) and every
transaction start velferd sends (`velferd.driver_sql.begin_with`). The functions are wrapped,
not replaced: every message still goes to the real server."""

from __future__ import annotations

import functools

import psycopg
import pytest

from tests.helpers import add_person, open_case
from velferd import driver_sql

pytestmark = pytest.mark.postgres


@pytest.fixture
def messages(monkeypatch):
    """What the app sends to the server, one entry per round trip, while the list is not None."""
    sent: dict[str, list[str] | None] = {"now": None}

    def spy(owner, name, text_of):
        real = getattr(owner, name)

        @functools.wraps(real)
        def counted(*args, **kwargs):
            if sent["now"] is not None:
                sent["now"].append(" ".join(str(text_of(args)).split())[:60])
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    spy(psycopg.Cursor, "execute", lambda args: args[1])
    spy(psycopg.Connection, "_exec_command", lambda args: args[1])
    spy(driver_sql, "begin_with", lambda args: f"BEGIN; {args[1]}")

    def counting(call):
        sent["now"] = []
        try:
            response = call()
        finally:
            seen, sent["now"] = sent["now"], None
        return response, seen

    return counting


def test_a_read_waits_four_times_begin_with_the_tenant_the_caller_the_case_and_the_commit_with_its_audit_row(
        client, bergen, messages):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers)  # warm: the tenant's copy

    response, seen = messages(lambda: client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers))

    assert response.status_code == 200
    assert len(seen) == 4, seen
    assert seen[0].startswith("BEGIN; select set_config('velferd.tenant_id'")
    assert "api_token" in seen[1] and "case_file" in seen[2]
    assert seen[3].startswith("INSERT INTO audit_event")  # …; COMMIT, in the same message
    assert not any(s.strip().lower() in ("select 1", "b'commit'", "commit") for s in seen)  # no ping, no lone COMMIT


def test_a_page_waits_as_often_whatever_its_length(client, bergen, messages):
    person = add_person(client, bergen)
    open_case(client, bergen, person["id"])
    client.get(bergen.url("/cases?limit=50"), headers=bergen.caseworker.headers)
    _, one = messages(lambda: client.get(bergen.url("/cases?limit=50"), headers=bergen.caseworker.headers))
    for _ in range(9):
        open_case(client, bergen, add_person(client, bergen)["id"])

    response, ten = messages(lambda: client.get(bergen.url("/cases?limit=50"), headers=bergen.caseworker.headers))

    assert response.status_code == 200 and len(response.json["items"]) == 10
    assert len(ten) == len(one) == 4, (one, ten)
