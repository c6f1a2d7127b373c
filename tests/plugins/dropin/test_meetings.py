"""Statutory meetings at the centre or at the office, through the API: planned and attended; at
the centre only by the citizen's choice ("Borgerne har her pligt til at komme, men det er et
tilbud, at det kan foregå på værestederne." — a 422 naming `chosen_by_citizen` otherwise);
attendance not before the meeting's time; the case a dropin case of this municipality; bad input
a 422 naming the field; no CPR in the subject; another municipality's meeting a 404; the centre
staff may read but not record; the filters."""

from __future__ import annotations

import datetime as dt

from velferd_dropin import centres

from tests.helpers import add_person
from tests.plugins.dropin.pages import X
from velferd.db import db
from velferd.models import Case
from velferd.tenancy import tenant_scope

PAST = "2025-03-04"


def a_centre(app, town, **spec) -> int:
    with app.app_context(), tenant_scope(town.tenant):
        created = centres.create_centre({"name": "Café Vest", "ownership": "private", **spec})
        db.session.commit()
        return created.id


def a_case(app, client, town, plugin: str = "dropin") -> int:
    """A case of `plugin` for a new person (the dropin workflow is another part's: written here)."""
    person = add_person(client, town)
    with app.app_context(), tenant_scope(town.tenant):
        case = Case(person_id=person["id"], plugin=plugin, workflow=plugin, state="open")
        db.session.add(case)
        db.session.commit()
        return case.id


def body(**extra) -> dict:
    return {"service": "case_processing", "administration": "jobcenter", "subject": "Opfølgningssamtale",
            "meets_on": PAST, "meets_at": "10:30", "place": "office", **extra}


def plan(client, town, role="dropin_outreach", **extra):
    return client.post(town.url(f"{X}/meetings"), headers=town.staff[role].headers, json=body(**extra))


def test_a_meeting_at_the_centre_is_planned_and_attended(app, client, odense):
    centre_id = a_centre(app, odense)
    r = plan(client, odense, place="centre", centre_id=centre_id, chosen_by_citizen=True)
    assert r.status_code == 201, r.json
    created = r.json
    assert (created["place"], created["centre_id"], created["attendance"], created["meets_at"]) == \
        ("centre", centre_id, "planned", "10:30:00")
    assert created["recorded_by_id"] == odense.dropin_outreach.user_id
    assert created["may_record_attendance"] is True
    r = client.post(odense.url(f"{X}/meetings/{created['id']}/attendance"), headers=odense.dropin_outreach.headers,
                    json={"attendance": "attended"})
    assert r.status_code == 200 and r.json["attendance"] == "attended" and r.json["attendance_at"]
    r = client.get(odense.url(f"{X}/meetings/{created['id']}"), headers=odense.dropin_centre_staff.headers)
    assert r.status_code == 200 and r.json["attendance"] == "attended"


def test_at_the_centre_only_by_the_citizens_choice(app, client, odense):
    centre_id = a_centre(app, odense)
    r = plan(client, odense, place="centre", centre_id=centre_id)
    assert r.status_code == 422 and "chosen_by_citizen" in r.json["fields"], r.json
    r = plan(client, odense, place="centre", chosen_by_citizen=True)
    assert r.status_code == 422 and "centre_id" in r.json["fields"]
    r = plan(client, odense, place="office", centre_id=centre_id)
    assert r.status_code == 422 and "centre_id" in r.json["fields"]


