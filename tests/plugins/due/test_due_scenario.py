"""One youth through every step of DUE, from the referral in September 2024 to the final report
in August 2025 — across the 1 January price adjustment — billed by the core's monthly invoice
run, month by month, to the unit holding the decision on each day.

Prices (test deflators for 2017 and 2018, which are not published in DOMAIN.md; the others are
the published figures the plugin loads): 2024 NOK 22,589 a month, 2025 NOK 23,515 a month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from .flows import (
    ASSESSED,
    X,
    add_unit,
    eligible_case,
    enter_deflators,
    file_report,
    get,
    meeting,
    move,
    ok,
    post,
    report,
    start_meeting,
)

MONTHS = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06",
          "2025-07", "2025-08"]


@pytest.fixture
def priced_bergen(client, bergen, smtp_server, app):
    """Bergen's deflator table: the published figures, and 2017/2018 entered by the admin."""
    app.config.update(smtp_server.config)
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))
    enter_deflators(client, bergen, {2017: "2.5", 2018: "2.6"})
    ok(client.put(bergen.url("/billing-profile"), json={
        "sender_email": "faktura@utekontakten.bergen.test", "bank_account": "52010612349",
        "address": "Postboks 7700", "postal_code": "5020", "city": "Bergen"}, headers=bergen.finance.headers))
    return bergen


def invoice_run(client, town, period: str):
    r = post(client, town, "/invoice-runs", {"period": period}, role="finance")
    assert r.status_code == 202, r.json
    assert r.json["state"] == "succeeded", r.json


def invoices_of(client, town, period: str) -> dict[str, list[tuple[str, str]]]:
    """Payer name → [(line amount, description)] of the period's DUE invoices, and the totals."""
    page = ok(get(client, town, "/invoices", role="finance", period=period, plugin="due"))
    found = {}
    for item in page["items"]:
        detail = ok(get(client, town, f"/invoices/{item['id']}", role="finance"))
        assert detail["status"] in ("issued", "sent"), detail
        found[detail["payer_name"]] = (Decimal(detail["total"]), detail["channel"],
                                       sorted(Decimal(line["amount"]) for line in detail["lines"]))
    return found


