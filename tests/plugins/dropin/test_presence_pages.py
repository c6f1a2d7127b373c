"""The presence pages for the staff: the coordinator adds a service, a weekly time, a holiday and a
cancellation through forms that refuse what the API refuses (422 naming the input, 409 saying
why, what was typed kept); the centre staff read but get no forms; a staff member's week across
the centres with its cancellations; Bergen gets 404."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import page, text_of
from tests.plugins.dropin.test_presence import add_centre, add_service, add_slot, this_monday


def test_the_coordinator_manages_presence_with_the_forms(client, odense, browse):
    centre = add_centre(client, odense)
    coordinator = browse(odense, "dropin_coordinator")
    r = coordinator.get(page(odense, "/presence"))
    assert r.status_code == 200 and "Add an outreach service" in text_of(r)
    r = coordinator.post(page(odense, "/presence/services"), data={"kind": "case_processing"})
    assert r.status_code == 422 and 'href="#service-field-administration"' in r.text
    r = coordinator.post(page(odense, "/presence/services"),
                         data={"kind": "case_processing", "administration": "benefits_office", "active": "on"})
    assert r.status_code == 302, r.text
    r = coordinator.get(r.headers["Location"])
    assert "The service is added." in r.text and "Caseworker from the benefits office" in text_of(r)

    presence = page(odense, f"/centres/{centre['id']}/presence")
    r = coordinator.get(presence)
    assert r.status_code == 200 and "Add a weekly time" in text_of(r) and "Add a holiday" in text_of(r)
    assert 'href="/p/odense/dropin/cafe-vest"' in r.text
    service_id = client.get(odense.url("/x/dropin/services"), headers=odense.dropin_outreach.headers).json[0]["id"]
    worker = odense.dropin_outreach
    slot = {"service_id": str(service_id), "user_id": str(worker.user_id), "weekday": "tuesday",
            "starts": "10:00", "ends": "09:00"}
    r = coordinator.post(presence + "/slots", data=slot)
    assert r.status_code == 422 and 'href="#slot-field-ends"' in r.text and 'value="09:00"' in r.text
    r = coordinator.post(presence + "/slots", data={**slot, "ends": "14:00"})
    assert r.status_code == 302, r.text
    text = text_of(coordinator.get(r.headers["Location"]))
    assert "The weekly time is added and the schedule published." in text and "10:00–14:00" in text
    other = add_centre(client, odense, name="Huset Syd")
    r = coordinator.post(page(odense, f"/centres/{other['id']}/presence/slots"), data={**slot, "ends": "12:00"})
    assert r.status_code == 409 and "already has slot" in r.text

    r = coordinator.post(presence + "/holidays", data={"starts_on": "2026-07-10", "ends_on": "2026-07-01",
                                                       "reason": "Sommer"})
    assert r.status_code == 422 and 'href="#holiday-field-ends-on"' in r.text
    r = coordinator.post(presence + "/holidays", data={"starts_on": "2026-07-01", "ends_on": "2026-07-10",
                                                       "reason": "Sommerferie"})
    assert r.status_code == 302 and "Sommerferie" in text_of(coordinator.get(r.headers["Location"]))

    slot_id = client.get(odense.url(f"/x/dropin/centres/{centre['id']}/slots"),
                         headers=worker.headers).json[0]["id"]
    r = coordinator.get(page(odense, f"/slots/{slot_id}"))
    assert r.status_code == 200 and "Cancel a session" in text_of(r) and "End the weekly time" in text_of(r)
    tuesday = this_monday(odense) + dt.timedelta(days=8)
    r = coordinator.post(page(odense, f"/slots/{slot_id}/cancellations"),
                         data={"falls_on": (tuesday + dt.timedelta(days=1)).isoformat(), "reason": "Kursus"})
    assert r.status_code == 422 and 'href="#cancellation-field-falls-on"' in r.text
    r = coordinator.post(page(odense, f"/slots/{slot_id}/cancellations"),
                         data={"falls_on": tuesday.isoformat(), "reason": "Kursus"})
    assert r.status_code == 302 and "Kursus" in text_of(coordinator.get(r.headers["Location"]))
    r = coordinator.post(page(odense, f"/slots/{slot_id}/end"), data={"valid_until": "2000-01-01"})
    assert r.status_code == 422 and 'href="#slot-end-field-valid-until"' in r.text


def test_the_centre_staff_read_without_forms(client, odense, browse):
    centre = add_centre(client, odense)
    slot = add_slot(client, odense, centre["id"], add_service(client, odense)["id"], odense.dropin_outreach.user_id)
    staff = browse(odense, "dropin_centre_staff")
    for path in ("/presence", f"/centres/{centre['id']}/presence", f"/slots/{slot['id']}"):
        r = staff.get(page(odense, path))
        assert r.status_code == 200, path
        assert "<form method=\"post\" id=" not in r.text, path
    assert staff.post(page(odense, f"/centres/{centre['id']}/presence/slots"), data={}).status_code == 403
    assert staff.post(page(odense, f"/slots/{slot['id']}/end"), data={}).status_code == 403


def test_a_staff_members_week_page(client, odense, browse):
    vest = add_centre(client, odense)
    syd = add_centre(client, odense, name="Huset Syd")
    service = add_service(client, odense)
    worker = odense.dropin_outreach
    slot = add_slot(client, odense, vest["id"], service["id"], worker.user_id)
    add_slot(client, odense, syd["id"], service["id"], worker.user_id, weekday="friday", starts="08:30",
             ends="11:00")
    tuesday = this_monday(odense) + dt.timedelta(days=1)
    client.post(odense.url(f"/x/dropin/slots/{slot['id']}/cancellations"),
                headers=odense.dropin_coordinator.headers, json={"falls_on": tuesday.isoformat(), "reason": "Syg"})
    mine = browse(odense, "dropin_outreach")
    text = text_of(mine.get(page(odense, "/presence/week")))
    assert "Café Vest" in text and "Huset Syd" in text and "Cancelled: Syg" in text and "08:30–11:00" in text
    reader = browse(odense, "dropin_centre_staff")
    r = reader.get(page(odense, f"/presence/week?user={worker.user_id}&week="
                                f"{(tuesday + dt.timedelta(days=7)).isoformat()}"))
    assert r.status_code == 200 and "Cancelled" not in text_of(r) and "10:00–14:00" in text_of(r)
    assert reader.get(page(odense, "/presence/week?user=999999")).status_code == 422
    assert reader.get(page(odense, "/presence/week?week=2026-02-30")).status_code == 422


def test_bergen_gets_404(bergen, browse):
    browser = browse(bergen, "caseworker")
    for path in ("/presence", "/presence/week", "/centres/1/presence", "/slots/1"):
        assert browser.get(page(bergen, path)).status_code == 404, path


def test_the_week_page_refuses_a_far_week_or_an_impossible_staff_member_with_a_422(odense, browse):
    reader = browse(odense, "dropin_centre_staff")
    for query in ("week=0001-01-03", "week=9999-12-31", "user=99999999999999999999", "user=abc"):
        assert reader.get(page(odense, f"/presence/week?{query}")).status_code == 422, query
