"""Drop-in centres and their cooperation agreements, through the API and the pages: a centre
added, listed and changed (its slug made from the name); the agreement's dates refused naming the
field; a duplicate name a 409; whether an agreement is in force on a day and when it is renewed; a
centre without a private room flagged ("På værestedet skal der være et fysisk rum, som de
fremskudte medarbejdere kan bruge til at have fortrolige samtaler med borgeren."); the centre
staff may read but not manage; Aarhus never sees Odense's centres; Bergen gets 404."""

from __future__ import annotations

import datetime as dt

from velferd_dropin import centres

from tests.plugins.dropin.pages import X, page, text_of
from velferd.db import db
from velferd.tenancy import tenant_scope

FLAG = "The model needs a private room for confidential talks."
AGREEMENT = {"parties": "Odense Kommune og Café Vest", "municipality_provides": "Fremskudt sagsbehandling",
             "centre_provides": "Et rum til fortrolige samtaler", "starts_on": "2026-01-01",
             "ends_on": "2026-12-31", "renew_by": "2026-10-01"}


def add_centre(client, town, **body):
    body = {"name": "Café Vest", "ownership": "private", **body}
    r = client.post(town.url(f"{X}/centres"), headers=town.dropin_coordinator.headers, json=body)
    assert r.status_code == 201, r.json
    return r.json


def add_agreement(client, town, centre_id, **body):
    return client.post(town.url(f"{X}/centres/{centre_id}/agreements"), headers=town.dropin_coordinator.headers,
                       json={**AGREEMENT, **body})


# --- the API --------------------------------------------------------------------------------------

def test_a_centre_is_added_listed_and_changed(client, odense):
    created = add_centre(client, odense, name="Værestedet Åen", address="Åvej 1")
    assert (created["slug"], created["private_room"], created["active"]) == ("vaerestedet-aaen", False, True)
    assert created["agreements"] == [] and created["agreement_in_force"] is False

    r = client.get(odense.url(f"{X}/centres"), headers=odense.dropin_outreach.headers)
    assert r.status_code == 200 and [one["name"] for one in r.json] == ["Værestedet Åen"]

    r = client.patch(odense.url(f"{X}/centres/{created['id']}"), headers=odense.dropin_coordinator.headers,
                     json={"ownership": "municipal", "private_room": True, "slug": "aaen"})
    assert r.status_code == 200, r.json
    assert (r.json["ownership"], r.json["private_room"], r.json["slug"], r.json["flag"]) == \
        ("municipal", True, "aaen", None)
    r = client.get(odense.url(f"{X}/centres/{created['id']}"), headers=odense.dropin_centre_staff.headers)
    assert r.status_code == 200 and r.json["name"] == "Værestedet Åen"


def test_bad_centre_input_is_refused_naming_the_field(client, odense):
    headers = odense.dropin_coordinator.headers
    for body, field in (({"ownership": "private"}, "name"), ({"name": "A", "ownership": "church"}, "ownership"),
                        ({"name": "A", "ownership": "private", "slug": "Not A Slug"}, "slug"),
                        ({"name": "A", "ownership": "private", "rooms": 2}, "rooms")):
        r = client.post(odense.url(f"{X}/centres"), headers=headers, json=body)
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)


def test_a_duplicate_name_or_slug_is_a_409(client, odense):
    first = add_centre(client, odense)
    r = client.post(odense.url(f"{X}/centres"), headers=odense.dropin_coordinator.headers,
                    json={"name": "Café Vest", "ownership": "municipal"})
    assert r.status_code == 409 and "name" in r.json["fields"]
    other = add_centre(client, odense, name="Cafe Vest")  # the same derived slug: numbered
    assert (first["slug"], other["slug"]) == ("cafe-vest", "cafe-vest-2")
    r = client.patch(odense.url(f"{X}/centres/{other['id']}"), headers=odense.dropin_coordinator.headers,
                     json={"name": "Café Vest"})
    assert r.status_code == 409 and "name" in r.json["fields"]
    r = client.patch(odense.url(f"{X}/centres/{other['id']}"), headers=odense.dropin_coordinator.headers,
                     json={"slug": "cafe-vest"})
    assert r.status_code == 409 and "slug" in r.json["fields"]


def test_agreement_dates_are_refused_naming_the_field(client, odense):
    centre = add_centre(client, odense)
    r = add_agreement(client, odense, centre["id"], ends_on="2025-12-31")
    assert r.status_code == 422 and "ends_on" in r.json["fields"], r.json
    r = add_agreement(client, odense, centre["id"], renew_by="2027-01-01")
    assert r.status_code == 422 and "renew_by" in r.json["fields"], r.json
    r = add_agreement(client, odense, centre["id"], starts_on=None)
    assert r.status_code == 422 and "starts_on" in r.json["fields"]
    r = add_agreement(client, odense, centre["id"])
    assert r.status_code == 201, r.json
    r = client.patch(odense.url(f"{X}/agreements/{r.json['id']}"), headers=odense.dropin_coordinator.headers,
                     json={"starts_on": "2027-02-01"})
    assert r.status_code == 422 and "ends_on" in r.json["fields"]
    assert client.get(odense.url(f"{X}/centres/{centre['id']}/agreements"),
                      headers=odense.dropin_coordinator.headers).json[0]["starts_on"] == "2026-01-01"


