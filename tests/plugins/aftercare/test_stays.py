"""A stay from the application to the move-out, through the API: the assessment while the person
is in treatment, no acceptance without consent, no intake without the signed rules, before the
treatment has ended, into a taken flat or into the partner's flat without a year at the partner
and its reservation; the living phase's dates from the settings; the move-out frees the flat.
Bad input is a 422 naming the field; Bergen (no aftercare) gets 404."""

from __future__ import annotations

import datetime as dt

from velferd_aftercare.stays import add_months

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.stay_flows import X


def board(client, town, on):
    r = client.get(town.url(f"{X}/occupancy?on={on.isoformat()}"), headers=town.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    return {row["label"]: row for row in r.json["flats"]}


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 24) == dt.date(2028, 3, 15)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_a_stay_from_the_application_to_the_move_out(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    ended = today - dt.timedelta(days=10)
    case_id = flow.new_case(client, alta)

    # the assessment starts during the treatment, from the application
    r = flow.move(client, alta, case_id, "start_assessment", role="aftercare_staff")
    assert r.status_code == 409 and "application" in r.json["message"]
    r = flow.apply(client, alta, case_id, flow.application(today - dt.timedelta(days=300), home_municipality="Hammerfest",
                                                           expected_discharge_on=ended.isoformat()))
    assert r.status_code == 201, r.json
    assert flow.move(client, alta, case_id, "start_assessment", role="aftercare_staff").status_code == 200
    shown = flow.stay(client, alta, case_id)
    assert shown["institution"] == "Finnmarkskollektivet"
    assert shown["partner_municipality"] == "Hammerfest"
    assert shown["expected_discharge_on"] == ended.isoformat()
    assert shown["consent_on"] is None and shown["limit_on"] is None

    # no consent, no acceptance
    r = flow.move(client, alta, case_id, "accept", {"reasons": "Motivated."})
    assert r.status_code == 409 and "consent" in r.json["message"]
    assert flow.record(client, alta, case_id, "consent", "consent_on", ended).status_code == 200
    assert flow.move(client, alta, case_id, "accept", {"reasons": "Motivated."}).status_code == 200

    # intake: the signed rules and the end of the treatment first
    move_in = {"flat_id": flats["1"], "moved_in_on": today.isoformat()}
    r = flow.move(client, alta, case_id, "move_in", move_in)
    assert r.status_code == 409
    reasons = " ".join(r.json["fields"]["reasons"])
    assert "rules and agreement are not signed" in reasons and "end of the treatment" in reasons
    assert flow.record(client, alta, case_id, "rules-agreed", "rules_agreed_on", ended).status_code == 200
    assert flow.record(client, alta, case_id, "treatment-ended", "treatment_ended_on", today).status_code == 200
    r = flow.move(client, alta, case_id, "move_in", {**move_in, "moved_in_on": (today - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 409 and "after the move-in" in r.json["message"]
    r = flow.move(client, alta, case_id, "move_in", {**move_in, "moved_in_on": (today + dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 409 and "in the future" in r.json["message"]
    r = flow.move(client, alta, case_id, "move_in", move_in)
    assert r.status_code == 200, r.json

    shown = flow.stay(client, alta, case_id)
    assert shown["state"] == "living" and shown["flat_label"] == "1"
    assert shown["moved_in_on"] == today.isoformat()
    assert shown["planned_move_out_on"] == add_months(today, 18).isoformat()
    assert shown["limit_on"] == add_months(today, 24).isoformat()
    assert shown["days_left"] == (add_months(today, 24) - today).days and shown["limit_passed"] is False
    assert board(client, alta, today)["1"]["status"] == "occupied"

    # the application no longer changes once the person lives there
    r = flow.apply(client, alta, case_id, flow.application(today - dt.timedelta(days=300)))
    assert r.status_code == 409

    # the move-out: planned, then made; the flat is free from that day
    r = flow.move(client, alta, case_id, "plan_move_out", {"destination": "home_municipality",
                                                            "planned_on": add_months(today, 12).isoformat()})
    assert r.status_code == 200, r.json
    assert flow.stay(client, alta, case_id)["planned_move_out_on"] == add_months(today, 12).isoformat()
    r = flow.move(client, alta, case_id, "move_out", {"moved_out_on": today.isoformat(), "destination": "own_home_alta"})
    assert r.status_code == 200, r.json
    shown = flow.stay(client, alta, case_id)
    assert shown["state"] == "moved_out" and shown["destination"] == "own_home_alta"
    assert shown["moved_out_on"] == today.isoformat() and shown["days_left"] is None
    assert board(client, alta, today)["1"]["status"] == "free"
    r = client.get(alta.url(f"/cases/{case_id}"), headers=alta.aftercare_staff.headers)
    assert r.json["state"] == "moved_out"


def test_a_second_resident_is_refused_the_taken_flat_with_the_reason(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    flow.resident(client, alta, flats["2"], today - dt.timedelta(days=3))
    ended = today - dt.timedelta(days=1)
    other = flow.ready_for_intake(client, alta, flow.months_before(ended, 6), ended)
    r = flow.move(client, alta, other, "move_in", {"flat_id": flats["2"], "moved_in_on": today.isoformat()})
    assert r.status_code == 409 and "flat 2 is occupied" in r.json["message"]
    r = flow.move(client, alta, other, "move_in", {"flat_id": 999999, "moved_in_on": today.isoformat()})
    assert r.status_code == 409 and "no flat 999999" in r.json["message"]
    assert flow.stay(client, alta, other)["state"] == "awaiting_intake"


def test_the_partner_flat_is_for_a_year_at_the_partner_and_its_reservation(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    ended = today - dt.timedelta(days=1)
    move_in = {"flat_id": flats["6"], "moved_in_on": today.isoformat()}

    elsewhere = flow.ready_for_intake(client, alta, flow.months_before(ended, 13), ended, institution="Valdres")
    r = flow.move(client, alta, elsewhere, "move_in", move_in)
    assert r.status_code == 409 and "for a person in treatment there" in r.json["message"]

    short = flow.ready_for_intake(client, alta, ended - dt.timedelta(days=300), ended, at_partner_institution=True)
    r = flow.move(client, alta, short, "move_in", move_in)
    assert r.status_code == 409 and "12 months" in r.json["message"]

    year = flow.ready_for_intake(client, alta, flow.months_before(ended, 12), ended, at_partner_institution=True)
    r = flow.move(client, alta, year, "move_in", move_in)
    assert r.status_code == 409 and "has not reserved the flat" in r.json["message"]
    r = client.post(alta.url(f"{X}/reservations"), json={"flat_id": flats["6"], "case_id": year,
                                                          "starts_on": ended.isoformat()},
                    headers=alta.aftercare_partner.headers)
    assert r.status_code == 201, r.json
    r = flow.move(client, alta, year, "move_in", move_in)
    assert r.status_code == 200, r.json
    assert board(client, alta, today)["6"]["status"] == "occupied"


def test_who_may_make_which_move(client, alta):
    today = flow.today()
    case_id = flow.ready_for_intake(client, alta, flow.months_before(today, 6), today)
    r = flow.move(client, alta, case_id, "decline", {"reasons": "Other help fits better."}, role="aftercare_staff")
    assert r.status_code == 403 and "aftercare:decide" in r.json["message"]
    r = flow.move(client, alta, case_id, "withdraw", role="aftercare_staff")
    assert r.status_code == 200 and r.json["state"] == "withdrawn"
    r = flow.record(client, alta, case_id, "consent", "consent_on", today)
    assert r.status_code == 409


def test_bad_input_is_a_422_naming_the_field(client, alta):
    flow.flats(client, alta)
    today = flow.today()
    case_id = flow.new_case(client, alta)
    r = flow.apply(client, alta, case_id, {"treatment_started_on": "soon"})
    assert r.status_code == 422 and {"institution", "treatment_started_on"} <= set(r.json["fields"])
    r = flow.apply(client, alta, None, flow.application(today))
    assert r.status_code == 422 and "case_id" in r.json["fields"]
    assert flow.apply(client, alta, case_id, flow.application(today)).status_code == 201
    r = flow.record(client, alta, case_id, "consent", "consent_on", today + dt.timedelta(days=1))
    assert r.status_code == 422 and "consent_on" in r.json["fields"]
    r = client.put(alta.url(f"{X}/cases/{case_id}/stay/consent"), json={"consent_on": "yesterday"},
                   headers=alta.aftercare_staff.headers)
    assert r.status_code == 422 and "consent_on" in r.json["fields"]
    r = flow.record(client, alta, case_id, "treatment-ended", "treatment_ended_on", today - dt.timedelta(days=1))
    assert r.status_code == 422 and "treatment_ended_on" in r.json["fields"]
    r = flow.move(client, alta, case_id, "start_assessment", {"flat_id": 1}, role="aftercare_staff")
    assert r.status_code == 422 and "flat_id" in r.json["fields"]
    assert flow.move(client, alta, case_id, "start_assessment", role="aftercare_staff").status_code == 200
    r = flow.move(client, alta, case_id, "accept", {})
    assert r.status_code == 422 and "reasons" in r.json["fields"]
    r = client.get(alta.url(f"{X}/stays?state=sleeping"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 422 and "state" in r.json["fields"]


def test_the_move_in_payload_is_checked_naming_the_field(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    case_id = flow.ready_for_intake(client, alta, flow.months_before(today, 6), today)
    r = flow.move(client, alta, case_id, "move_in", {"moved_in_on": today.isoformat()})
    assert r.status_code == 422 and "flat_id" in r.json["fields"]
    r = flow.move(client, alta, case_id, "move_in", {"flat_id": flats["1"], "moved_in_on": "today"})
    assert r.status_code == 422 and "moved_in_on" in r.json["fields"]


def test_the_list_of_stays_by_state(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    living = flow.resident(client, alta, flats["3"], today)
    applied = flow.new_case(client, alta)
    r = client.get(alta.url(f"{X}/stays"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200
    assert {row["case_id"] for row in r.json} >= {living, applied}
    r = client.get(alta.url(f"{X}/stays?state=living"), headers=alta.aftercare_staff.headers)
    assert [row["case_id"] for row in r.json] == [living]
    assert r.json[0]["days_left"] == (add_months(today, 24) - today).days


def test_bergen_without_aftercare_gets_404(client, bergen):
    assert client.get(bergen.url(f"{X}/cases/1/stay"), headers=bergen.aftercare_staff.headers).status_code == 404
    assert client.get(bergen.url(f"{X}/stays"), headers=bergen.aftercare_staff.headers).status_code == 404
    r = client.put(bergen.url(f"{X}/cases/1/stay/consent"), json={"consent_on": "2026-01-01"},
                   headers=bergen.aftercare_staff.headers)
    assert r.status_code == 404


def test_a_declined_application_releases_its_reserved_flat(client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    case_id = flow.ready_for_intake(client, alta, today - dt.timedelta(days=400), today - dt.timedelta(days=2))
    r = client.post(alta.url(f"{flow.X}/reservations"), headers=alta.aftercare_leader.headers,
                    json={"flat_id": flats["2"], "case_id": case_id, "starts_on": today.isoformat()})
    assert r.status_code == 201, r.json
    assert board(client, alta, today)["2"]["status"] == "reserved"
    r = flow.move(client, alta, case_id, "decline", {"reasons": "Chose to move to a relative in Tromsø."})
    assert r.status_code == 200, r.json
    assert board(client, alta, today)["2"]["status"] == "free"
    assert board(client, alta, today + dt.timedelta(days=30))["2"]["status"] == "free"


def test_an_application_from_a_treatment_not_begun_or_discharged_before_it_began_is_refused(client, alta):
    case_id = flow.new_case(client, alta)
    today = flow.today()
    r = flow.apply(client, alta, case_id, flow.application(today + dt.timedelta(days=1)))
    assert r.status_code == 422 and "treatment_started_on" in r.json["fields"]
    r = flow.apply(client, alta, case_id, flow.application(
        today - dt.timedelta(days=30), expected_discharge_on=(today - dt.timedelta(days=31)).isoformat()))
    assert r.status_code == 422 and "expected_discharge_on" in r.json["fields"]
    r = client.get(alta.url(f"{flow.X}/cases/{case_id}/stay"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 404                                             # no stay half-written
