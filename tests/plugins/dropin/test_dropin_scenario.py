"""Two months at two centres, through the API only, as Odense's staff would work (the issue's
check: "A scenario test over two months at two centres: schedules published and changed for a
holiday, anonymous contacts turning into a consented case, statutory meetings at the centre and
the office with attendance, and the no-show rates and cost per citizen computed exactly from those
records").

The story: in March and April 2025 the coordinator opens Broen (private, with a private room) and
Vest (municipal, without), puts the outreach caseworker there a day a week each and the
substance-abuse worker at Broen on Thursdays, and the Monday job publishes the weeks. Vest closes
for a week's holiday (next week: the published weeks are this one and the four after it), which
the public page shows. Citizens come anonymously; "ODIN" comes three times under a code, then
consents, and their contacts become a case; statutory meetings are held at both centres (the
citizen's choice) and at the office, the attendance recorded afterwards. The costs of 2025 are
entered, and the no-show rates and the cost per citizen the evaluation gives are the figures
worked out by hand below. Every date of the records is in 2025, so the test means the same on any
day it runs.
"""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import X, text_of
from tests.plugins.dropin.test_public_schedule import anonymous
from velferd.clock import tenant_today
from velferd.testing import synthetic_id

WEEK = dt.timedelta(days=7)
MARCH_APRIL = {"start": "2025-03-01", "end": "2025-04-30"}


def call(client, town, method, path, role="dropin_coordinator", status=200, **kwargs):
    r = client.open(town.url(f"{X}{path}"), method=method, headers=town.staff[role].headers, **kwargs)
    assert r.status_code == status, (method, path, r.json)
    return r.json


def post(client, town, path, body, role="dropin_coordinator", status=201):
    return call(client, town, "POST", path, role, status, json=body)


def get(client, town, path, role="dropin_coordinator", **query):
    return call(client, town, "GET", path, role, query_string=query)


def this_monday(town) -> dt.date:
    today = tenant_today(town.tenant)
    return today - dt.timedelta(days=today.weekday())


# --- the story ------------------------------------------------------------------------------------

def centres_and_schedules(client, town) -> dict[str, int]:
    """The coordinator's part: two centres, two services, three weekly slots from 3 March 2025,
    the weeks published by the weekly rebuild."""
    broen = post(client, town, "/centres", {"name": "Broen", "ownership": "private", "private_room": True})
    vest = post(client, town, "/centres", {"name": "Vest", "ownership": "municipal", "private_room": False})
    cases = post(client, town, "/services", {"kind": "case_processing", "administration": "jobcenter",
                                             "decides_cases": True})
    abuse = post(client, town, "/services", {"kind": "substance_abuse"})
    slot = dict(valid_from="2025-03-03", starts="10:00", ends="14:00")
    post(client, town, f"/centres/{broen['id']}/slots", {**slot, "service_id": cases["id"], "weekday": "tuesday",
                                                         "user_id": town.dropin_outreach.user_id,
                                                         "private_room": True})
    post(client, town, f"/centres/{vest['id']}/slots", {**slot, "service_id": cases["id"], "weekday": "wednesday",
                                                        "user_id": town.dropin_outreach.user_id})
    post(client, town, f"/centres/{broen['id']}/slots", {**slot, "service_id": abuse["id"], "weekday": "thursday",
                                                         "starts": "13:00", "ends": "15:00",
                                                         "user_id": town.dropin_coordinator.user_id})
    built = post(client, town, "/schedule/rebuild", {}, status=200)
    # two active centres, each this week and the four after it (schedule_weeks_ahead = 4): 2 × 5
    assert (built["centres"], built["weeks"]) == (2, 10)
    return {"broen": broen["id"], "vest": vest["id"]}


