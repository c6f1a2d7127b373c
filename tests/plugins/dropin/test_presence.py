"""The outreach services' presence through the API: services of the three kinds, each with only
its own facts; weekly slots at a centre (the end after the start — 422 naming ``ends``; a staff
member of the municipality — 422 naming ``user_id``; nobody at two centres at once — 409 saying
where; the private room only where the centre has one); holidays and a cancelled session; every
change republishing the centre's weeks at once, with no staff name in them; a staff member's
week across the centres; the centre staff may read but not manage; Aarhus sees none of it."""

from __future__ import annotations

import datetime as dt

from velferd_dropin import presence

from tests.plugins.dropin.pages import X
from velferd.clock import tenant_today
from velferd.db import db
from velferd.tenancy import tenant_scope


def this_monday(town) -> dt.date:
    today = tenant_today(town.tenant)
    return today - dt.timedelta(days=today.weekday())


def add_centre(client, town, **body):
    body = {"name": "Café Vest", "ownership": "private", "private_room": True, **body}
    r = client.post(town.url(f"{X}/centres"), headers=town.dropin_coordinator.headers, json=body)
    assert r.status_code == 201, r.json
    return r.json


def add_service(client, town, **body):
    body = {"kind": "case_processing", "administration": "jobcenter", "decides_cases": True, **body}
    r = client.post(town.url(f"{X}/services"), headers=town.dropin_coordinator.headers, json=body)
    assert r.status_code == 201, r.json
    return r.json


def post_slot(client, town, centre_id, **body):
    return client.post(town.url(f"{X}/centres/{centre_id}/slots"), headers=town.dropin_coordinator.headers,
                       json=body)


def add_slot(client, town, centre_id, service_id, user_id, **body):
    body = {"service_id": service_id, "user_id": user_id, "weekday": "tuesday", "starts": "10:00",
            "ends": "14:00", "valid_from": this_monday(town).isoformat(), **body}
    r = post_slot(client, town, centre_id, **body)
    assert r.status_code == 201, r.json
    return r.json


def week(client, town, centre_id, monday=None):
    query = f"?week={monday.isoformat()}" if monday else ""
    r = client.get(town.url(f"{X}/centres/{centre_id}/schedule{query}"), headers=town.dropin_centre_staff.headers)
    assert r.status_code == 200, r.json
    return r.json


# --- services -------------------------------------------------------------------------------------

def test_the_three_kinds_of_service_each_with_only_its_own_facts(client, odense):
    caseworker = add_service(client, odense)
    assert (caseworker["kind"], caseworker["administration"], caseworker["decides_cases"]) == \
        ("case_processing", "jobcenter", True)
    abuse = add_service(client, odense, kind="substance_abuse", administration=None, decides_cases=False)
    skp = add_service(client, odense, kind="skp", administration=None, decides_cases=False,
                      staffed_by="centre", home_visits=True)
    assert (abuse["staffed_by"], skp["staffed_by"], skp["home_visits"]) == (None, "centre", True)
    listed = client.get(odense.url(f"{X}/services"), headers=odense.dropin_outreach.headers).json
    assert sorted(one["kind"] for one in listed) == ["case_processing", "skp", "substance_abuse"]

    headers = odense.dropin_coordinator.headers
    for body, field in (({"kind": "case_processing"}, "administration"),
                        ({"kind": "case_processing", "administration": "tax_office"}, "administration"),
                        ({"kind": "substance_abuse", "administration": "jobcenter"}, "administration"),
                        ({"kind": "substance_abuse", "decides_cases": True}, "decides_cases"),
                        ({"kind": "skp"}, "staffed_by"),
                        ({"kind": "substance_abuse", "home_visits": True}, "home_visits"),
                        ({"kind": "treatment"}, "kind"),
                        ({"kind": "skp", "staffed_by": "centre", "colour": "red"}, "colour")):
        r = client.post(odense.url(f"{X}/services"), headers=headers, json=body)
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)
    r = client.post(odense.url(f"{X}/services"), headers=headers,
                    json={"kind": "case_processing", "administration": "jobcenter"})
    assert r.status_code == 409 and "already has this service" in r.json["message"]
    r = client.patch(odense.url(f"{X}/services/{abuse['id']}"), headers=headers, json={"home_visits": True})
    assert r.status_code == 422 and "home_visits" in r.json["fields"]


# --- slots ----------------------------------------------------------------------------------------

