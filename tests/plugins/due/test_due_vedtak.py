"""The vedtak (guideline 4.2): «Før oppstartsmøte skal det foreligge vedtak på DUE fra innsøkende
instans» — only the case's referring unit gives it; it can be read back (unit, date, reference,
period), and its reference is on the invoice lines the unit pays."""

from __future__ import annotations

import datetime as dt

from .flows import X, eligible_case, enter_deflators, get, move, ok, post, start_meeting


def _awaiting_vedtak(client, bergen, unit_id: int) -> int:
    case_id = eligible_case(client, bergen, unit_id, dt.date(2006, 4, 4), "2025-01-06")
    ok(move(client, bergen, case_id, "invite"))
    ok(move(client, bergen, case_id, "start_assessment"))
    ok(post(client, bergen, "/forms/due/assessment/submissions", {"case_id": case_id, "data": {
        "right_measure": True, "needs": ["housing"]}}), 201)
    ok(move(client, bergen, case_id, "give_feedback"))
    ok(move(client, bergen, case_id, "offer", {"start_on": "2025-03-01"}))
    ok(move(client, bergen, case_id, "request_vedtak"))
    return case_id


def test_a_vedtak_from_another_unit_than_the_referring_one_is_refused(client, bergen, units):
    case_id = _awaiting_vedtak(client, bergen, units["barnevern"])
    r = post(client, bergen, f"{X}/cases/{case_id}/vedtak",
             {"decided_on": "2025-02-20", "reference": "NAV-77", "unit_id": units["nav_arna"]})
    assert r.status_code == 422 and "innsøkende instans" in r.json["fields"]["unit_id"][0], r.json
    assert ok(get(client, bergen, f"{X}/cases/{case_id}/vedtak")) == []
    r = move(client, bergen, case_id, "hold_start_meeting", start_meeting("2025-03-01", "2025-03-20"))
    assert r.status_code == 409 and "vedtak" in r.json["message"]


def test_the_vedtak_is_read_back_with_its_unit_date_reference_and_period(client, bergen, units):
    case_id = _awaiting_vedtak(client, bergen, units["barnevern"])
    r = post(client, bergen, f"{X}/cases/{case_id}/vedtak",
             {"decided_on": "2025-02-20", "reference": "BV-2025/9", "valid_to": "2025-02-28"})
    assert r.status_code == 422 and "valid_to" in r.json["fields"]
    r = post(client, bergen, f"{X}/cases/{case_id}/vedtak",
             {"decided_on": "2025-02-20", "reference": "BV-2025/9", "valid_from": "2025-03-02"})
    assert r.status_code == 422 and "valid_from" in r.json["fields"]
    ok(post(client, bergen, f"{X}/cases/{case_id}/vedtak",
            {"decided_on": "2025-02-20", "reference": "BV-2025/9", "valid_to": "2026-02-28"}), 201)
    [vedtak] = ok(get(client, bergen, f"{X}/cases/{case_id}/vedtak"))
    assert (vedtak["unit_id"], vedtak["decided_on"], vedtak["reference"], vedtak["valid_from"],
            vedtak["valid_to"]) == (units["barnevern"], "2025-02-20", "BV-2025/9", "2025-03-01", "2026-02-28")


def test_the_vedtak_reference_is_on_the_invoice_lines(client, bergen, running):
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))
    enter_deflators(client, bergen, {2017: "2.5", 2018: "2.6"})
    lines = ok(get(client, bergen, f"{X}/invoice-lines", role="leader", period="2025-03"))
    assert lines and all("vedtak BV-2024/117" in line["description"] for line in lines), lines
