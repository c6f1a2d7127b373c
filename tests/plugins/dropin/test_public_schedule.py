"""The public schedule (/p/<town>/dropin/…): anyone, logged in or not, reads a centre's published
week — the days, the times, who is there by service and administration, a holiday as closed and a
cancelled session with its reason — and nothing personal: no staff name, no e-mail, and nothing
of another municipality. An unknown centre, another municipality's, an inactive one, or a
municipality without the plugin is a 404."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import X, text_of
from tests.plugins.dropin.test_presence import add_centre, add_service, add_slot, this_monday
from tests.web.conftest import BROWSER_ACCEPT


def anonymous(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert client.post("/language", data={"lang": "en"}).status_code == 302
    return client


def published_centre(client, town, **centre):
    found = add_centre(client, town, **centre)
    caseworker = add_service(client, town)
    abuse = add_service(client, town, kind="substance_abuse", administration=None, decides_cases=False)
    add_slot(client, town, found["id"], caseworker["id"], town.dropin_outreach.user_id)
    add_slot(client, town, found["id"], abuse["id"], town.dropin_coordinator.user_id, weekday="thursday",
             starts="13:00", ends="15:30")
    return found


def test_anyone_reads_the_week_with_no_personal_data(app, client, odense, aarhus):
    centre = published_centre(client, odense)
    add_centre(client, aarhus, name="Aarhus Værested", slug="aarhus-vaerested")
    visitor = anonymous(app)
    r = visitor.get("/p/odense/dropin/")
    assert r.status_code == 200, r.text
    assert "Café Vest" in text_of(r) and "Aarhus Værested" not in text_of(r)
    assert 'href="/p/odense/dropin/cafe-vest"' in r.text

    r = visitor.get("/p/odense/dropin/cafe-vest")
    assert r.status_code == 200, r.text
    text = text_of(r)
    assert "10:00–14:00" in text and "Caseworker from the jobcenter" in text and "can decide cases here" in text
    assert "13:00–15:30" in text and "Substance-abuse worker" in text and "bridging to treatment" in text
    assert 'scope="col"' in r.text and 'scope="row"' in r.text
    for staff in odense.staff.values():
        assert staff.email not in r.text
    assert "dropin_outreach" not in r.text and "dropin_coordinator" not in r.text  # their names
    assert "Aarhus" not in text and "Log out" not in text and "Signed in as" not in text
    assert "Next week" in text and "Previous week" in text
    monday = this_monday(odense)
    assert f"week={(monday + dt.timedelta(days=7)).isoformat()}" in r.text
    r = visitor.get(f"/p/odense/dropin/cafe-vest?week={(monday + dt.timedelta(days=9)).isoformat()}")
    assert r.status_code == 200 and "10:00–14:00" in text_of(r)
    r = visitor.get(f"/p/odense/dropin/cafe-vest?week={(monday + dt.timedelta(days=70)).isoformat()}")
    assert r.status_code == 200 and "No schedule is published for this week." in text_of(r)
    r = visitor.get("/p/odense/dropin/cafe-vest?week=2026-02-30")  # mistyped: this week, and why
    assert r.status_code == 422 and "text/html" in r.content_type
    assert "is not a date (YYYY-MM-DD), so this week is shown" in r.text
    assert centre["slug"] == "cafe-vest"


def test_a_holiday_is_closed_and_a_cancellation_has_its_reason(app, client, odense):
    centre = published_centre(client, odense)
    slots = client.get(odense.url(f"{X}/centres/{centre['id']}/slots"), headers=odense.dropin_outreach.headers).json
    tuesday_slot = next(one for one in slots if one["weekday"] == "tuesday")
    next_monday = this_monday(odense) + dt.timedelta(days=7)
    headers = odense.dropin_coordinator.headers
    r = client.post(odense.url(f"{X}/slots/{tuesday_slot['id']}/cancellations"), headers=headers,
                    json={"falls_on": (next_monday + dt.timedelta(days=1)).isoformat(), "reason": "Personalemøde"})
    assert r.status_code == 201, r.json
    r = client.post(odense.url(f"{X}/centres/{centre['id']}/holidays"), headers=headers,
                    json={"starts_on": (next_monday + dt.timedelta(days=3)).isoformat(),
                          "ends_on": (next_monday + dt.timedelta(days=4)).isoformat(), "reason": "Kristi himmelfart"})
    assert r.status_code == 201, r.json
    r = anonymous(app).get(f"/p/odense/dropin/cafe-vest?week={next_monday.isoformat()}")
    text = text_of(r)
    assert "Cancelled: Personalemøde" in text
    assert text.count("Closed: Kristi himmelfart") == 2  # Thursday and Friday
    assert "13:00–15:30" not in text  # Thursday's session is not held: the centre is closed


def test_what_is_not_there_is_a_404(app, client, odense, aarhus, bergen):
    published_centre(client, odense)
    add_centre(client, aarhus, name="Aarhus Værested", slug="aarhus-vaerested")
    closed = add_centre(client, odense, name="Lukket", slug="lukket")
    client.patch(odense.url(f"{X}/centres/{closed['id']}"), headers=odense.dropin_coordinator.headers,
                 json={"active": False})
    visitor = anonymous(app)
    assert visitor.get("/p/odense/dropin/aarhus-vaerested").status_code == 404  # another town's centre
    assert visitor.get("/p/aarhus/dropin/cafe-vest").status_code == 404
    assert visitor.get("/p/odense/dropin/lukket").status_code == 404
    assert visitor.get("/p/odense/dropin/nowhere").status_code == 404
    assert visitor.get("/p/nowhere/dropin/").status_code == 404
    assert visitor.get("/p/bergen/dropin/").status_code == 404  # never enabled
    r = client.delete(odense.url("/plugins/dropin/enabled"), headers=odense.tenant_admin.headers)
    assert r.status_code == 200, r.json
    assert visitor.get("/p/odense/dropin/").status_code == 404
    assert visitor.get("/p/odense/dropin/cafe-vest").status_code == 404


def test_a_week_out_of_range_shows_this_week_with_a_422(app, client, odense):
    published_centre(client, odense)
    visitor = anonymous(app)
    for far in ("0001-01-03", "9999-12-31"):
        r = visitor.get(f"/p/odense/dropin/cafe-vest?week={far}")
        assert r.status_code == 422 and "so this week is shown" in r.text, far
        assert "10:00–14:00" in text_of(r)