def test_a_slot_is_refused_naming_the_field(client, odense, aarhus):
    centre = add_centre(client, odense)
    without_room = add_centre(client, odense, name="Uden rum", private_room=False)
    service = add_service(client, odense)
    worker = odense.dropin_outreach.user_id
    base = {"service_id": service["id"], "user_id": worker, "weekday": "tuesday", "starts": "10:00", "ends": "14:00"}
    for changes, field in (({"ends": "09:30"}, "ends"), ({"ends": "10:00"}, "ends"),
                           ({"user_id": aarhus.dropin_outreach.user_id}, "user_id"),
                           ({"user_id": 999999}, "user_id"), ({"service_id": 999999}, "service_id"),
                           ({"weekday": "someday"}, "weekday"), ({"starts": "25:00"}, "starts"),
                           ({"valid_from": "2026-05-01", "valid_until": "2026-04-30"}, "valid_until"),
                           ({"room": 2}, "room")):
        r = post_slot(client, odense, centre["id"], **{**base, **changes})
        assert r.status_code == 422 and field in r.json["fields"], (changes, r.json)
    r = post_slot(client, odense, without_room["id"], **base, private_room=True)
    assert r.status_code == 422 and "private_room" in r.json["fields"]
    assert "no private room" in r.json["message"]
    assert client.get(odense.url(f"{X}/centres/{centre['id']}/slots"),
                      headers=odense.dropin_coordinator.headers).json == []


def test_nobody_is_at_two_centres_at_once(client, odense):
    vest = add_centre(client, odense)
    syd = add_centre(client, odense, name="Huset Syd")
    service = add_service(client, odense)
    worker = odense.dropin_outreach.user_id
    add_slot(client, odense, vest["id"], service["id"], worker)
    r = post_slot(client, odense, syd["id"], service_id=service["id"], user_id=worker, weekday="tuesday",
                  starts="13:00", ends="15:00")
    assert r.status_code == 409, r.json
    assert "Café Vest" in r.json["message"] and "tuesdays 10:00–14:00" in r.json["message"]
    # the same time on another day, right after it, or by someone else is fine
    add_slot(client, odense, syd["id"], service["id"], worker, weekday="wednesday", starts="13:00", ends="15:00")
    add_slot(client, odense, syd["id"], service["id"], worker, starts="14:00", ends="16:00")
    add_slot(client, odense, syd["id"], service["id"], odense.dropin_coordinator.user_id)


