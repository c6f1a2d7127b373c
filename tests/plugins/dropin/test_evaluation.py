"""The evaluation report (GET evaluation?start=&end=), the unit cost per citizen per year (GET
evaluation/cost-per-citizen?year=) and the citizens reached (GET evaluation/reach), with exact
figures built from contacts, statutory meetings, costs and survey answers recorded through the
API: "Man får fat i borgere, som man ikke havde kendskab til i forvejen, og kontakten bliver
skabt tidligere end før"; "væsentligt færre udeblivelser [...] på værestedet frem for på
kommunen"; "Enhedsudgifterne [...] pr. borger, der anvender tilbuddet"; the citizens' view and
the staff's assessment. Bad or missing dates are a 422 naming the field; EVALUATION_READ only;
Aarhus never sees Odense's figures."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.contact_flows import DAY, add_centre, add_contact, give_consent
from tests.plugins.dropin.pages import X

YEAR = 2025
PERIOD = f"start={YEAR}-01-01&end={YEAR}-12-31"


def on(month: int, day: int, year: int = YEAR) -> str:
    return dt.date(year, month, day).isoformat()


def get(client, town, path, role="dropin_coordinator"):
    return client.get(town.url(f"{X}{path}"), headers=town.staff[role].headers)


def meeting(client, town, meets_on, attendance, service="case_processing", centre_id=None):
    body = {"service": service, "subject": "Opfølgningssamtale", "meets_on": meets_on, "meets_at": "10:00",
            "place": "centre" if centre_id else "office", "centre_id": centre_id,
            "chosen_by_citizen": bool(centre_id), "attendance": attendance}
    if service == "case_processing":
        body["administration"] = "jobcenter"
    r = client.post(town.url(f"{X}/meetings"), headers=town.dropin_coordinator.headers, json=body)
    assert r.status_code == 201, r.json


def cost(client, town, service, label, amount, year=YEAR):
    r = client.post(town.url(f"{X}/costs"), headers=town.dropin_coordinator.headers,
                    json={"year": year, "service": service, "label": label, "amount": amount})
    assert r.status_code == 201, r.json


def survey(client, town, kind, centre_id, answered_on, **scores):
    r = client.post(town.url(f"{X}/surveys/{kind}"), headers=town.dropin_coordinator.headers,
                    json={"centre_id": centre_id, "answered_on": answered_on, **scores})
    assert r.status_code == 201, r.json


def build(client, town):
    """Two centres with contacts, meetings and survey answers in 2025, and the costs of 2025 and
    2024 (the figures every test below asserts)."""
    cafe, broen = add_centre(client, town), add_centre(client, town, "Broen")
    add_contact(client, town, cafe, contact_on=on(3, 3), citizen_code="K1", service="case_processing",
                previously_known="no", first_contact="yes")
    add_contact(client, town, cafe, contact_on=on(4, 1), citizen_code="K1", service="skp", previously_known="yes")
    add_contact(client, town, cafe, contact_on=on(5, 5), citizen_code="K2", service="case_processing",
                previously_known="yes", first_contact="yes")
    add_contact(client, town, cafe, contact_on=on(6, 6), service="centre", previously_known="no")  # no code
    add_contact(client, town, broen, contact_on=on(7, 7), citizen_code="K1", service="case_processing")
    add_contact(client, town, broen, contact_on=on(8, 8), citizen_code="K3", service="skp",
                previously_known="no", first_contact="yes")
    add_contact(client, town, cafe, contact_on=on(12, 31, 2024), citizen_code="K2", service="case_processing")
    # meetings: at Café Vest 2 held, 1 no-show; at Broen 1 held; at the office 3 held, 2 no-shows
    meeting(client, town, on(3, 10), "attended", centre_id=cafe)
    meeting(client, town, on(3, 17), "no_show", centre_id=cafe)
    meeting(client, town, on(3, 11), "no_show")
    meeting(client, town, on(3, 12), "attended")
    meeting(client, town, on(3, 13), "no_show")
    meeting(client, town, on(4, 1), "attended", service="skp", centre_id=broen)
    meeting(client, town, on(4, 2), "cancelled", service="skp")  # not held
    cost(client, town, "case_processing", "Sagsbehandler, 1 dag om ugen", "182000.00")
    cost(client, town, "case_processing", "Kørsel", "1000.01")
    cost(client, town, "skp", "SKP 10 timer om ugen", "50000.00")
    cost(client, town, "substance_abuse", "Misbrugskonsulent", "3000.00")  # nobody used it in 2025
    cost(client, town, "centre", "IT-kursus", "10000.00")
    cost(client, town, "case_processing", "Sagsbehandler 2024", "1000.00", year=2024)
    survey(client, town, "citizen", cafe, on(5, 1), satisfied=4, trust=5)
    survey(client, town, "citizen", broen, on(5, 2), satisfied=2)
    survey(client, town, "staff", cafe, on(6, 1), cooperation=3)
    survey(client, town, "citizen", cafe, on(1, 2, 2026), satisfied=1)  # outside the period
    return cafe, broen


def figures(held, no_shows, rate):
    return {"held": held, "attended": held - no_shows, "no_shows": no_shows, "rate": rate}


def test_the_report_gives_every_effect_exactly_per_centre_and_for_the_municipality(client, odense):
    cafe, broen = build(client, odense)
    r = get(client, odense, f"/evaluation?{PERIOD}")
    assert r.status_code == 200, r.json
    body = r.json
    assert (body["start"], body["end"]) == ("2025-01-01", "2025-12-31")
    everyone = body["municipality"]
    # K1, K2, K3 and the contact without a code: 4 citizens; K1, the uncoded one and K3 were unknown
    assert everyone["reach"] == {"contacts": 6, "citizens": 4, "persons": 0, "codes": 3, "uncoded": 1,
                                 "previously_unknown": 3, "previously_unknown_share": "75.0",
                                 "first_contacts": 3, "first_contact_share": "75.0"}
    assert everyone["no_shows"] == [
        {"service": None, "centre": figures(3, 1, "33.3"), "office": figures(3, 2, "66.7")},
        {"service": "case_processing", "centre": figures(2, 1, "50.0"), "office": figures(3, 2, "66.7")},
        {"service": "substance_abuse", "centre": figures(0, 0, None), "office": figures(0, 0, None)},
        {"service": "skp", "centre": figures(1, 0, "0.0"), "office": figures(0, 0, None)},
    ]
    citizen = everyone["surveys"]["citizen"]
    assert citizen["responses"] == 2
    assert citizen["questions"]["satisfied"] == {"answered": 2, "average": "3.00",
                                                 "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}}
    assert citizen["questions"]["trust"]["average"] == "5.00"
    assert everyone["surveys"]["staff"]["responses"] == 1
    assert everyone["surveys"]["staff"]["questions"]["cooperation"]["average"] == "3.00"

    assert [(one["centre_id"], one["name"]) for one in body["centres"]] == [(broen, "Broen"), (cafe, "Café Vest")]
    at_broen, at_cafe = body["centres"]
    assert at_cafe["reach"] == {"contacts": 4, "citizens": 3, "persons": 0, "codes": 2, "uncoded": 1,
                                "previously_unknown": 2, "previously_unknown_share": "66.7",
                                "first_contacts": 2, "first_contact_share": "66.7"}
    assert (at_broen["reach"]["citizens"], at_broen["reach"]["previously_unknown_share"],
            at_broen["reach"]["first_contact_share"]) == (2, "50.0", "50.0")
    assert at_cafe["no_shows"][0] == {"service": None, "centre": figures(2, 1, "50.0"), "office": None}
    assert at_broen["no_shows"][3] == {"service": "skp", "centre": figures(1, 0, "0.0"), "office": None}
    assert at_cafe["surveys"]["citizen"]["questions"]["satisfied"]["average"] == "4.00"
    assert at_broen["surveys"]["staff"]["responses"] == 0

    assert [year["year"] for year in body["cost_per_citizen"]] == [2025]
    assert body["cost_per_citizen"][0] == get(client, odense, "/evaluation/cost-per-citizen?year=2025").json


def test_the_cost_per_citizen_divides_a_years_costs_by_the_citizens_who_used_the_service(client, odense):
    build(client, odense)
    r = get(client, odense, "/evaluation/cost-per-citizen?year=2025")
    assert r.status_code == 200, r.json
    rows = {row["service"]: row for row in r.json["services"]}
    assert list(rows) == ["case_processing", "substance_abuse", "skp", "centre"]
    # 183000.01 kr over K1 and K2 = 91500.005, rounded half up to øre
    assert rows["case_processing"] == {"service": "case_processing", "cost": "183000.01", "contacts": 3,
                                       "citizens": 2, "cost_per_citizen": "91500.01"}
    assert rows["substance_abuse"] == {"service": "substance_abuse", "cost": "3000.00", "contacts": 0,
                                       "citizens": 0, "cost_per_citizen": None}
    assert (rows["skp"]["citizens"], rows["skp"]["cost_per_citizen"]) == (2, "25000.00")
    assert (rows["centre"]["citizens"], rows["centre"]["cost_per_citizen"]) == (1, "10000.00")
    # every service together: 246000.01 kr over 4 citizens = 61500.0025
    assert r.json["all"] == {"service": None, "cost": "246000.01", "contacts": 6, "citizens": 4,
                             "cost_per_citizen": "61500.00"}
    earlier = get(client, odense, "/evaluation/cost-per-citizen?year=2024").json
    assert earlier["all"] == {"service": None, "cost": "1000.00", "contacts": 1, "citizens": 1,
                              "cost_per_citizen": "1000.00"}
    empty = get(client, odense, "/evaluation/cost-per-citizen?year=2020").json
    assert empty["all"]["cost_per_citizen"] is None and empty["services"][0]["cost"] == "0.00"


def test_a_report_over_two_years_has_each_years_unit_cost(client, odense):
    build(client, odense)
    body = get(client, odense, "/evaluation?start=2024-12-01&end=2025-03-31").json
    assert [year["year"] for year in body["cost_per_citizen"]] == [2024, 2025]
    assert body["municipality"]["reach"]["contacts"] == 2  # 31 December 2024 and 3 March 2025


def test_bad_periods_and_years_are_refused_naming_the_field(client, odense):
    for query, field in (("end=2025-12-31", "start"), ("start=2025-01-01", "end"),
                         ("start=2025-13-01&end=2025-12-31", "start"), ("start=2025-01-01&end=soon", "end"),
                         ("start=2025-02-01&end=2025-01-31", "end"), ("start=2000-01-01&end=2025-01-01", "end")):
        r = get(client, odense, f"/evaluation?{query}")
        assert r.status_code == 422 and field in r.json["fields"], (query, r.json)
    for query in ("", "year=abc", "year=1999", "year=2101"):
        r = get(client, odense, f"/evaluation/cost-per-citizen?{query}")
        assert r.status_code == 422, (query, r.json)
    assert "year" in get(client, odense, "/evaluation/cost-per-citizen").json["fields"]
    assert "year" in get(client, odense, "/evaluation/cost-per-citizen?year=abc").json["fields"]


def test_only_evaluation_read_and_aarhus_never_sees_odenses_figures(client, odense, aarhus):
    build(client, odense)
    for path in (f"/evaluation?{PERIOD}", "/evaluation/cost-per-citizen?year=2025", f"/evaluation/reach?{PERIOD}"):
        for role in ("dropin_centre_staff", "dropin_outreach"):
            assert get(client, odense, path, role).status_code == 403, (path, role)
    theirs = get(client, aarhus, f"/evaluation?{PERIOD}").json
    assert theirs["centres"] == []
    assert theirs["municipality"]["reach"]["contacts"] == 0
    assert theirs["municipality"]["reach"]["previously_unknown_share"] is None
    assert theirs["municipality"]["no_shows"][0]["office"] == figures(0, 0, None)
    assert theirs["cost_per_citizen"][0]["all"] == {"service": None, "cost": "0.00", "contacts": 0, "citizens": 0,
                                                    "cost_per_citizen": None}


# --- the citizens reached (moved here from test_contacts.py with its route) -----------------------

def test_citizens_reached_counts_each_citizen_once(client, odense):
    centre, other = add_centre(client, odense), add_centre(client, odense, "Broen")
    add_contact(client, odense, centre, citizen_code="A", previously_known="no", first_contact="yes")
    add_contact(client, odense, centre, citizen_code="A", previously_known="yes")
    add_contact(client, odense, centre, citizen_code="B", service="skp", previously_known="no")
    add_contact(client, odense, centre)  # no code: a citizen of its own
    add_contact(client, odense, centre, first_contact="yes", previously_known="no")
    add_contact(client, odense, other, citizen_code="A")
    add_contact(client, odense, centre, contact_on=(DAY - dt.timedelta(days=400)).isoformat())  # outside
    assert give_consent(client, odense, citizen_code="B").status_code == 201
    add_contact(client, odense, centre, citizen_code="B")  # linked to the person now
    query = f"start={(DAY - dt.timedelta(days=30)).isoformat()}&end={DAY.isoformat()}"
    r = client.get(odense.url(f"{X}/evaluation/reach?{query}"), headers=odense.dropin_coordinator.headers)
    assert r.status_code == 200, r.json
    assert r.json == {"contacts": 7, "citizens": 4, "persons": 1, "codes": 1, "uncoded": 2,
                      "previously_unknown": 3, "first_contacts": 2}
    r = client.get(odense.url(f"{X}/evaluation/reach?{query}&centre_id={centre}&service=centre"),
                   headers=odense.dropin_coordinator.headers)
    assert (r.json["contacts"], r.json["citizens"], r.json["previously_unknown"]) == (5, 4, 2)
    r = client.get(odense.url(f"{X}/evaluation/reach?{query}"), headers=odense.dropin_centre_staff.headers)
    assert r.status_code == 403
    r = client.get(odense.url(f"{X}/evaluation/reach?start={DAY.isoformat()}&end=2000-01-01"),
                   headers=odense.dropin_coordinator.headers)
    assert r.status_code == 422 and "end" in r.json["fields"]


def test_a_centre_id_too_large_for_the_database_is_a_422_naming_it(client, odense):
    for centre_id in (0, 2**31, 2**63):
        r = get(client, odense, f"/evaluation/reach?{PERIOD}&centre_id={centre_id}")
        assert r.status_code == 422 and "centre_id" in r.json["fields"], r.json
