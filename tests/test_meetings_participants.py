"""A case meeting records who took part — by role, with a name and unit where they matter — and
refuses, naming the field, what a caseworker could not have meant. Reading the meetings stays an
audited read of the person's records."""

from __future__ import annotations

import pytest

from tests.helpers import add_person, open_case, row_counts
from tests.read_audit_checks import audit_since, last_audit_id
from velferd.models import Meeting

WHO_CAME = [{"role": "youth"},
            {"role": "coordinator", "name": "Kari Koordinator", "unit": "DUE"},
            {"role": "referring_unit", "name": "Per Saksbehandler", "unit": "Barneverntjenesten Bergenhus"}]


@pytest.fixture
def person_and_case(client, bergen):
    person = add_person(client, bergen)
    return person, open_case(client, bergen, person["id"])


def _post(client, town, case_id, **changes):
    body = {"kind": "start_meeting", "starts_at": "2026-03-02T09:30:00+01:00", "held": True, **changes}
    return client.post(town.url(f"/cases/{case_id}/meetings"), json=body, headers=town.caseworker.headers)


def test_who_took_part_is_stored_and_read_back(client, bergen, person_and_case):
    _, case = person_and_case
    r = _post(client, bergen, case["id"], participants=WHO_CAME)
    assert r.status_code == 201, r.json
    listed = client.get(bergen.url(f"/cases/{case['id']}/meetings"), headers=bergen.caseworker.headers).json
    (meeting,) = listed
    assert [(p["role"], p["name"], p["unit"]) for p in meeting["participants"]] == [
        ("youth", None, None), ("coordinator", "Kari Koordinator", "DUE"),
        ("referring_unit", "Per Saksbehandler", "Barneverntjenesten Bergenhus")]


def test_a_meeting_without_participants_lists_none(client, bergen, person_and_case):
    _, case = person_and_case
    assert _post(client, bergen, case["id"]).status_code == 201
    (meeting,) = client.get(bergen.url(f"/cases/{case['id']}/meetings"), headers=bergen.caseworker.headers).json
    assert meeting["participants"] == []


@pytest.mark.parametrize(("participants", "field", "words"), [
    ([{"name": "Kari"}], "0", "role"),                                  # no role
    ([{"role": "youth"}, {"role": "uncle"}], "1", "Must be one of"),    # a role outside the vocabulary
    ([{"role": "coordinator", "name": "K" * 201}], "0", "name"),        # beyond the bounded length
    ([{"role": "youth", "national_id": "01010112345"}], "0", "national_id"),  # never asked for
    ([{"role": "other"}] * 51, "participants", "50"),                   # a bounded list
    ("youth, coordinator", "participants", "list"),                     # not a list
])
def test_bad_participants_are_422_naming_the_field_and_nothing_is_stored(app, client, bergen, person_and_case,
                                                                         participants, field, words):
    _, case = person_and_case
    before = row_counts(app, Meeting)
    r = _post(client, bergen, case["id"], participants=participants)
    assert r.status_code == 422, r.json
    assert "participants" in r.json["fields"]
    assert field in str(r.json["fields"]["participants"]) or field == "participants"
    assert words in str(r.json["fields"]), r.json
    assert row_counts(app, Meeting) == before


def test_reading_the_meetings_is_an_audited_read_of_the_person(app, client, bergen, person_and_case):
    person, case = person_and_case
    assert _post(client, bergen, case["id"], participants=WHO_CAME).status_code == 201
    before = last_audit_id(app, bergen)
    assert client.get(bergen.url(f"/cases/{case['id']}/meetings"), headers=bergen.caseworker.headers).status_code == 200
    (row,) = audit_since(app, bergen, before)  # one row for the one person shown
    assert (row.action, row.record_id, row.person_id) == ("case.read", str(case["id"]), person["id"])
    assert "Kari Koordinator" not in str(row.details)  # the audit names records, not who took part