def test_an_ended_slot_leaves_the_time_free_and_the_schedule(client, odense):
    centre = add_centre(client, odense)
    service = add_service(client, odense)
    worker = odense.dropin_outreach.user_id
    slot = add_slot(client, odense, centre["id"], service["id"], worker)
    monday = this_monday(odense)
    next_week = monday + dt.timedelta(days=7)
    assert len(week(client, odense, centre["id"], next_week)["entries"]) == 1
    r = client.post(odense.url(f"{X}/slots/{slot['id']}/end"), headers=odense.dropin_coordinator.headers,
                    json={"valid_until": (monday - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and "valid_until" in r.json["fields"]
    r = client.post(odense.url(f"{X}/slots/{slot['id']}/end"), headers=odense.dropin_coordinator.headers,
                    json={"valid_until": (monday + dt.timedelta(days=6)).isoformat()})
    assert r.status_code == 200 and r.json["valid_until"] == (monday + dt.timedelta(days=6)).isoformat()
    assert week(client, odense, centre["id"], next_week)["entries"] == []
    assert len(week(client, odense, centre["id"], monday)["entries"]) == 1
    add_slot(client, odense, centre["id"], service["id"], worker, valid_from=next_week.isoformat())


# --- the published weeks --------------------------------------------------------------------------

def test_every_change_republishes_the_centre_at_once_with_no_name(client, odense):
    centre = add_centre(client, odense)
    service = add_service(client, odense, note="Kom forbi uden aftale")
    worker = odense.dropin_outreach
    slot = add_slot(client, odense, centre["id"], service["id"], worker.user_id, private_room=True)
    monday = this_monday(odense)
    tuesday = monday + dt.timedelta(days=1)
    body = week(client, odense, centre["id"])
    assert body["published"] is True and body["week_of"] == monday.isoformat()
    assert body["entries"] == [{
        "date": tuesday.isoformat(), "starts": "10:00", "ends": "14:00", "kind": "case_processing",
        "administration": "jobcenter", "decides_cases": True, "staffed_by": None, "home_visits": False,
        "private_room": True, "note": "Kom forbi uden aftale", "cancelled": False, "reason": None}]
    assert body["closed"] == []
    text = str(body)
    assert worker.email not in text and "dropin_outreach" not in text  # the name is "dropin_outreach odense"
    assert not {"user_id", "name", "email"} & set(body["entries"][0])
    # this week and four more (schedule_weeks_ahead 4)
    assert week(client, odense, centre["id"], monday + dt.timedelta(days=28))["published"] is True
    assert week(client, odense, centre["id"], monday + dt.timedelta(days=35))["published"] is False

    headers = odense.dropin_coordinator.headers
    next_tuesday = tuesday + dt.timedelta(days=7)
    r = client.post(odense.url(f"{X}/slots/{slot['id']}/cancellations"), headers=headers,
                    json={"falls_on": next_tuesday.isoformat(), "reason": "Kursus"})
    assert r.status_code == 201, r.json
    (entry,) = week(client, odense, centre["id"], next_tuesday)["entries"]
    assert (entry["cancelled"], entry["reason"]) == (True, "Kursus")
    r = client.post(odense.url(f"{X}/slots/{slot['id']}/cancellations"), headers=headers,
                    json={"falls_on": next_tuesday.isoformat(), "reason": "Igen"})
    assert r.status_code == 409 and "already cancelled" in r.json["message"]
    r = client.post(odense.url(f"{X}/slots/{slot['id']}/cancellations"), headers=headers,
                    json={"falls_on": (next_tuesday + dt.timedelta(days=1)).isoformat(), "reason": "x"})
    assert r.status_code == 422 and "falls_on" in r.json["fields"]

    third = monday + dt.timedelta(days=14)
    r = client.post(odense.url(f"{X}/centres/{centre['id']}/holidays"), headers=headers,
                    json={"starts_on": third.isoformat(), "ends_on": (third + dt.timedelta(days=2)).isoformat(),
                          "reason": "Sommerferie"})
    assert r.status_code == 201, r.json
    body = week(client, odense, centre["id"], third)
    assert body["entries"] == []
    assert [(day["date"], day["reason"]) for day in body["closed"]] == [
        ((third + dt.timedelta(days=n)).isoformat(), "Sommerferie") for n in range(3)]
    r = client.post(odense.url(f"{X}/centres/{centre['id']}/holidays"), headers=headers,
                    json={"starts_on": third.isoformat(), "ends_on": monday.isoformat(), "reason": "x"})
    assert r.status_code == 422 and "ends_on" in r.json["fields"]

    r = client.patch(odense.url(f"{X}/services/{service['id']}"), headers=headers, json={"active": False})
    assert r.status_code == 200
    assert week(client, odense, centre["id"])["entries"] == []


def test_the_rebuild_is_idempotent_and_on_demand(app, client, odense):
    centre = add_centre(client, odense)
    service = add_service(client, odense)
    add_slot(client, odense, centre["id"], service["id"], odense.dropin_outreach.user_id)
    r = client.post(odense.url(f"{X}/schedule/rebuild"), headers=odense.dropin_coordinator.headers, json={})
    assert r.status_code == 200, r.json
    assert (r.json["centres"], r.json["weeks"]) == (1, 5)
    first = week(client, odense, centre["id"])
    r = client.post(odense.url(f"{X}/schedule/rebuild"), headers=odense.dropin_coordinator.headers, json={})
    assert (r.json["centres"], r.json["weeks"]) == (1, 5)
    again = week(client, odense, centre["id"])
    assert again["entries"] == first["entries"]
    r = client.post(odense.url(f"{X}/schedule/rebuild"), headers=odense.dropin_centre_staff.headers, json={})
    assert r.status_code == 403
    r = client.post(odense.url(f"{X}/schedule/rebuild"), headers=odense.dropin_coordinator.headers,
                    json={"on": "2026-02-30"})
    assert r.status_code == 422 and "on" in r.json["fields"]


# --- a staff member's week ------------------------------------------------------------------------

def test_a_staff_members_week_across_the_centres(client, odense):
    vest = add_centre(client, odense)
    syd = add_centre(client, odense, name="Huset Syd")
    service = add_service(client, odense)
    worker = odense.dropin_outreach
    monday = this_monday(odense)
    tuesday = add_slot(client, odense, vest["id"], service["id"], worker.user_id)
    add_slot(client, odense, syd["id"], service["id"], worker.user_id, weekday="thursday", starts="09:00",
             ends="12:00")
    client.post(odense.url(f"{X}/slots/{tuesday['id']}/cancellations"), headers=odense.dropin_coordinator.headers,
                json={"falls_on": (monday + dt.timedelta(days=1)).isoformat(), "reason": "Syg"})
    r = client.get(odense.url(f"{X}/presence/week"), headers=worker.headers)
    assert r.status_code == 200, r.json
    rows = [(one["centre"], one["starts"], one["cancelled"], one["reason"]) for one in r.json["sessions"]]
    assert rows == [("Café Vest", "10:00", True, "Syg"), ("Huset Syd", "09:00", False, None)]
    r = client.get(odense.url(f"{X}/presence/week?user_id={worker.user_id}&week="
                              f"{(monday + dt.timedelta(days=10)).isoformat()}"),
                   headers=odense.dropin_centre_staff.headers)
    assert [one["cancelled"] for one in r.json["sessions"]] == [False, False]
    r = client.get(odense.url(f"{X}/presence/week?user_id=999999"), headers=worker.headers)
    assert r.status_code == 422 and "user_id" in r.json["fields"]


# --- who may, and where -------------------------------------------------------------------------

def test_the_centre_staff_may_read_but_not_manage(client, odense):
    centre = add_centre(client, odense)
    headers = odense.dropin_centre_staff.headers
    assert client.get(odense.url(f"{X}/services"), headers=headers).status_code == 200
    r = client.post(odense.url(f"{X}/services"), headers=headers, json={"kind": "skp", "staffed_by": "centre"})
    assert r.status_code == 403 and "dropin:schedule:manage" in r.json["message"]
    r = client.post(odense.url(f"{X}/centres/{centre['id']}/holidays"), headers=headers,
                    json={"starts_on": "2026-07-01", "ends_on": "2026-07-02", "reason": "x"})
    assert r.status_code == 403


def test_aarhus_sees_none_of_odenses_presence(app, client, odense, aarhus):
    centre = add_centre(client, odense)
    service = add_service(client, odense)
    slot = add_slot(client, odense, centre["id"], service["id"], odense.dropin_outreach.user_id)
    headers = aarhus.dropin_coordinator.headers
    assert client.get(aarhus.url(f"{X}/services"), headers=headers).json == []
    assert client.get(aarhus.url(f"{X}/centres/{centre['id']}/slots"), headers=headers).status_code == 404
    assert client.get(aarhus.url(f"{X}/centres/{centre['id']}/schedule"), headers=headers).status_code == 404
    assert client.post(aarhus.url(f"{X}/slots/{slot['id']}/end"), headers=headers,
                       json={"valid_until": "2030-01-01"}).status_code == 404
    own = add_centre(client, aarhus)
    r = post_slot(client, aarhus, own["id"], service_id=service["id"], user_id=aarhus.dropin_outreach.user_id,
                  weekday="tuesday", starts="10:00", ends="12:00")
    assert r.status_code == 422 and "service_id" in r.json["fields"]
    with app.app_context(), tenant_scope(aarhus.tenant):
        assert presence.services() == []
        db.session.rollback()


# --- review: bad input is a 4xx, the overlap rule holds when a slot is extended ----------------

def test_a_week_or_day_out_of_range_is_a_422_not_a_500(client, odense):
    centre = add_centre(client, odense)
    headers = odense.dropin_coordinator.headers
    for far in ("0001-01-03", "9999-12-31"):
        r = client.get(odense.url(f"{X}/presence/week?week={far}"), headers=headers)
        assert r.status_code == 422 and "week" in r.json["fields"], (far, r.json)
        r = client.get(odense.url(f"{X}/centres/{centre['id']}/schedule?week={far}"), headers=headers)
        assert r.status_code == 422 and "week" in r.json["fields"], (far, r.json)
        r = client.post(odense.url(f"{X}/schedule/rebuild"), headers=headers, json={"on": far})
        assert r.status_code == 422 and "on" in r.json["fields"], (far, r.json)


def test_extending_an_ended_slot_cannot_double_book_the_staff_member(client, odense):
    vest = add_centre(client, odense)
    syd = add_centre(client, odense, name="Huset Syd")
    service = add_service(client, odense)
    worker = odense.dropin_outreach.user_id
    monday = this_monday(odense)
    first = add_slot(client, odense, vest["id"], service["id"], worker,
                     valid_until=(monday + dt.timedelta(days=6)).isoformat())
    add_slot(client, odense, syd["id"], service["id"], worker, valid_from=(monday + dt.timedelta(days=7)).isoformat())
    r = client.post(odense.url(f"{X}/slots/{first['id']}/end"), headers=odense.dropin_coordinator.headers,
                    json={"valid_until": (monday + dt.timedelta(days=20)).isoformat()})
    assert r.status_code == 409 and "Huset Syd" in r.json["message"], r.json
    r = client.get(odense.url(f"{X}/centres/{vest['id']}/slots"), headers=odense.dropin_coordinator.headers)
    assert r.json[0]["valid_until"] == (monday + dt.timedelta(days=6)).isoformat()
