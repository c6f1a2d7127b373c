"""How many times a request waits for PostgreSQL (issue 17), counted at the driver
(tests/round_trips.py, the bench's counter too): every message still goes to the real server."""

from __future__ import annotations

import pytest

from tests.helpers import add_person, open_case
from tests.round_trips import RoundTripCounter

pytestmark = pytest.mark.postgres


@pytest.fixture
def messages():
    """What the app sends to the server inside a call, one entry per round trip."""
    counter = RoundTripCounter()

    def counting(call):
        with counter.counting() as seen:
            response = call()
        return response, list(seen)

    yield counting
    counter.uninstall()


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
    assert not any(s.strip().lower() in ("select 1", "commit") for s in seen)  # no ping, no lone COMMIT


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