CONTACTS = (
    # (day, centre, service, the worker acted as, code, first contact, known before, who records)
    ("2024-12-17", "vest", "case_processing", "municipal_authority", "SOL", "yes", "yes", "dropin_outreach"),
    ("2025-03-04", "broen", "case_processing", "municipal_authority", "ODIN", "yes", "no", "dropin_outreach"),
    ("2025-03-05", "vest", "case_processing", "municipal_authority", "SOL", "no", "yes", "dropin_outreach"),
    ("2025-03-11", "broen", "substance_abuse", "municipal_worker", "ODIN", "no", "no", "dropin_outreach"),
    ("2025-03-18", "broen", "centre", "centre_staff", None, "unknown", "unknown", "dropin_centre_staff"),
    ("2025-03-19", "vest", "case_processing", "municipal_authority", "SOL", "no", "yes", "dropin_outreach"),
    ("2025-03-25", "broen", "centre", "centre_staff", None, "unknown", "unknown", "dropin_centre_staff"),
    ("2025-03-25", "broen", "case_processing", "municipal_authority", "ODIN", "no", "no", "dropin_outreach"),
    ("2025-04-02", "vest", "centre", "centre_staff", None, "unknown", "unknown", "dropin_centre_staff"),
    # ODIN consents on 1 April 2025 (below); the contact after it is the case's at once
    ("2025-04-08", "broen", "case_processing", "municipal_authority", "ODIN", "no", "no", "dropin_outreach"),
    ("2025-04-16", "vest", "substance_abuse", "municipal_worker", "LYS", "yes", "no", "dropin_outreach"),
)
CONSENT_ON = dt.date(2025, 4, 1)


def contacts_and_consent(client, town, centre_ids) -> dict:
    """The contacts in date order, ODIN's consent on its day; returns the consent."""
    given = None
    for day, centre, service, role, code, first, known, recorder in CONTACTS:
        if given is None and dt.date.fromisoformat(day) > CONSENT_ON:
            given = post(client, town, "/consents", {
                "citizen_code": "ODIN", "national_id": synthetic_id("DK", dt.date(1971, 8, 9)),
                "given_name": "Test", "family_name": "Borger", "given_on": CONSENT_ON.isoformat(),
                "scope": ["jobcentre", "substance_abuse_service"]}, role="dropin_outreach")
        post(client, town, "/contacts", {
            "centre_id": centre_ids[centre], "contact_on": day, "help": ["municipal_support_advice"],
            "service": service, "worker_role": role, "citizen_code": code, "first_contact": first,
            "previously_known": known}, role=recorder)
    return given


MEETINGS = (
    # (day, place, centre, service, what happened) — every one planned first, its attendance
    # recorded afterwards; the case processing from the jobcenter
    ("2025-03-03", "office", None, "case_processing", "no_show"),
    ("2025-03-11", "centre", "broen", "case_processing", "attended"),
    ("2025-03-12", "centre", "vest", "case_processing", "attended"),
    ("2025-03-13", "centre", "broen", "substance_abuse", "no_show"),
    ("2025-03-17", "office", None, "case_processing", "attended"),
    ("2025-03-25", "centre", "broen", "case_processing", "attended"),
    ("2025-03-31", "office", None, "case_processing", "no_show"),
    ("2025-04-08", "centre", "broen", "case_processing", "no_show"),
    ("2025-04-09", "centre", "vest", "case_processing", "attended"),
    ("2025-04-10", "office", None, "substance_abuse", "attended"),
    ("2025-04-14", "office", None, "case_processing", "attended"),
    ("2025-04-22", "centre", "broen", "case_processing", "attended"),
    ("2025-04-23", "centre", "vest", "case_processing", "cancelled"),
    ("2025-04-28", "office", None, "case_processing", "no_show"),
)


def statutory_meetings(client, town, centre_ids, case_id) -> None:
    for day, place, centre, service, attendance in MEETINGS:
        planned = post(client, town, "/meetings", {
            "service": service, "administration": "jobcenter" if service == "case_processing" else None,
            "subject": "Lovpligtig samtale", "meets_on": day, "meets_at": "10:30", "place": place,
            "centre_id": centre_ids[centre] if centre else None, "chosen_by_citizen": place == "centre",
            "case_id": case_id}, role="dropin_outreach")
        assert planned["attendance"] == "planned"
        post(client, town, f"/meetings/{planned['id']}/attendance", {"attendance": attendance},
             role="dropin_outreach", status=200)


COSTS = (
    (2024, "case_processing", "Sagsbehandler, 1 dag om ugen", "100000.00"),  # another year: not counted
    (2025, "case_processing", "Sagsbehandler, 1 dag om ugen", "182000.00"),
    (2025, "case_processing", "Kørsel", "3000.50"),
    (2025, "substance_abuse", "Misbrugskonsulent", "50000.01"),
    (2025, "skp", "Støtte- og kontaktperson", "12000.00"),
    (2025, "centre", "Holdbaserede aktiviteter", "10000.00"),
)