def test_attendance_is_not_recorded_before_the_meeting(app, client, odense):
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = plan(client, odense, meets_on=ahead, attendance="no_show")
    assert r.status_code == 422 and "attendance" in r.json["fields"]
    r = plan(client, odense, meets_on=ahead)
    assert r.status_code == 201 and r.json["may_record_attendance"] is False
    url = odense.url(f"{X}/meetings/{r.json['id']}/attendance")
    for attendance in ("attended", "no_show"):
        refused = client.post(url, headers=odense.dropin_outreach.headers, json={"attendance": attendance})
        assert refused.status_code == 422 and "attendance" in refused.json["fields"]
    cancelled = client.post(url, headers=odense.dropin_outreach.headers, json={"attendance": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json["attendance"] == "cancelled"


def test_a_meeting_recorded_after_the_fact_keeps_its_attendance(client, odense):
    r = plan(client, odense, attendance="no_show", service="skp", administration=None)
    assert r.status_code == 201 and (r.json["attendance"], r.json["administration"]) == ("no_show", None)


def test_the_case_is_a_dropin_case_of_this_municipality(app, client, odense, aarhus):
    mine = a_case(app, client, odense)
    r = plan(client, odense, case_id=mine)
    assert r.status_code == 201 and r.json["case_id"] == mine
    for other in (a_case(app, client, odense, plugin="aftercare"), a_case(app, client, aarhus), 999999):
        r = plan(client, odense, case_id=other)
        assert r.status_code == 422 and "case_id" in r.json["fields"], other


def test_bad_input_is_refused_naming_the_field(client, odense):
    for extra, field in (({"service": "treatment"}, "service"), ({"administration": None}, "administration"),
                         ({"service": "skp"}, "administration"), ({"place": "home"}, "place"),
                         ({"meets_at": "25:00"}, "meets_at"), ({"meets_on": "2025-02-30"}, "meets_on"),
                         ({"attendance": "late"}, "attendance"), ({"subject": ""}, "subject"),
                         ({"subject": "Samtale med 010180-1234"}, "subject"), ({"cpr": "0101801234"}, "cpr"),
                         ({"subject": "x" * 201}, "subject")):
        r = plan(client, odense, **extra)
        assert r.status_code == 422 and field in r.json["fields"], (extra, r.json)
    r = client.post(odense.url(f"{X}/meetings"), headers=odense.dropin_outreach.headers, json={})
    assert r.status_code == 422 and {"service", "subject", "meets_on", "meets_at", "place"} <= set(r.json["fields"])


def test_who_may_record_and_who_sees(app, client, odense, aarhus):
    r = plan(client, odense, role="dropin_centre_staff")
    assert r.status_code == 403
    created = plan(client, odense).json
    r = client.get(aarhus.url(f"{X}/meetings/{created['id']}"), headers=aarhus.dropin_coordinator.headers)
    assert r.status_code == 404
    r = client.post(aarhus.url(f"{X}/meetings/{created['id']}/attendance"), headers=aarhus.dropin_outreach.headers,
                    json={"attendance": "attended"})
    assert r.status_code == 404
    r = client.get(aarhus.url(f"{X}/meetings"), headers=aarhus.dropin_coordinator.headers)
    assert r.status_code == 200 and r.json == []
    r = plan(client, aarhus, place="centre", centre_id=a_centre(app, odense), chosen_by_citizen=True)
    assert r.status_code == 422 and "centre_id" in r.json["fields"]


def test_the_meetings_are_filtered(app, client, odense):
    centre_id = a_centre(app, odense)
    plan(client, odense, meets_on="2025-01-10")
    plan(client, odense, meets_on="2025-02-10", place="centre", centre_id=centre_id, chosen_by_citizen=True,
         service="substance_abuse", administration=None)
    plan(client, odense, meets_on="2025-03-10", attendance="attended")
    headers = odense.dropin_outreach.headers

    def days(**query):
        r = client.get(odense.url(f"{X}/meetings"), headers=headers, query_string=query)
        assert r.status_code == 200, r.json
        return [one["meets_on"] for one in r.json]

    assert days() == ["2025-03-10", "2025-02-10", "2025-01-10"]
    assert days(start="2025-02-01", end="2025-03-10") == ["2025-03-10", "2025-02-10"]
    assert days(place="centre") == days(centre_id=centre_id) == days(service="substance_abuse") == ["2025-02-10"]
    assert days(attendance="attended") == ["2025-03-10"]
    r = client.get(odense.url(f"{X}/meetings"), headers=headers, query_string={"start": "2025-03-01",
                                                                               "end": "2025-02-01"})
    assert r.status_code == 422 and "end" in r.json["fields"]
    r = client.get(odense.url(f"{X}/meetings"), headers=headers, query_string={"place": "home"})
    assert r.status_code == 422 and "place" in r.json["fields"]