def test_the_agreement_in_force_on_a_day_and_its_renewal(app, client, odense):
    centre = add_centre(client, odense)
    agreement = add_agreement(client, odense, centre["id"]).json
    headers = odense.dropin_outreach.headers

    def listed(on):
        (row,) = client.get(odense.url(f"{X}/centres?on={on}"), headers=headers).json
        return row["agreement_in_force"], row["renew_by"], row["agreement_id"]

    assert listed("2025-12-31") == (False, None, None)
    assert listed("2026-01-01") == (True, "2026-10-01", agreement["id"])
    assert listed("2026-12-31") == (True, "2026-10-01", agreement["id"])
    assert listed("2027-01-01") == (False, None, None)
    r = client.patch(odense.url(f"{X}/agreements/{agreement['id']}"), headers=odense.dropin_coordinator.headers,
                     json={"ends_on": None})
    assert r.status_code == 200 and r.json["ends_on"] is None
    assert listed("2030-06-01") == (True, "2026-10-01", agreement["id"])
    r = client.get(odense.url(f"{X}/centres/{centre['id']}/agreements?on=2025-06-01"), headers=headers)
    assert [one["in_force"] for one in r.json] == [False]
    assert client.get(odense.url(f"{X}/centres?on=2026-13-01"), headers=headers).status_code == 422

    with app.app_context(), tenant_scope(odense.tenant):
        found = centres.centre(centre["id"])
        assert centres.agreement_in_force(found, dt.date(2026, 5, 1)).id == agreement["id"]
        assert centres.agreement_in_force(found, dt.date(2025, 5, 1)) is None


def test_a_centre_without_a_private_room_is_flagged(client, odense):
    without = add_centre(client, odense, name="Uden rum")
    with_room = add_centre(client, odense, name="Med rum", private_room=True)
    assert (without["private_room_needed"], without["flag"]) == (True, FLAG)
    assert (with_room["private_room_needed"], with_room["flag"]) == (False, None)


def test_the_demo_centres_are_made_once(app, client, odense):
    for _ in range(2):
        with app.app_context(), tenant_scope(odense.tenant):
            centres.odense_centres(odense.tenant)
            db.session.commit()
    listed = client.get(odense.url(f"{X}/centres"), headers=odense.dropin_outreach.headers).json
    assert sorted(one["ownership"] for one in listed) == ["municipal", "private"]
    assert all(one["agreement_in_force"] and len(one["agreements"]) == 1 for one in listed)


def test_the_centre_staff_may_read_but_not_manage(client, odense):
    centre = add_centre(client, odense)
    headers = odense.dropin_centre_staff.headers
    assert client.get(odense.url(f"{X}/centres"), headers=headers).status_code == 200
    r = client.post(odense.url(f"{X}/centres"), headers=headers, json={"name": "N", "ownership": "private"})
    assert r.status_code == 403 and "dropin:centres:manage" in r.json["message"]
    assert client.patch(odense.url(f"{X}/centres/{centre['id']}"), headers=headers,
                        json={"active": False}).status_code == 403
    assert add_agreement(client, odense, centre["id"]).status_code == 201
    r = client.post(odense.url(f"{X}/centres/{centre['id']}/agreements"), headers=headers, json=AGREEMENT)
    assert r.status_code == 403


def test_aarhus_never_sees_odenses_centres(client, odense, aarhus):
    centre = add_centre(client, odense)
    agreement = add_agreement(client, odense, centre["id"]).json
    headers = aarhus.dropin_coordinator.headers
    assert client.get(aarhus.url(f"{X}/centres"), headers=headers).json == []
    assert client.get(aarhus.url(f"{X}/centres/{centre['id']}"), headers=headers).status_code == 404
    assert client.get(aarhus.url(f"{X}/centres/{centre['id']}/agreements"), headers=headers).status_code == 404
    assert client.patch(aarhus.url(f"{X}/agreements/{agreement['id']}"), headers=headers,
                        json={"parties": "x"}).status_code == 404
    # Aarhus may use the same name
    assert add_centre(client, aarhus)["slug"] == "cafe-vest"


def test_bergen_gets_404(client, bergen, browse):
    for path in ("/centres", "/centres/1", "/centres/1/agreements"):
        assert client.get(bergen.url(X + path), headers=bergen.caseworker.headers).status_code == 404
    browser = browse(bergen, "caseworker")
    assert browser.get(page(bergen, "/centres")).status_code == 404
    assert browser.post(page(bergen, "/centres"), data={"name": "N"}).status_code == 404