def scenario(client, town) -> dict:
    centre_ids = centres_and_schedules(client, town)
    given = contacts_and_consent(client, town, centre_ids)
    statutory_meetings(client, town, centre_ids, given["case_id"])
    for year, service, label, amount in COSTS:
        post(client, town, "/costs", {"year": year, "service": service, "label": label, "amount": amount})
    return {**centre_ids, "consent": given}


# --- what the staff and the public see ------------------------------------------------------------

def test_the_published_weeks_and_a_holiday_that_closes_vest_for_a_week(app, client, odense):
    ids = scenario(client, odense)
    next_monday = this_monday(odense) + WEEK
    week = next_monday.isoformat()
    before = get(client, odense, f"/centres/{ids['vest']}/schedule", week=week)
    assert [(entry["date"], entry["starts"], entry["kind"]) for entry in before["entries"]] == [
        ((next_monday + dt.timedelta(days=2)).isoformat(), "10:00", "case_processing")]

    post(client, odense, f"/centres/{ids['vest']}/holidays", {
        "starts_on": week, "ends_on": (next_monday + dt.timedelta(days=6)).isoformat(), "reason": "Juleferie"})
    closed = get(client, odense, f"/centres/{ids['vest']}/schedule", week=week)
    assert closed["entries"] == [] and [day["reason"] for day in closed["closed"]] == ["Juleferie"] * 7
    # the weekly job, run again, keeps it closed; Broen is open that week, Vest the week after
    post(client, odense, "/schedule/rebuild", {}, status=200)
    assert get(client, odense, f"/centres/{ids['vest']}/schedule", week=week)["entries"] == []
    assert len(get(client, odense, f"/centres/{ids['broen']}/schedule", week=week)["entries"]) == 2
    assert len(get(client, odense, f"/centres/{ids['vest']}/schedule",
                   week=(next_monday + WEEK).isoformat())["entries"]) == 1

    text = text_of(anonymous(app).get(f"/p/odense/dropin/vest?week={week}"))
    assert text.count("Closed: Juleferie") == 7
    assert "10:00–14:00" not in text
    assert "Closed:" not in text_of(anonymous(app).get(f"/p/odense/dropin/broen?week={week}"))


def test_odins_anonymous_contacts_become_a_consented_case(app, client, odense):
    ids = scenario(client, odense)
    given = ids["consent"]
    # ODIN's three contacts before the consent were linked when it was given; the one after it at once
    assert given["linked_contacts"] == 3 and given["in_force"] is True
    assert get(client, odense, f"/consents/{given['id']}")["linked_contacts"] == 4
    odin = get(client, odense, "/contacts", citizen_code="ODIN")
    assert {(one["contact_on"], one["anonymous"], one["case_id"]) for one in odin} == {
        (day, False, given["case_id"]) for day in ("2025-03-04", "2025-03-11", "2025-03-25", "2025-04-08")}
    assert all(one["anonymous"] and one["person_id"] is None
               for code in ("SOL", "LYS") for one in get(client, odense, "/contacts", citizen_code=code))
    case = client.get(odense.url(f"/cases/{given['case_id']}"), headers=odense.dropin_outreach.headers)
    assert case.status_code == 200 and case.json["plugin"] == "dropin"