def test_one_youth_from_referral_to_the_last_invoice(client, app, priced_bergen, smtp_server):
    bergen = priced_bergen
    barnevern, nav_arna = add_unit(client, bergen, "barnevern"), add_unit(client, bergen, "nav_arna")

    # Referral from child welfare, 19 at referral: eligible, first on the waiting list.
    case_id = eligible_case(client, bergen, barnevern, dt.date(2005, 3, 14), "2024-09-02",
                            criteria=["lacks_housing_or_needs_housing_follow_up", "lacks_daytime_activity"])
    waiting = ok(get(client, bergen, f"{X}/waiting-list"))
    assert [e["case_id"] for e in waiting["entries"]] == [case_id]
    assert waiting["entries"][0]["explanation"][-1] == "total 7 points"  # 2×2 problems + 3 years × 1

    # Intake; the start meeting is refused until the vedtak is recorded.
    ok(move(client, bergen, case_id, "invite"))
    ok(move(client, bergen, case_id, "start_assessment"))
    ok(post(client, bergen, "/forms/due/assessment/submissions", {"case_id": case_id, "data": {
        "right_measure": True, "needs": ["housing", "school", "finances"]}}), 201)
    ok(move(client, bergen, case_id, "give_feedback"))
    ok(move(client, bergen, case_id, "offer", {"start_on": "2024-10-15"}))
    ok(move(client, bergen, case_id, "request_vedtak"))
    r = move(client, bergen, case_id, "hold_start_meeting", start_meeting("2024-10-15", "2024-11-20"))
    assert r.status_code == 409 and "vedtak" in r.json["message"], r.json
    ok(post(client, bergen, f"{X}/cases/{case_id}/vedtak", {"decided_on": "2024-10-01", "reference": "BV-2024/117"}),
       201)
    ok(move(client, bergen, case_id, "hold_start_meeting", start_meeting("2024-10-15", "2024-11-20")))
    ok(client.put(bergen.url(f"{X}/cases/{case_id}/coordinator"), json={
        "user_id": bergen.coordinator.user_id, "assigned_on": "2024-10-15"}, headers=bergen.coordinator.headers))
    placement = ok(get(client, bergen, f"{X}/cases/{case_id}/placement"))
    assert placement["plan_needs"] == ["housing", "school", "finances", "daytime activity"]
    assert placement["coordinator"]["weekly_hours"] == "8.00"
    assert [(d["kind"], d["due_on"]) for d in placement["deadlines"]] == [("due_report", "2025-02-15")]

    # Extra resources for the winter, approved by a leader in advance.
    ok(post(client, bergen, f"{X}/cases/{case_id}/extra-resources", {
        "description": "miljøarbeider 6 hours a week", "monthly_amount": "4000.00", "starts_on": "2024-12-01",
        "ends_on": "2025-01-31", "approved_on": "2024-11-20"}, role="leader"), 201)

    # The daily job: a reminder 14 days before the report, once; the report closes the deadline.
    run = lambda day: ok(post(client, bergen, f"{X}/reminders/run", {"on": day}, role="leader"))  # noqa: E731
    assert run("2025-01-31") == {"on": "2025-01-31", "reminder": 0, "overdue": 0}
    assert run("2025-02-01") == {"on": "2025-02-01", "reminder": 1, "overdue": 0}
    assert run("2025-02-02")["reminder"] == 0
    ok(file_report(client, bergen, case_id, report("periodic", "2025-02-10", "achieved", "in_progress")), 201)

    # Child welfare hands over to NAV Arna after a transfer meeting; the units agree.
    meeting(client, bergen, case_id, "transfer_meeting", "2025-02-20")
    ok(post(client, bergen, f"{X}/cases/{case_id}/transfers", {
        "to_unit_id": nav_arna, "effective_on": "2025-03-10", "units_agree": True, **ASSESSED}), 201)

    # The second report is missed: flagged overdue the day after; then written.
    assert run("2025-06-16") == {"on": "2025-06-16", "reminder": 0, "overdue": 1}

    # Notice on 20 May ends the measure on 20 July; ending meeting and final report; closed.
    ok(move(client, bergen, case_id, "give_notice", {"notice_on": "2025-05-20"}))
    assert ok(get(client, bergen, f"{X}/cases/{case_id}/placement"))["end_on"] == "2025-07-20"
    ok(file_report(client, bergen, case_id, report("periodic", "2025-06-20", "achieved", "dropped")), 201)
    meeting(client, bergen, case_id, "ending_meeting", "2025-07-18")
    ok(move(client, bergen, case_id, "end"))
    r = move(client, bergen, case_id, "close")
    assert r.status_code == 409 and "final report" in r.json["message"], r.json
    ok(file_report(client, bergen, case_id, report("final", "2025-08-01", "achieved", "dropped")), 201)
    goals = ok(get(client, bergen, f"{X}/cases/{case_id}/placement"))["goals"]
    assert [(g["goal"], g["status"], g["reported_on"]) for g in goals] == [
        ("A flat of his own", "achieved", "2025-08-01"), ("School three days a week", "dropped", "2025-08-01")]
    assert ok(move(client, bergen, case_id, "close"))["state"] == "closed"

    reminders = ok(get(client, bergen, f"{X}/reminders", case_id=case_id))
    assert [(r["kind"], r["due_on"], r["on_day"], r["recipient_user_id"]) for r in reminders] == [
        ("reminder", "2025-02-15", "2025-02-01", bergen.coordinator.user_id),
        ("overdue", "2025-06-15", "2025-06-16", bergen.coordinator.user_id)]

    # The invoice runs, month by month, in arrears.
    for month in MONTHS:
        invoice_run(client, bergen, month)
    bv, nav = "Barneverntjenesten Bergenhus", "NAV Arna"
    p24, p25 = Decimal("22589.00"), Decimal("23515.00")
    expected = {
        "2024-10": {bv: [Decimal("12387.52")]},                       # 15–31 Oct: 17/31 of 2024's price
        "2024-11": {bv: [p24]},
        "2024-12": {bv: [Decimal("4000.00"), p24]},                   # + extra resources
        "2025-01": {bv: [Decimal("4000.00"), p25]},                   # 1 January: the 2025 price
        "2025-02": {bv: [p25]},
        "2025-03": {bv: [Decimal("6826.94")], nav: [Decimal("16688.06")]},  # 9/31 and 22/31
        "2025-04": {nav: [p25]},
        "2025-05": {nav: [p25]},
        "2025-06": {nav: [p25]},
        "2025-07": {nav: [Decimal("15170.97")]},                       # 1–20 Jul: 20/31
        "2025-08": {},
    }
    for month in MONTHS:
        found = invoices_of(client, bergen, month)
        assert {payer: lines for payer, (_, _, lines) in found.items()} == expected[month], month
        assert all(total == sum(lines) for total, _, lines in found.values())
    assert {channel for total, channel, _ in invoices_of(client, bergen, "2024-11").values()} == {"email"}
    assert {channel for total, channel, _ in invoices_of(client, bergen, "2025-04").values()} == {"finance_export"}

    # Child welfare's internal invoices went by e-mail with the PDF; NAV's sales orders did not.
    mails = smtp_server.wait_for_messages(6)
    assert len(mails) == 6
    assert {m.rcpt_tos for m in mails} == {("faktura.barnevern@bergen.test",)}
    assert all(any(name.endswith(".pdf") for name, _, _ in m.attachments()) for m in mails)