# --- the pages ------------------------------------------------------------------------------------

def test_the_centres_page_lists_flags_and_adds_a_centre(client, odense, browse):
    centre = add_centre(client, odense)
    add_agreement(client, odense, centre["id"])
    coordinator = browse(odense, "dropin_coordinator")
    r = coordinator.get(page(odense, "/centres?on=2026-05-01"))
    assert r.status_code == 200
    text = text_of(r)
    assert "Café Vest" in text and FLAG in text and "fortrolige samtaler" in text
    assert 'scope="col"' in r.text and 'scope="row"' in r.text and "Add a centre" in text
    assert "No agreement in force" not in text
    assert "No agreement in force" in text_of(coordinator.get(page(odense, "/centres?on=2027-05-01")))
    assert coordinator.get(page(odense, "/centres?on=2026-02-30")).status_code == 422

    r = coordinator.post(page(odense, "/centres"), data={"ownership": "private"})
    assert r.status_code == 422 and 'href="#centre-field-name"' in r.text and "There is a problem" in r.text
    r = coordinator.post(page(odense, "/centres"), data={"name": "Café Vest", "ownership": "municipal"})
    assert r.status_code == 409 and "already a centre named" in r.text
    assert 'value="Café Vest"' in r.text  # what was typed is kept
    r = coordinator.post(page(odense, "/centres"), data={"name": "Huset", "ownership": "municipal",
                                                          "private_room": "on", "active": "on"})
    assert r.status_code == 302
    assert "The centre Huset is added." in coordinator.get(r.headers["Location"]).text

    staff = browse(odense, "dropin_centre_staff")
    r = staff.get(page(odense, "/centres"))
    assert r.status_code == 200 and "Café Vest" in r.text and "Add a centre" not in r.text
    assert staff.post(page(odense, "/centres"), data={"name": "X", "ownership": "private"}).status_code == 403


def test_a_centres_page_shows_its_agreements_and_its_forms_refuse_with_the_field(client, odense, aarhus, browse):
    centre = add_centre(client, odense)
    coordinator = browse(odense, "dropin_coordinator")
    path = page(odense, f"/centres/{centre['id']}")
    r = coordinator.get(path)
    assert r.status_code == 200 and "The centre has no cooperation agreement yet." in r.text and FLAG in text_of(r)

    r = coordinator.post(path + "/agreements", data={**AGREEMENT, "ends_on": "2025-01-01"})
    assert r.status_code == 422 and 'href="#agreement-field-ends-on"' in r.text
    r = coordinator.post(path + "/agreements", data=AGREEMENT)
    assert r.status_code == 302
    text = text_of(coordinator.get(r.headers["Location"]))
    assert "The agreement is added to Café Vest." in text and "1 agreement with Café Vest" in text
    agreement_id = client.get(odense.url(f"{X}/centres/{centre['id']}/agreements"),
                              headers=odense.dropin_outreach.headers).json[0]["id"]

    r = coordinator.post(path, data={"name": "Café Vest", "ownership": "private", "slug": "Bad Slug"})
    assert r.status_code == 422 and 'href="#centre-changes-field-slug"' in r.text
    r = coordinator.post(path, data={"name": "Café Øst", "ownership": "private", "slug": "cafe-oest",
                                     "private_room": "on", "active": "on"})
    assert r.status_code == 302
    changed = client.get(odense.url(f"{X}/centres/{centre['id']}"), headers=odense.dropin_outreach.headers).json
    assert (changed["name"], changed["slug"], changed["private_room"]) == ("Café Øst", "cafe-oest", True)

    edit = page(odense, f"/agreements/{agreement_id}")
    r = coordinator.get(edit)
    assert r.status_code == 200 and 'value="2026-10-01"' in r.text
    r = coordinator.post(edit, data={**AGREEMENT, "renew_by": "2027-02-01"})
    assert r.status_code == 422 and 'href="#agreement-changes-field-renew-by"' in r.text
    r = coordinator.post(edit, data={**AGREEMENT, "parties": "Odense Kommune og Café Øst"})
    assert r.status_code == 302 and "Odense Kommune og Café Øst" in coordinator.get(r.headers["Location"]).text

    staff = browse(odense, "dropin_centre_staff")
    r = staff.get(path)
    assert r.status_code == 200 and "Change the centre" not in r.text and "Edit the agreement" not in r.text
    assert staff.post(path, data={"name": "X", "ownership": "private"}).status_code == 403
    assert staff.get(edit).status_code == 403
    assert browse(aarhus, "dropin_coordinator").get(page(aarhus, f"/centres/{centre['id']}")).status_code == 404
