"""The occupancy board and reservations: Alta's building from the plan, a flat free → reserved →
occupied → free again on the days it should be, the partner's flat reserved only by the partner,
a second resident refused with the reason, the empty days the budget counts, bad input a 422
naming the field, and Bergen (no aftercare) 404.

Cases are the core's rows of plugin "aftercare" (written directly: the stays part's workflow opens
them through the API); moving in and out is `occupancy.occupy`/`vacate`, as that part's move_in
and move_out call them."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
import velferd_aftercare
from velferd_aftercare import flats, occupancy
from velferd_aftercare.models import Flat

from tests.helpers import add_person
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed
from velferd.models import Case
from velferd.tenancy import tenant_scope

X = "/x/aftercare"
D1, D2, D3, D4, D5 = (dt.date(2026, 3, day) for day in (1, 2, 3, 4, 5))


@contextmanager
def in_town(app, town):
    """The tenant's scope outside a request, committed at the end (as a view would)."""
    with app.app_context(), tenant_scope(town.tenant):
        yield
        db.session.commit()


def alta_flats(app, town) -> dict[str, int]:
    """Alta's building as the plan describes it; its flats' ids by label."""
    with in_town(app, town):
        building = flats.alta_building(town.tenant)
        return {one.label: one.id for one in flats.flats_of(building.id)}


def aftercare_case(app, client, town, given_name="Kari", family_name="Nordmann", state="awaiting_intake") -> int:
    """A person registered through the API and an open aftercare case for them."""
    person = add_person(client, town, given_name=given_name, family_name=family_name)
    workflow = velferd_aftercare.PLUGIN.workflow
    with in_town(app, town):
        case = Case(person_id=person["id"], plugin="aftercare", state=state,
                    workflow=workflow.name if workflow else "aftercare_stay")
        db.session.add(case)
        db.session.flush()
        return case.id


def move_in(app, town, flat_id, case_id, on):
    with in_town(app, town):
        return occupancy.occupy(db.session.get(Flat, flat_id), case_id, on).id


def move_out(app, town, case_id, on):
    with in_town(app, town):
        occupancy.vacate(case_id, on)


