from tests.helpers import make_municipality, synthetic_id


def test_caseworker_registers_a_person_and_opens_a_case(app, client):
    bergen = make_municipality(app, "bergen")
    r = client.post(bergen.url("/persons"), json={"national_id": synthetic_id(), "given_name": "Ola", "family_name": "Nordmann"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    r = client.post(bergen.url("/cases"), json={"person_id": r.json["id"], "plugin": "example"}, headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    assert r.json["state"] == "referred"
    assert r.json["available_transitions"] == ["assess", "decline"]
