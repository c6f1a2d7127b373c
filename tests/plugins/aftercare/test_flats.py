"""Buildings and flats as data, through the API and the pages: Alta's building as the plan
describes it (7 flats, 6 single units and 1 family flat, each with its own entrance, one at
Finnmarkskollektivet's disposal, owned by Stiftelsen Utleieboliger, common room and staff room),
set up once however often it is asked for; a label unique in its building; a partner's flat naming
the partner; a flat someone lives in not taken out of use; the occupancy board and the flats pages
as a browser uses them; bad input a 4xx naming the field; Bergen (no aftercare) 404."""

from __future__ import annotations

import datetime as dt
import re

from tests.plugins.aftercare.pages import page, text_of
from tests.plugins.aftercare.test_occupancy import X, aftercare_case, alta_flats, move_in, reserve
from velferd.clock import tenant_today


def buildings(client, town, role="aftercare_staff"):
    r = client.get(town.url(f"{X}/buildings"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


# --- the API --------------------------------------------------------------------------------------

def test_alta_building_is_the_plans_and_set_up_once(client, alta):
    for _ in range(2):
        r = client.post(alta.url(f"{X}/buildings/alta"), headers=alta.aftercare_leader.headers)
        assert r.status_code == 200, r.json
    (building,) = buildings(client, alta)
    assert (building["owner"], building["common_room"], building["staff_room"]) == \
        ("Stiftelsen Utleieboliger", True, True)
    flats = building["flats"]
    assert len(flats) == 7
    assert sorted(flat["kind"] for flat in flats) == ["family"] + ["single"] * 6
    assert all(flat["own_entrance"] and flat["active"] for flat in flats)
    partner = [flat for flat in flats if flat["allocated_by"] == "partner"]
    assert [(flat["partner_name"], flat["kind"]) for flat in partner] == [("Finnmarkskollektivet", "single")]


def test_buildings_and_flats_are_added_and_changed(client, alta):
    headers = alta.aftercare_leader.headers
    r = client.post(alta.url(f"{X}/buildings"), headers=headers,
                    json={"name": "Bossekop", "owner": "Alta kommune", "address": "Bossekopveien 1"})
    assert r.status_code == 201, r.json
    building = r.json
    assert (building["common_room"], building["staff_room"], building["flats"]) == (False, False, [])

    r = client.post(alta.url(f"{X}/buildings/{building['id']}/flats"), headers=headers,
                    json={"label": "A", "kind": "family"})
    assert r.status_code == 201, r.json
    assert (r.json["allocated_by"], r.json["own_entrance"], r.json["active"]) == ("municipality", True, True)
    flat_id = r.json["id"]

    r = client.patch(alta.url(f"{X}/flats/{flat_id}"), headers=headers,
                     json={"allocated_by": "partner", "partner_name": "Finnmarkskollektivet", "own_entrance": False})
    assert r.status_code == 200, r.json
    assert (r.json["allocated_by"], r.json["partner_name"], r.json["own_entrance"]) == \
        ("partner", "Finnmarkskollektivet", False)
    r = client.patch(alta.url(f"{X}/flats/{flat_id}"), headers=headers, json={"allocated_by": "municipality"})
    assert (r.json["allocated_by"], r.json["partner_name"]) == ("municipality", None)

    r = client.patch(alta.url(f"{X}/buildings/{building['id']}"), headers=headers, json={"common_room": True})
    assert r.status_code == 200 and r.json["common_room"] is True
    r = client.get(alta.url(f"{X}/flats?building_id={building['id']}"), headers=alta.aftercare_staff.headers)
    assert [flat["label"] for flat in r.json] == ["A"]


def test_a_label_is_unique_in_its_building_and_a_name_in_the_municipality(client, alta):
    headers = alta.aftercare_leader.headers
    ids = client.post(alta.url(f"{X}/buildings/alta"), headers=headers).json
    r = client.post(alta.url(f"{X}/buildings/{ids['id']}/flats"), headers=headers, json={"label": "3", "kind": "single"})
    assert r.status_code == 409 and "label" in r.json["fields"] and "'3'" in r.json["message"]
    other = next(flat for flat in ids["flats"] if flat["label"] == "4")
    r = client.patch(alta.url(f"{X}/flats/{other['id']}"), headers=headers, json={"label": "3"})
    assert r.status_code == 409 and "label" in r.json["fields"]
    r = client.post(alta.url(f"{X}/buildings"), headers=headers, json={"name": ids["name"], "owner": "Someone"})
    assert r.status_code == 409 and "name" in r.json["fields"]
    # another building may have a flat 3
    second = client.post(alta.url(f"{X}/buildings"), headers=headers, json={"name": "Elvebakken", "owner": "X"}).json
    r = client.post(alta.url(f"{X}/buildings/{second['id']}/flats"), headers=headers,
                    json={"label": "3", "kind": "single"})
    assert r.status_code == 201


def test_bad_input_is_a_422_naming_the_field(client, alta):
    headers = alta.aftercare_leader.headers
    building = client.post(alta.url(f"{X}/buildings/alta"), headers=headers).json
    flats_url = alta.url(f"{X}/buildings/{building['id']}/flats")
    for body, field in (({"kind": "single"}, "label"), ({"label": "8", "kind": "penthouse"}, "kind"),
                        ({"label": "8", "kind": "single", "allocated_by": "nav"}, "allocated_by"),
                        ({"label": "8", "kind": "single", "allocated_by": "partner"}, "partner_name"),
                        ({"label": "x" * 41, "kind": "single"}, "label"),
                        ({"label": "8", "kind": "single", "floor": 2}, "floor")):
        r = client.post(flats_url, headers=headers, json=body)
        assert r.status_code == 422, (body, r.json)
        assert field in r.json["fields"], (body, r.json)
    r = client.post(alta.url(f"{X}/buildings"), headers=headers, json={"name": "Nytt"})
    assert r.status_code == 422 and "owner" in r.json["fields"]
    r = client.patch(alta.url(f"{X}/flats/{building['flats'][0]['id']}"), headers=headers, json={"active": "maybe"})
    assert r.status_code == 422 and "active" in r.json["fields"]
    r = client.get(alta.url(f"{X}/flats?building_id=one"), headers=headers)
    assert r.status_code == 422 and "building_id" in r.json["fields"]
    assert client.get(alta.url(f"{X}/flats/99999"), headers=headers).status_code == 404


def test_only_who_manages_the_housing_changes_it(client, alta):
    r = client.post(alta.url(f"{X}/buildings/alta"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 403 and "aftercare:housing:manage" in r.json["message"]
    r = client.post(alta.url(f"{X}/buildings"), headers=alta.aftercare_partner.headers, json={"name": "N", "owner": "O"})
    assert r.status_code == 403


def test_a_flat_someone_lives_in_is_not_taken_out_of_use(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    move_in(app, alta, ids["2"], case_id, dt.date(2026, 3, 1))
    headers = alta.aftercare_leader.headers
    r = client.patch(alta.url(f"{X}/flats/{ids['2']}"), headers=headers, json={"active": False})
    assert r.status_code == 409
    assert "someone lives there" in r.json["message"] and f"case {case_id}" in r.json["message"]
    r = client.patch(alta.url(f"{X}/flats/{ids['3']}"), headers=headers, json={"active": False})
    assert r.status_code == 200 and r.json["active"] is False
    board = client.get(alta.url(f"{X}/occupancy?on=2026-03-02"), headers=headers).json["flats"]
    assert [row["label"] for row in board] == ["1", "2", "4", "5", "6", "7"]


def test_bergen_without_aftercare_gets_404(client, bergen, browse):
    for path in ("/buildings", "/flats"):
        assert client.get(bergen.url(X + path), headers=bergen.caseworker.headers).status_code == 404
    browser = browse(bergen, "caseworker")
    for path in ("/flats", "/board"):
        assert browser.get(page(bergen, path)).status_code == 404
    assert browser.post(page(bergen, "/buildings/alta")).status_code == 404


# --- the pages ------------------------------------------------------------------------------------

def test_the_flats_page_lists_the_building_and_its_flats_with_forms_for_the_leader(app, client, alta, browse):
    leader = browse(alta, "aftercare_leader")
    r = leader.get(page(alta, "/flats"))
    assert r.status_code == 200
    assert "No buildings are registered yet." in r.text
    r = leader.post(page(alta, "/buildings/alta"))
    assert r.status_code == 302
    r = leader.get(r.headers["Location"])
    text = text_of(r)
    assert "Stiftelsen Utleieboliger" in text and "7 flats in Ettervernsboligene" in text
    assert "Finnmarkskollektivet" in text and "Family flat" in text
    assert 'scope="col"' in r.text and "Add a flat to Ettervernsboligene" in text

    staff = browse(alta, "aftercare_staff")
    r = staff.get(page(alta, "/flats"))
    assert r.status_code == 200 and "7 flats" in text_of(r)
    assert "Add a flat" not in r.text and "Edit flat" not in r.text


def test_a_flat_is_added_and_edited_through_the_pages_and_a_bad_form_names_the_field(app, client, alta, browse):
    building = client.post(alta.url(f"{X}/buildings/alta"), headers=alta.aftercare_leader.headers).json
    leader = browse(alta, "aftercare_leader")
    add = page(alta, f"/buildings/{building['id']}/flats")

    r = leader.post(add, data={"label": "8", "kind": "single", "own_entrance": "on", "allocated_by": "partner"})
    assert r.status_code == 422
    assert "There is a problem" in r.text and f'href="#flat-{building["id"]}-field-partner-name"' in r.text
    assert 'value="8"' in r.text  # what was typed is kept

    r = leader.post(add, data={"label": "3", "kind": "single"})
    assert r.status_code == 409 and "already has a flat labelled" in r.text

    r = leader.post(add, data={"label": "8", "kind": "single", "own_entrance": "on", "allocated_by": "municipality"})
    assert r.status_code == 302
    assert "Flat 8 is added." in leader.get(r.headers["Location"]).text
    flat = next(one for one in client.get(alta.url(f"{X}/flats"), headers=alta.aftercare_staff.headers).json
                if one["label"] == "8")

    r = leader.get(page(alta, f"/flats/{flat['id']}"))
    assert r.status_code == 200 and 'name="label"' in r.text and 'value="8"' in r.text
    r = leader.post(page(alta, f"/flats/{flat['id']}"),
                    data={"label": "8B", "kind": "family", "allocated_by": "municipality", "active": "on"})
    assert r.status_code == 302
    changed = client.get(alta.url(f"{X}/flats/{flat['id']}"), headers=alta.aftercare_staff.headers).json
    assert (changed["label"], changed["kind"], changed["own_entrance"]) == ("8B", "family", False)

    r = leader.post(page(alta, "/buildings"), data={"name": "Nytt hus"})
    assert r.status_code == 422 and 'href="#building-field-owner"' in r.text

    staff = browse(alta, "aftercare_staff")
    assert staff.post(add, data={"label": "9", "kind": "single"}).status_code == 403
    assert staff.get(page(alta, f"/flats/{flat['id']}")).status_code == 403


def test_a_lived_in_flat_taken_out_of_use_on_the_page_is_refused_with_why(app, client, alta, browse):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    move_in(app, alta, ids["1"], case_id, dt.date(2026, 3, 1))
    leader = browse(alta, "aftercare_leader")
    r = leader.post(page(alta, f"/flats/{ids['1']}"), data={"label": "1", "kind": "single", "allocated_by": "municipality"})
    assert r.status_code == 409 and "someone lives there" in r.text


def test_the_board_page_shows_the_day_and_reserves_a_free_flat(app, client, alta, browse):
    ids = alta_flats(app, alta)
    resident = aftercare_case(app, client, alta, "Kari", "Nordmann")
    waiting = aftercare_case(app, client, alta, "Per", "Hansen")
    move_in(app, alta, ids["1"], resident, dt.date(2026, 3, 1))

    leader = browse(alta, "aftercare_leader")
    r = leader.get(page(alta, "/board?on=2026-03-02"))
    assert r.status_code == 200
    text = text_of(r)
    assert "Occupied" in text and "Kari Nordmann" in text and "Free: 6. Reserved: 0. Occupied: 1." in text
    assert f'/t/alta/cases/{resident}"' in r.text  # the name links to the case
    assert 'scope="row"' in r.text and 'for="reserve-field-case-id"' in r.text
    assert f"Case {waiting} – Per Hansen" in text

    r = leader.post(page(alta, "/board/reservations"), data={"flat_id": ids["1"], "case_id": waiting,
                                                              "starts_on": "2026-03-02"})
    assert r.status_code == 409 and "flat 1 is lived in" in r.text
    r = leader.post(page(alta, "/board/reservations"), data={"flat_id": ids["2"], "starts_on": "2026-03-02"})
    assert r.status_code == 422 and 'href="#reserve-field-case-id"' in r.text
    r = leader.post(page(alta, "/board/reservations"), data={"flat_id": ids["6"], "case_id": waiting,
                                                              "starts_on": "2026-03-02"})
    assert r.status_code == 403 and "aftercare:allocate:partner" in r.text

    r = leader.post(page(alta, "/board/reservations"), data={"flat_id": ids["2"], "case_id": waiting,
                                                              "starts_on": "2026-03-02", "note": "after discharge"})
    assert r.status_code == 302 and "on=2026-03-02" in r.headers["Location"]
    text = text_of(leader.get(r.headers["Location"]))
    assert "Flat 2 is reserved for case" in text and "Free: 5. Reserved: 1. Occupied: 1." in text
    assert "Per Hansen" in text

    r = leader.get(page(alta, "/board?on=2026-02-30"))
    assert r.status_code == 422 and 'href="#board-day-field-on"' in r.text


def test_the_board_is_read_only_for_staff_and_the_menu_links_it(app, client, alta, browse):
    alta_flats(app, alta)
    aftercare_case(app, client, alta)
    staff = browse(alta, "aftercare_staff")
    r = staff.get(page(alta, "/board"))
    assert r.status_code == 200 and "Reserve a free flat" not in r.text
    assert "Occupancy board" in r.text and f"/t/alta{X}/flats" in r.text  # the menu
    partner = browse(alta, "aftercare_partner")
    r = partner.get(page(alta, "/board"))
    assert r.status_code == 200 and "Reserve a free flat" in r.text
    # the partner may reserve its own flat only: flat 6 is the one offered
    assert len(re.findall(r'<option value="\d+">Ettervernsboligene', r.text)) == 1


def test_a_reservation_is_cancelled_on_the_board_page(app, client, alta, browse):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta, "Per", "Hansen")
    with app.app_context():
        today = tenant_today(alta.tenant)
    reservation = reserve(client, alta, ids["3"], case_id, today).json
    leader = browse(alta, "aftercare_leader")
    r = leader.get(page(alta, "/board"))
    assert "Free: 6. Reserved: 1. Occupied: 0." in text_of(r) and "Cancel the reservation of flat 3" in r.text
    # a case that holds a reservation is not offered another
    assert f"Case {case_id} – Per Hansen" not in r.text

    staff = browse(alta, "aftercare_staff")
    r = staff.post(page(alta, f"/board/reservations/{reservation['id']}/cancel"), data={"shown_on": today.isoformat()})
    assert r.status_code == 403 and "aftercare:allocate" in r.text

    r = leader.post(page(alta, f"/board/reservations/{reservation['id']}/cancel"), data={"shown_on": today.isoformat()})
    assert r.status_code == 302
    text = text_of(leader.get(r.headers["Location"]))
    assert "The reservation is cancelled." in text and "Free: 7. Reserved: 0. Occupied: 0." in text
    r = leader.post(page(alta, f"/board/reservations/{reservation['id']}/cancel"), data={"shown_on": today.isoformat()})
    assert r.status_code == 409 and "already ended" in r.text