def board(client, town, on, role="aftercare_staff") -> dict[str, dict]:
    r = client.get(town.url(f"{X}/occupancy?on={on.isoformat()}"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    assert r.json["on"] == on.isoformat()
    return {row["label"]: row for row in r.json["flats"]}


def reserve(client, town, flat_id, case_id, starts_on, role="aftercare_leader", **extra):
    return client.post(town.url(f"{X}/reservations"), headers=town.staff[role].headers,
                       json={"flat_id": flat_id, "case_id": case_id, "starts_on": starts_on.isoformat(), **extra})


def test_a_flat_is_free_then_reserved_then_occupied_then_free_again(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta, "Kari", "Nordmann")

    before = board(client, alta, D1)
    assert list(before) == ["1", "2", "3", "4", "5", "6", "7"]
    assert {row["status"] for row in before.values()} == {"free"}
    assert before["7"]["kind"] == "family" and before["6"]["allocated_by"] == "partner"

    r = reserve(client, alta, ids["1"], case_id, D2, note="from Finnmarksklinikken")
    assert r.status_code == 201, r.json
    move_in(app, alta, ids["1"], case_id, D3)
    move_out(app, alta, case_id, D5)

    assert board(client, alta, D1)["1"]["status"] == "free"
    reserved = board(client, alta, D2)["1"]
    assert (reserved["status"], reserved["case_id"], reserved["resident_name"], reserved["since"]) == \
        ("reserved", case_id, "Kari Nordmann", D2.isoformat())
    for day in (D3, D4):
        lived = board(client, alta, day)["1"]
        assert (lived["status"], lived["case_id"], lived["resident_name"], lived["since"]) == \
            ("occupied", case_id, "Kari Nordmann", D3.isoformat())
    after = board(client, alta, D5)["1"]
    assert (after["status"], after["case_id"], after["resident_name"]) == ("free", None, None)
    # the move-in ended the reservation the same day: it no longer covers the days after
    r = client.get(alta.url(f"{X}/reservations?on={D4.isoformat()}"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200 and r.json == []


def test_the_board_shows_the_stays_planned_move_out_and_limit(app, client, alta):
    from velferd_aftercare.stay_models import Stay

    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta, state="living")
    with in_town(app, alta):
        db.session.add(Stay(case_id=case_id, institution="Finnmarkskollektivet", treatment_started_on=dt.date(2025, 1, 6),
                            flat_id=ids["2"], moved_in_on=D1, planned_move_out_on=dt.date(2027, 9, 1),
                            limit_on=dt.date(2028, 3, 1)))
    move_in(app, alta, ids["2"], case_id, D1)
    row = board(client, alta, D2)["2"]
    assert (row["status"], row["planned_move_out_on"], row["limit_on"]) == ("occupied", "2027-09-01", "2028-03-01")


def test_a_second_resident_is_refused_with_the_reason(app, client, alta):
    ids = alta_flats(app, alta)
    first = aftercare_case(app, client, alta, "Kari", "Nordmann")
    second = aftercare_case(app, client, alta, "Per", "Hansen")
    move_in(app, alta, ids["3"], first, D1)
    with in_town(app, alta):
        flat = db.session.get(Flat, ids["3"])
        assert occupancy.refusal_to_occupy(flat, second, D2) == \
            f"flat 3 is occupied (case {first} lives there since 2026-03-01)"
        with pytest.raises(Conflict, match="flat 3 is occupied"):
            occupancy.occupy(flat, second, D2)
        # a day before the first moved in is no better: their stay, open-ended, is in the way
        assert "occupied from 2026-03-01" in occupancy.refusal_to_occupy(flat, second, dt.date(2026, 2, 20))
    move_out(app, alta, first, D4)
    with in_town(app, alta):
        assert occupancy.refusal_to_occupy(db.session.get(Flat, ids["3"]), second, D4) is None


def test_a_flat_reserved_for_another_case_is_refused_and_free_for_its_own(app, client, alta):
    ids = alta_flats(app, alta)
    mine = aftercare_case(app, client, alta)
    other = aftercare_case(app, client, alta, "Per", "Hansen")
    assert reserve(client, alta, ids["4"], mine, D1).status_code == 201
    with in_town(app, alta):
        flat = db.session.get(Flat, ids["4"])
        assert occupancy.refusal_to_occupy(flat, other, D2) == f"flat 4 is reserved for case {mine} since 2026-03-01"
        assert occupancy.refusal_to_occupy(flat, mine, D2) is None
        assert occupancy.reservation_for(mine, ids["4"], D2) is not None
        assert occupancy.reservation_for(other, ids["4"], D2) is None
    # and the flat cannot be reserved twice
    r = reserve(client, alta, ids["4"], other, D3)
    assert r.status_code == 409 and "reserved" in r.json["message"]


def test_one_resident_does_not_live_in_two_flats(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    move_in(app, alta, ids["1"], case_id, D1)
    with in_town(app, alta):
        assert "move out of it first" in occupancy.refusal_to_occupy(db.session.get(Flat, ids["2"]), case_id, D2)


def test_the_partner_flat_is_reserved_by_the_partner_only(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)

    r = reserve(client, alta, ids["6"], case_id, D1, role="aftercare_leader")
    assert r.status_code == 403
    assert "aftercare:allocate:partner" in r.json["message"] and "Finnmarkskollektivet" in r.json["message"]

    r = reserve(client, alta, ids["1"], case_id, D1, role="aftercare_partner")
    assert r.status_code == 403 and "'aftercare:allocate'" in r.json["message"]

    r = reserve(client, alta, ids["6"], case_id, D1, role="aftercare_partner")
    assert r.status_code == 201, r.json
    assert board(client, alta, D1)["6"]["status"] == "reserved"


def test_a_reservation_is_cancelled_and_the_flat_is_free_again(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    reservation = reserve(client, alta, ids["5"], case_id, D1).json
    r = client.post(alta.url(f"{X}/reservations/{reservation['id']}/cancel"), headers=alta.aftercare_staff.headers,
                    json={"on": D3.isoformat()})
    assert r.status_code == 403  # staff may read, not allocate
    r = client.post(alta.url(f"{X}/reservations/{reservation['id']}/cancel"), headers=alta.aftercare_leader.headers,
                    json={"on": D3.isoformat()})
    assert r.status_code == 200, r.json
    assert r.json["ends_on"] == D3.isoformat()
    assert board(client, alta, D2)["5"]["status"] == "reserved"
    assert board(client, alta, D3)["5"]["status"] == "free"
    r = client.post(alta.url(f"{X}/reservations/{reservation['id']}/cancel"), headers=alta.aftercare_leader.headers,
                    json={"on": D4.isoformat()})
    assert r.status_code == 409 and "already ended" in r.json["message"]
    r = client.post(alta.url(f"{X}/reservations/99999/cancel"), headers=alta.aftercare_leader.headers, json={})
    assert r.status_code == 404


def test_occupied_days_counts_the_nights_lived_in(app, client, alta):
    ids = alta_flats(app, alta)
    first = aftercare_case(app, client, alta)
    second = aftercare_case(app, client, alta, "Per", "Hansen")
    move_in(app, alta, ids["1"], first, dt.date(2026, 1, 10))
    move_out(app, alta, first, dt.date(2026, 1, 20))
    move_in(app, alta, ids["1"], second, dt.date(2026, 1, 25))
    with in_town(app, alta):
        assert occupancy.occupied_days(ids["1"], dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == 10 + 7
        assert occupancy.occupied_days(ids["1"], dt.date(2026, 2, 1), dt.date(2026, 3, 1)) == 28
        assert occupancy.occupied_days(ids["2"], dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == 0
        assert occupancy.occupied_days(ids["1"], dt.date(2026, 2, 1), dt.date(2026, 1, 1)) == 0


def test_moving_out_before_moving_in_is_refused_naming_the_date(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    move_in(app, alta, ids["1"], case_id, D3)
    with in_town(app, alta), pytest.raises(ValidationFailed) as refused:
        occupancy.vacate(case_id, D1)
    assert refused.value.status == 422 and "moved_out_on" in refused.value.fields


def test_bad_input_is_a_422_naming_the_field(app, client, alta):
    ids = alta_flats(app, alta)
    case_id = aftercare_case(app, client, alta)
    headers = alta.aftercare_leader.headers

    r = client.get(alta.url(f"{X}/occupancy?on=2026-13-01"), headers=headers)
    assert r.status_code == 422 and "on" in r.json["fields"]
    r = client.get(alta.url(f"{X}/reservations?on=tomorrow"), headers=headers)
    assert r.status_code == 422 and "on" in r.json["fields"]

    r = client.post(alta.url(f"{X}/reservations"), headers=headers, json={"flat_id": ids["1"], "case_id": case_id})
    assert r.status_code == 422 and "starts_on" in r.json["fields"]
    r = reserve(client, alta, ids["1"], case_id, D1, note="x" * 501)
    assert r.status_code == 422 and "note" in r.json["fields"]
    r = reserve(client, alta, 99999, case_id, D1)
    assert r.status_code == 422 and "flat_id" in r.json["fields"]
    r = reserve(client, alta, ids["1"], 99999, D1)
    assert r.status_code == 422 and "case_id" in r.json["fields"]
    r = client.post(alta.url(f"{X}/reservations"), headers=headers,
                    json={"flat_id": ids["1"], "case_id": case_id, "starts_on": "2026-03-01", "colour": "red"})
    assert r.status_code == 422 and "colour" in r.json["fields"]


def test_a_case_of_another_programme_gets_no_flat(app, client, alta):
    ids = alta_flats(app, alta)
    person = add_person(client, alta)
    with in_town(app, alta):
        case = Case(person_id=person["id"], plugin="example", workflow="example", state="open")
        db.session.add(case)
        db.session.flush()
        case_id = case.id
    r = reserve(client, alta, ids["1"], case_id, D1)
    assert r.status_code == 422 and r.json["fields"]["case_id"] == ["not an aftercare case"]


def test_bergen_without_aftercare_gets_404(app, client, bergen):
    for path in ("/occupancy", "/reservations"):
        assert client.get(bergen.url(X + path), headers=bergen.caseworker.headers).status_code == 404
    r = client.post(bergen.url(f"{X}/reservations"), headers=bergen.caseworker.headers,
                    json={"flat_id": 1, "case_id": 1, "starts_on": "2026-03-01"})
    assert r.status_code == 404


def test_the_occupancy_is_the_tenants_own(app, client, alta, bergen):
    ids = alta_flats(app, alta)
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(sa.func.count(Flat.id))) == 0
        assert occupancy.board(D1) == []
        assert occupancy.reservation_for(1, ids["1"], D1) is None
