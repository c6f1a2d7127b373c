"""The evaluation's surveys ("borgernes syn på indsatsen, medarbejdernes vurdering af
samarbejdet"): a citizen's and a staff member's answers recorded with scores 1–5 to fixed
questions; a score outside 1–5, an unknown question, no answer at all or a comment that identifies
someone is a 422 naming the field; `surveys.summary` counts, averages (2 decimals, half up) and
distributes per kind and question, over a period and per centre; the centre staff record but do
not read; Aarhus never sees Odense's answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from velferd_dropin import surveys

from tests.plugins.dropin.pages import X, page, text_of
from velferd.clock import tenant_today
from velferd.tenancy import tenant_scope


def centre(client, town, name="Café Vest"):
    r = client.post(town.url(f"{X}/centres"), headers=town.dropin_coordinator.headers,
                    json={"name": name, "ownership": "private"})
    assert r.status_code == 201, r.json
    return r.json["id"]


def answer(client, town, kind, centre_id, role="dropin_centre_staff", **body):
    return client.post(town.url(f"{X}/surveys/{kind}"), headers=town.staff[role].headers,
                       json={"centre_id": centre_id, "answered_on": "2026-03-01", **body})


def test_answers_are_recorded_and_summed_up_exactly(app, client, odense):
    cafe, vest = centre(client, odense), centre(client, odense, "Vest")
    for scores in ({"satisfied": 5, "respected": 4}, {"satisfied": 4, "respected": 4, "trust": 2},
                   {"satisfied": 4}):
        assert answer(client, odense, "citizen", cafe, **scores).status_code == 201
    r = answer(client, odense, "citizen", vest, satisfied=1, comment="Mere kaffe, tak", answered_on="2026-05-01")
    assert r.status_code == 201 and r.json["scores"] == {"satisfied": 1}
    assert answer(client, odense, "staff", cafe, role="dropin_outreach", cooperation=5, roles_clear=3).status_code == 201

    with app.app_context(), tenant_scope(odense.tenant):
        found = surveys.summary(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        satisfied = found["citizen"]["questions"]["satisfied"]
        assert (found["citizen"]["responses"], satisfied["answered"], satisfied["average"]) == (4, 4, Decimal("3.50"))
        assert satisfied["distribution"] == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}
        assert found["citizen"]["questions"]["knew_who"] == {"answered": 0, "average": None,
                                                             "distribution": dict.fromkeys(surveys.SCORES, 0)}
        assert found["citizen"]["comments"] == ["Mere kaffe, tak"]
        at_cafe = surveys.summary(dt.date(2026, 1, 1), dt.date(2026, 12, 31), cafe)
        assert at_cafe["citizen"]["questions"]["satisfied"]["average"] == Decimal("4.33")  # 13/3, half up
        assert surveys.summary(dt.date(2026, 4, 1), dt.date(2026, 12, 31))["citizen"]["responses"] == 1
        assert found["staff"]["questions"]["cooperation"]["average"] == Decimal("5.00")

    r = client.get(odense.url(f"{X}/surveys?start=2026-01-01&end=2026-12-31&centre_id={cafe}"),
                   headers=odense.dropin_coordinator.headers)
    assert r.status_code == 200, r.json
    assert r.json["citizen"]["questions"]["satisfied"] == {"answered": 3, "average": "4.33",
                                                           "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}}
    r = client.get(odense.url(f"{X}/surveys/responses?start=2026-05-01&end=2026-05-01"),
                   headers=odense.dropin_coordinator.headers)
    assert [one["comment"] for one in r.json] == ["Mere kaffe, tak"]


def test_bad_answers_are_refused_naming_the_field(client, odense):
    cafe = centre(client, odense)
    for kind, body, field in (("citizen", {"satisfied": 6}, "satisfied"), ("citizen", {"satisfied": 0}, "satisfied"),
                              ("citizen", {"cooperation": 3}, "cooperation"),  # a staff question
                              ("staff", {"satisfied": 3}, "satisfied"),
                              ("citizen", {}, "satisfied"),  # nothing answered
                              ("citizen", {"satisfied": 3, "comment": "Ring til mig på 20 30 40 50"}, "comment"),
                              ("citizen", {"satisfied": 3, "comment": "CPR 010190-1234"}, "comment"),
                              ("citizen", {"satisfied": 3, "comment": "skriv til ole@example.dk"}, "comment"),
                              ("citizen", {"satisfied": 3, "name": "Ole"}, "name"),
                              ("staff", {"cooperation": 3, "answered_on": "2026-02-30"}, "answered_on")):
        r = answer(client, odense, kind, cafe, **body)
        assert r.status_code == 422 and field in r.json["fields"], (kind, body, r.json)
    r = client.post(odense.url(f"{X}/surveys/citizen"), headers=odense.dropin_centre_staff.headers,
                    json={"answered_on": "2026-03-01", "satisfied": 3})
    assert r.status_code == 422 and "centre_id" in r.json["fields"]
    r = client.get(odense.url(f"{X}/surveys?start=2026-05-01&end=2026-04-01"), headers=odense.dropin_coordinator.headers)
    assert r.status_code == 422 and "end" in r.json["fields"]
    r = client.get(odense.url(f"{X}/surveys?start=2026-05-01"), headers=odense.dropin_coordinator.headers)
    assert r.status_code == 422 and "end" in r.json["fields"]


def test_who_may_record_and_read_and_aarhus_never_sees_odenses(client, odense, aarhus):
    cafe = centre(client, odense)
    assert answer(client, odense, "citizen", cafe, satisfied=5).status_code == 201
    r = client.get(odense.url(f"{X}/surveys?start=2026-01-01&end=2026-12-31"), headers=odense.dropin_centre_staff.headers)
    assert r.status_code == 403 and "dropin:evaluation:read" in r.json["message"]
    r = client.get(aarhus.url(f"{X}/surveys?start=2026-01-01&end=2026-12-31"), headers=aarhus.dropin_coordinator.headers)
    assert r.status_code == 200 and r.json["citizen"]["responses"] == 0
    r = client.get(aarhus.url(f"{X}/surveys?start=2026-01-01&end=2026-12-31&centre_id={cafe}"),
                   headers=aarhus.dropin_coordinator.headers)
    assert r.status_code == 404
    assert answer(client, aarhus, "citizen", cafe, satisfied=5).status_code == 404


def test_the_surveys_page(client, odense, browse):
    cafe = centre(client, odense)
    today = tenant_today(odense.tenant)
    staff = browse(odense, "dropin_centre_staff")
    path = page(odense, "/surveys")
    r = staff.get(path)
    assert r.status_code == 200 and "The citizens' view" in text_of(r) and "Show the summary" not in r.text
    r = staff.post(path + "/citizen", data={"centre_id": str(cafe), "answered_on": today.isoformat(), "satisfied": "9"})
    assert r.status_code == 422 and 'href="#survey-citizen-field-satisfied"' in r.text
    r = staff.post(path + "/citizen", data={"answered_on": today.isoformat(), "satisfied": "4"})
    assert r.status_code == 422 and 'href="#survey-citizen-field-centre-id"' in r.text
    r = staff.post(path + "/citizen", data={"centre_id": str(cafe), "answered_on": today.isoformat(),
                                            "satisfied": "4", "respected": "5", "comment": "Godt sted"})
    assert r.status_code == 302 and "The answers are recorded." in staff.get(r.headers["Location"]).text

    coordinator = browse(odense, "dropin_coordinator")
    r = coordinator.get(path)
    text = text_of(r)
    assert r.status_code == 200 and "1 answer" in text and "Godt sted" in text and 'scope="row"' in r.text
    assert coordinator.get(path + "?start=2026-05-01&end=2026-04-01").status_code == 422
    assert browse(odense, "caseworker").get(path).status_code == 403
