"""One resident's way through Alta's aftercare housing, as the plan describes it, through the API
as the staff use it: applied from treatment at Finnmarkskollektivet (home municipality Hammerfest,
a partner), assessed with consent, the flat reserved, intake into the training flat once the
treatment ended and the binding rules were signed; up two steps with reasons and the step's
contract; a breach of the agreement recorded and the resident moved down one step; warned before
the two years run out; the move-out planned and made to an own home in Alta.

Every decision is read back with its reasons, the occupancy board is checked on each day that
changes it (and the day before), and the budget's empty-flat months for the move-in month and a
full month count this resident's nights. The stay is placed in the past (moved in 22 months
ago), since a move is never recorded for a day that has not come; so the test holds on any day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from velferd_aftercare.stays import add_months

from tests.plugins.aftercare import stay_flows as flow

X = "/x/aftercare"


def board(client, town, on: dt.date) -> dict[str, dict]:
    r = client.get(town.url(f"{X}/occupancy?on={on.isoformat()}"), headers=town.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    return {row["label"]: row for row in r.json["flats"]}


def flat_1(client, town, on: dt.date) -> tuple:
    row = board(client, town, on)["1"]
    return row["status"], row["case_id"], row["since"]


def ok(response, status=200):
    assert response.status_code == status, response.json
    return response.json


def decision(client, town, decision_id) -> dict:
    return ok(client.get(town.url(f"/decisions/{decision_id}"), headers=town.aftercare_leader.headers))


def propose(client, town, case_id, **inputs) -> dict:
    return ok(client.post(town.url("/rules/aftercare/step_change/evaluations"),
                          json={"case_id": case_id, "inputs": inputs}, headers=town.aftercare_leader.headers), 201)


def apply_move(client, town, case_id, decision_id, on: dt.date) -> dict:
    body = {"decision_id": decision_id, "on": on.isoformat(), "lease": {"kind": "special", "signed_on": on.isoformat()}}
    return ok(client.post(town.url(f"{X}/cases/{case_id}/steps"), json=body,
                          headers=town.aftercare_leader.headers), 201)


def empty_flat_months(client, town, year: int, month: int) -> str:
    months = ok(client.get(town.url(f"{X}/budget/{year}/occupancy"), headers=town.aftercare_staff.headers))["months"]
    return next(m for m in months if m["month"] == month)["empty_flat_months"]


def hundredths(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_a_resident_from_application_to_own_home(client, alta):
    today = flow.today()
    moved_in = add_months(today.replace(day=1), -22) + dt.timedelta(days=15)   # the 16th, 22 months ago
    treatment_started = add_months(moved_in, -14)
    consent_on, reserved_on = moved_in - dt.timedelta(days=60), moved_in - dt.timedelta(days=10)
    rules_signed, treatment_ended = moved_in - dt.timedelta(days=2), moved_in - dt.timedelta(days=1)
    flats = flow.flats(client, alta)
    case_id = flow.new_case(client, alta)

    # applied from treatment; the home municipality is a partner on the case
    ok(flow.apply(client, alta, case_id, flow.application(treatment_started, home_municipality="Hammerfest")), 201)
    ok(flow.move(client, alta, case_id, "start_assessment", role="aftercare_staff"))
    r = flow.move(client, alta, case_id, "accept", {"reasons": "Wants to keep up the changes from treatment."})
    assert r.status_code == 409 and "consent" in r.json["message"]          # no consent, no intake
    ok(flow.record(client, alta, case_id, "consent", "consent_on", consent_on))
    ok(flow.move(client, alta, case_id, "accept", {"reasons": "Wants to keep up the changes from treatment."}))

    # the flat reserved before the discharge
    ok(client.post(alta.url(f"{X}/reservations"), headers=alta.aftercare_leader.headers,
                   json={"flat_id": flats["1"], "case_id": case_id, "starts_on": reserved_on.isoformat()}), 201)
    move_in = {"flat_id": flats["1"], "moved_in_on": moved_in.isoformat()}
    r = flow.move(client, alta, case_id, "move_in", move_in)
    assert r.status_code == 409                                               # rules not signed, treatment not over
    ok(flow.record(client, alta, case_id, "rules-agreed", "rules_agreed_on", rules_signed))
    ok(flow.record(client, alta, case_id, "treatment-ended", "treatment_ended_on", treatment_ended))
    ok(flow.move(client, alta, case_id, "move_in", move_in))

    stay = flow.stay(client, alta, case_id)
    assert stay["partner_municipality"] == "Hammerfest"
    limit = add_months(moved_in, 24)
    assert (stay["state"], stay["limit_on"], stay["planned_move_out_on"]) == \
        ("living", limit.isoformat(), add_months(moved_in, 18).isoformat())

    # the training flat, step 2, with the special contract signed before intake
    staircase = ok(client.get(alta.url(f"{X}/cases/{case_id}/staircase"), headers=alta.aftercare_staff.headers))
    assert staircase["current"]["step"] == 2 and staircase["current"]["lease"]["kind"] == "special"

    # up two steps, each a reasoned decision applied with the step's contract
    third_on, fourth_on = add_months(moved_in, 4), add_months(moved_in, 8)
    to_3 = propose(client, alta, case_id, direction="up", reasons=["Has kept every agreement through the trial."])
    apply_move(client, alta, case_id, to_3["id"], third_on)
    to_4 = propose(client, alta, case_id, direction="up", reasons=["Works in a training place every weekday."])
    apply_move(client, alta, case_id, to_4["id"], fourth_on)
    assert (to_3["outcome"], to_4["outcome"]) == ("step_3", "step_4")

    # a breach of the agreement: recorded, the rule proposes one step down, the leader applies it
    breach_on = add_months(moved_in, 12)
    breach = ok(client.post(alta.url(f"{X}/cases/{case_id}/breaches"), headers=alta.aftercare_staff.headers,
                            json={"occurred_on": breach_on.isoformat(), "kind": "agreement",
                                  "description": "Let a friend who uses drugs stay for a week."}), 201)
    down = propose(client, alta, case_id, direction="down", breach_ids=[breach["id"]], severity="ordinary",
                   reasons=["The agreement says no overnight guests; the resident admitted it."])
    assert down["outcome"] == "step_3"
    down_on = breach_on + dt.timedelta(days=3)
    apply_move(client, alta, case_id, down["id"], down_on)

    staircase = ok(client.get(alta.url(f"{X}/cases/{case_id}/staircase"), headers=alta.aftercare_staff.headers))
    assert [entry["step"] for entry in staircase["history"]] == [3, 4, 3, 2]
    assert [entry["starts_on"] for entry in staircase["history"]] == \
        [down_on.isoformat(), fourth_on.isoformat(), third_on.isoformat(), moved_in.isoformat()]
    assert staircase["breaches"][0]["decision_id"] == down["id"]
    # every decision with its reasons, as stored
    given = {to_3["id"]: "Has kept every agreement through the trial.",
             to_4["id"]: "Works in a training place every weekday.",
             down["id"]: "The agreement says no overnight guests; the resident admitted it."}
    for decision_id, reason in given.items():
        stored = decision(client, alta, decision_id)
        assert any(reason in line for line in stored["reasons"]), stored
        assert len(stored["reasons"]) >= 2                                   # the rule's own reasoning too

    # warned before the two years run out: 90 days and 30 days before the limit, once each
    for days_before, kind in ((90, "aftercare.stay_limit_90"), (30, "aftercare.stay_limit_30")):
        run = ok(client.post(alta.url(f"{X}/daily/run"), headers=alta.aftercare_leader.headers,
                             json={"on": (limit - dt.timedelta(days=days_before)).isoformat()}))
        assert run["stay_limit_warnings"] == 1
        deadlines = ok(client.get(alta.url(f"/cases/{case_id}/deadlines"), headers=alta.aftercare_staff.headers))
        assert [(d["kind"], d["due_on"]) for d in deadlines if d["kind"] == kind] == [(kind, limit.isoformat())]
    again = ok(client.post(alta.url(f"{X}/daily/run"), headers=alta.aftercare_leader.headers,
                           json={"on": (limit - dt.timedelta(days=30)).isoformat()}))
    assert again["stay_limit_warnings"] == 0

    # the move-out: planned, then made, to an own home in Alta (the chain's last link)
    ok(flow.move(client, alta, case_id, "plan_move_out", {"destination": "own_home_alta",
                                                          "planned_on": today.isoformat()}))
    ok(flow.move(client, alta, case_id, "move_out", {"moved_out_on": today.isoformat(),
                                                     "destination": "own_home_alta"}))
    stay = flow.stay(client, alta, case_id)
    assert (stay["state"], stay["moved_out_on"], stay["destination"]) == ("moved_out", today.isoformat(),
                                                                          "own_home_alta")
    deadlines = ok(client.get(alta.url(f"/cases/{case_id}/deadlines"), headers=alta.aftercare_staff.headers))
    assert all(d["completed_at"] for d in deadlines if d["kind"].startswith("aftercare.stay_limit"))

    # the occupancy board on each day that changed it, and the day before
    assert flat_1(client, alta, reserved_on - dt.timedelta(days=1)) == ("free", None, None)
    assert flat_1(client, alta, reserved_on) == ("reserved", case_id, reserved_on.isoformat())
    assert flat_1(client, alta, moved_in - dt.timedelta(days=1)) == ("reserved", case_id, reserved_on.isoformat())
    for day in (moved_in, third_on, down_on, today - dt.timedelta(days=1)):
        assert flat_1(client, alta, day) == ("occupied", case_id, moved_in.isoformat()), day
    assert flat_1(client, alta, today) == ("free", None, None)
    assert {row["status"] for label, row in board(client, alta, third_on).items() if label != "1"} == {"free"}

    # the budget's empty-flat months: 7 flats, this resident's nights from the 16th of the move-in month
    ok(client.post(alta.url(f"{X}/budget/plan"), headers=alta.aftercare_leader.headers, json={"year": moved_in.year}))
    days = calendar.monthrange(moved_in.year, moved_in.month)[1]
    lived = days - moved_in.day + 1
    assert empty_flat_months(client, alta, moved_in.year, moved_in.month) == \
        hundredths(Decimal(7) - Decimal(lived) / Decimal(days))
    full_month = add_months(moved_in.replace(day=1), 1)
    ok(client.post(alta.url(f"{X}/budget/plan"), headers=alta.aftercare_leader.headers, json={"year": full_month.year}))
    assert empty_flat_months(client, alta, full_month.year, full_month.month) == "6.00"