def test_the_no_show_rates_and_the_cost_per_citizen_are_the_records_figures(app, client, odense):
    scenario(client, odense)
    report = get(client, odense, "/evaluation", **MARCH_APRIL)
    rows = {row["service"]: row for row in report["municipality"]["no_shows"]}

    # Held = attended + no-shows (the cancelled meeting at Vest on 23 April was not held).
    # At the centres: Broen 11/3 ✓, 13/3 ✗ (substance abuse), 25/3 ✓, 8/4 ✗, 22/4 ✓ = 5 held, 2 no-shows;
    #   Vest 12/3 ✓, 9/4 ✓ = 2 held, 0 no-shows; together 7 held, 2 no-shows: 2/7 = 28.571… → 28.6 %.
    # At the office: 3/3 ✗, 17/3 ✓, 31/3 ✗, 10/4 ✓ (substance abuse), 14/4 ✓, 28/4 ✗ = 6 held,
    #   3 no-shows: 3/6 = 50.0 %.
    assert rows[None]["centre"] == {"held": 7, "attended": 5, "no_shows": 2, "rate": "28.6"}
    assert rows[None]["office"] == {"held": 6, "attended": 3, "no_shows": 3, "rate": "50.0"}
    # Case processing only: the centres 6 held (Broen 4, Vest 2), 1 no-show (8/4): 1/6 = 16.666… → 16.7 %;
    #   the office 5 held, 3 no-shows: 3/5 = 60.0 %.
    assert (rows["case_processing"]["centre"]["rate"], rows["case_processing"]["office"]["rate"]) == ("16.7", "60.0")
    # Substance abuse: 1 held at Broen, missed: 100.0 %; 1 held at the office, attended: 0.0 %.
    assert (rows["substance_abuse"]["centre"]["rate"], rows["substance_abuse"]["office"]["rate"]) == ("100.0", "0.0")
    # SKP: no meeting held, so no rate (not 0).
    assert rows["skp"]["centre"] == {"held": 0, "attended": 0, "no_shows": 0, "rate": None}
    by_centre = {one["name"]: one for one in report["centres"]}
    # Broen 2/5 = 40.0 %; Vest 0/2 = 0.0 %; a centre has no office figures of its own
    assert by_centre["Broen"]["no_shows"][0]["centre"]["rate"] == "40.0"
    assert by_centre["Vest"]["no_shows"][0] == {"service": None, "office": None, "centre": {
        "held": 2, "attended": 2, "no_shows": 0, "rate": "0.0"}}
    # the first month alone: the centres 11/3 ✓, 12/3 ✓, 13/3 ✗, 25/3 ✓ = 1 of 4 = 25.0 %;
    #   the office 3/3 ✗, 17/3 ✓, 31/3 ✗ = 2 of 3 = 66.666… → 66.7 %
    march = get(client, odense, "/no-shows", start="2025-03-01", end="2025-03-31")
    assert (march["centre"]["rate"], march["office"]["rate"]) == ("25.0", "66.7")

    # Reach in March–April: 10 contacts (SOL's of 17 December 2024 is outside); the citizens are
    #   ODIN (a person since the consent: 4 contacts), SOL (2), LYS (1) and the 3 contacts with no
    #   code, each a citizen of its own: 1 + 1 + 1 + 3 = 6. Not known before: ODIN and LYS = 2 of
    #   6 = 33.3 %; first contacts: ODIN's of 4/3 and LYS's = 2 (SOL's first was in December).
    reach = report["municipality"]["reach"]
    assert reach == {"contacts": 10, "citizens": 6, "persons": 1, "codes": 2, "uncoded": 3,
                     "previously_unknown": 2, "first_contacts": 2, "previously_unknown_share": "33.3",
                     "first_contact_share": "33.3"}

    # The cost per citizen in 2025: a service's costs of 2025 ÷ the distinct citizens whose 2025
    # contacts name it, half up to øre (the 100 000.00 of 2024 is not 2025's).
    unit = get(client, odense, "/evaluation/cost-per-citizen", year=2025)
    services = {row["service"]: row for row in unit["services"]}
    #   case processing: 182 000.00 + 3 000.50 = 185 000.50; citizens ODIN and SOL (5 contacts) = 2;
    #   185 000.50 / 2 = 92 500.25
    assert services["case_processing"] == {"service": "case_processing", "cost": "185000.50", "contacts": 5,
                                           "citizens": 2, "cost_per_citizen": "92500.25"}
    #   substance abuse: 50 000.01; ODIN (11/3) and LYS (16/4) = 2; 25 000.005 → 25 000.01 (half up)
    assert (services["substance_abuse"]["citizens"], services["substance_abuse"]["cost_per_citizen"]) == \
        (2, "25000.01")
    #   SKP: 12 000.00 and nobody used it: no unit cost (null, not 0)
    assert (services["skp"]["cost"], services["skp"]["citizens"], services["skp"]["cost_per_citizen"]) == \
        ("12000.00", 0, None)
    #   the centres' own staff: 10 000.00 / 3 contacts without a code (3 citizens) = 3 333.333… → 3 333.33
    assert (services["centre"]["citizens"], services["centre"]["cost_per_citizen"]) == (3, "3333.33")
    #   every service: 185 000.50 + 50 000.01 + 12 000.00 + 10 000.00 = 257 000.51 over the 6 citizens
    #   of 2025 (SOL once, though SOL came in 2024 too): 42 833.418… → 42 833.42
    assert unit["all"] == {"service": None, "cost": "257000.51", "contacts": 10, "citizens": 6,
                           "cost_per_citizen": "42833.42"}
    # the report of March–April gives the same year's figures
    assert report["cost_per_citizen"] == [unit]
