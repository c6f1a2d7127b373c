"""A case deposited to the archive is read-only in the live database: a note, a meeting or a
deadline on it is refused (409, nothing written), while reading it — and breaking the glass to read
it — still works."""

from __future__ import annotations

from tests.test_retention import approve, closed_case, journal_texts, proposal_for, run_the_nightly_job, town  # noqa: F401


def deposited_case(app, client, town) -> dict:
    r = client.post(town.url("/units"), json={"name": "Bergen barnevern", "kind": "child_welfare"},
                    headers=town.tenant_admin.headers)
    assert r.status_code == 201, r.json
    case = closed_case(app, client, town, years_ago=11, note="Melding fra skolen.", referring_unit_id=r.json["id"])
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.case", case["case_id"])
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201
    return case


def test_a_deposited_case_can_be_read_but_not_changed(app, client, town):  # noqa: F811
    case = deposited_case(app, client, town)
    url, headers = town.url(f"/cases/{case['case_id']}"), town.leader.headers

    r = client.post(f"{url}/journal", json={"text": "A late note."}, headers=headers)
    assert r.status_code == 409 and "deposited to the archive" in r.json["message"], r.json
    r = client.post(f"{url}/meetings", json={"kind": "network meeting", "starts_at": "2026-05-04T09:00:00+02:00"},
                    headers=headers)
    assert r.status_code == 409, r.json
    r = client.post(f"{url}/deadlines", json={"kind": "report", "due_on": "2026-06-01"}, headers=headers)
    assert r.status_code == 409, r.json
    assert "A late note." not in journal_texts(client, town, case["case_id"])
    assert client.get(url, headers=headers).status_code == 200
    r = client.post(f"{url}/break-glass", json={"reason": "The archive asked us to check the file."},
                    headers=town.caseworker.headers)
    assert r.status_code == 201, r.json


def test_a_corrected_person_is_anonymised_with_the_history_of_their_corrections(app, client, town):  # noqa: F811
    """A correction keeps the old value (art. 16's history); once the person's period is over,
    those old values are personal data like the rest and go with the anonymisation."""
    from velferd.models import Person
    from velferd.db import db
    from velferd.tenancy import tenant_scope

    old = closed_case(app, client, town, years_ago=12)
    r = client.patch(town.url(f"/persons/{old['person_id']}"), json={"given_name": "Karoline", "reason": "Misspelt"},
                     headers=town.caseworker.headers)
    assert r.status_code == 200, r.json
    run_the_nightly_job(app, town)
    proposal = proposal_for(client, town, "core.person", old["person_id"])
    for who in ("archivist", "tenant_admin"):
        assert approve(client, town, proposal, who).status_code == 201, who
    with app.app_context(), tenant_scope(town.tenant):
        person = db.session.get(Person, old["person_id"])
        assert person.given_name == "anonymised"
        history = client.get(town.url(f"/persons/{old['person_id']}/corrections"), headers=town.caseworker.headers).json
    assert "Karoline" not in str(history) and "Ola" not in str(history)
