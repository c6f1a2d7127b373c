"""Catch-up (billing.catch_up): work registered after its month was billed is billed once, on a
later invoice with its own service period, and a line that disappeared is credited — checked as
a finance officer would: per case and service month, invoices minus credit notes equal what DUE's
own preview says is owed now. DUE (Bergen) through its API, on the DUE plugin's database.

Prices: 2025 NOK 23,515 a month (the published deflators, as in the DUE scenario test).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.databases import PG_URL
from tests.plugins.due.conftest import app, bergen, due_database, due_db_url, running, units  # noqa: F401
from tests.plugins.due.flows import UNITS, eligible_case, get, move, ok, post, start_meeting, through_intake
from tests.plugins.due.test_due_scenario import invoice_run, priced_bergen  # noqa: F401
from velferd.billing import run as billing_run
from velferd.billing.periods import parse_period
from velferd.tenancy import tenant_scope

MONTHLY_2025 = Decimal("23515.00")


def days_of(days: int, month_days: int) -> Decimal:
    """DUE's day rule for a part month: price × days / days in the month, to the øre, half up."""
    return (MONTHLY_2025 * days / month_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def documents(client, town) -> list[dict]:
    page = ok(get(client, town, "/invoices", role="finance", limit=200))
    return [ok(get(client, town, f"/invoices/{item['id']}", role="finance")) for item in page["items"]]


def net_billed(client, town) -> dict[tuple, Decimal]:
    """{(case, service period start, end): invoiced minus credited} over every document."""
    net: dict[tuple, Decimal] = defaultdict(Decimal)
    for document in documents(client, town):
        sign = 1 if document["kind"] == "invoice" else -1
        for line in document["lines"]:
            net[(line["case_id"], line["period_start"], line["period_end"])] += sign * Decimal(line["amount"])
    return {item: amount for item, amount in net.items() if amount != 0}


def owed_now(client, town, months: list[str]) -> dict[tuple, Decimal]:
    """What DUE's own preview says is owed for `months`, as registered now."""
    owed = {}
    for month in months:
        for line in ok(get(client, town, "/x/due/invoice-lines", role="finance", period=month)):
            owed[(line["case_id"], line["period_start"], line["period_end"])] = (
                Decimal(line["quantity"]) * Decimal(line["unit_price"]))
    return owed


def invoices_for(client, town, period: str, kind: str = "invoice") -> list[dict]:
    return [d for d in documents(client, town) if d["kind"] == kind and d["period"] == period]


def late_start(client, town, units, start_on: str) -> int:
    """A youth whose start on `start_on` is registered today (after that month was billed)."""
    case_id = eligible_case(client, town, units["barnevern"], dt.date(2007, 5, 6), "2025-08-01")
    through_intake(client, town, case_id, start_on, decided_on="2025-08-20")
    ok(move(client, town, case_id, "hold_start_meeting", start_meeting(start_on, "2025-10-01")))
    return case_id


def test_a_start_registered_after_its_month_was_billed_is_billed_once_on_the_next_invoice(
        client, priced_bergen, units, running):
    invoice_run(client, priced_bergen, "2025-09")
    late = late_start(client, priced_bergen, units, "2025-09-15")

    invoice_run(client, priced_bergen, "2025-10")
    (october,) = invoices_for(client, priced_bergen, "2025-10")
    september = [line for line in october["lines"] if line["period_start"] < "2025-10-01"]
    assert [(line["case_id"], line["period_start"], line["period_end"], line["amount"]) for line in september] == [
        (late, "2025-09-15", "2025-09-30", f"{days_of(16, 30):.2f}")]
    assert september[0]["description"].startswith("Etterfakturering 09.2025: ")
    assert Decimal(october["total"]) == 2 * MONTHLY_2025 + days_of(16, 30)

    invoice_run(client, priced_bergen, "2025-10")  # again: completed, nothing more
    invoice_run(client, priced_bergen, "2025-11")
    (november,) = invoices_for(client, priced_bergen, "2025-11")
    assert {line["period_start"] for line in november["lines"]} == {"2025-11-01"}
    months = ["2025-09", "2025-10", "2025-11"]
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, months)


def break_off_after_two_billed_months(client, town, case_id: int) -> None:
    invoice_run(client, town, "2025-09")
    invoice_run(client, town, "2025-10")
    ok(move(client, town, case_id, "break_off", {"ended_on": "2025-09-20", "reason": "Moved to Oslo."}))


def test_a_break_off_back_dated_into_billed_months_is_credited_and_the_days_owed_billed(
        client, priced_bergen, running):
    break_off_after_two_billed_months(client, priced_bergen, running)

    invoice_run(client, priced_bergen, "2025-11")
    notes = [d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]
    assert sorted((n["period"], n["total"]) for n in notes) == [("2025-09", "23515.00"), ("2025-10", "23515.00")]
    assert {n["credit_origin"] for n in notes} == {"catch_up"}  # finance tells them from its own credits
    position = {period: next(line["position"] for invoice in invoices_for(client, priced_bergen, period)
                             for line in invoice["lines"] if line["case_id"] == running)
                for period in ("2025-09", "2025-10")}
    assert sorted(n["credit_reason"] for n in notes) == [  # in Bergen's language, naming the credited line
        f"linje {position['2025-09']} (01.09.2025–30.09.2025): ikke lenger skyldig etter det som nå er registrert",
        f"linje {position['2025-10']} (01.10.2025–31.10.2025): ikke lenger skyldig etter det som nå er registrert"]
    (november,) = invoices_for(client, priced_bergen, "2025-11")
    assert [(line["period_start"], line["period_end"], line["amount"]) for line in november["lines"]] == [
        ("2025-09-01", "2025-09-20", f"{days_of(20, 30):.2f}")]
    months = ["2025-09", "2025-10", "2025-11"]
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, months) == {
        (running, "2025-09-01", "2025-09-20"): days_of(20, 30)}

    invoice_run(client, priced_bergen, "2025-12")  # the next month changes nothing more
    for reopened in ("2025-09", "2025-10"):  # credited in full, so reopened: their re-runs find nothing owed
        invoice_run(client, priced_bergen, reopened)
    assert len([d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]) == 2
    assert invoices_for(client, priced_bergen, "2025-12") == []
    assert net_billed(client, priced_bergen) == {(running, "2025-09-01", "2025-09-20"): days_of(20, 30)}


def test_a_line_finance_credited_in_part_by_hand_is_left_as_finance_set_it(client, priced_bergen, running):
    invoice_run(client, priced_bergen, "2025-09")
    (september,) = invoices_for(client, priced_bergen, "2025-09")
    ok(post(client, priced_bergen, f"/invoices/{september['id']}/credit", {
        "reason": "Absent half the month, agreed with the payer.", "lines": [{"position": 1, "quantity": "0.5"}]},
        role="finance"), 201)

    invoice_run(client, priced_bergen, "2025-10")
    assert len([d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]) == 1
    (october,) = invoices_for(client, priced_bergen, "2025-10")
    assert [line["period_start"] for line in october["lines"]] == ["2025-10-01"]
    assert net_billed(client, priced_bergen)[(running, "2025-09-01", "2025-09-30")] == MONTHLY_2025 / 2


def test_finance_credit_is_known_by_its_origin_not_by_the_words_of_its_reason(client, priced_bergen, running):
    """A finance officer's partial credit whose reason happens to read like a catch-up's is still
    finance's judgement: the catch-up leaves it as finance set it (it used to go by the text)."""
    invoice_run(client, priced_bergen, "2025-09")
    (september,) = invoices_for(client, priced_bergen, "2025-09")
    note = ok(post(client, priced_bergen, f"/invoices/{september['id']}/credit", {
        "reason": "Half the month no longer owed as registered now", "lines": [{"position": 1, "quantity": "0.5"}]},
        role="finance"), 201)
    assert ok(get(client, priced_bergen, f"/invoices/{note['id']}", role="finance"))["credit_origin"] == "finance"

    invoice_run(client, priced_bergen, "2025-10")
    assert len([d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]) == 1
    (october,) = invoices_for(client, priced_bergen, "2025-10")
    assert [line["period_start"] for line in october["lines"]] == ["2025-10-01"]
    assert october["credit_origin"] is None
    assert net_billed(client, priced_bergen)[(running, "2025-09-01", "2025-09-30")] == MONTHLY_2025 / 2


def test_a_line_on_a_held_invoice_is_corrected_by_the_first_run_after_its_release(client, priced_bergen, units,
                                                                                  running):
    """September's invoice is held (the payer has no e-mail address); the break-off back-dated
    into September cannot credit a document that has no number yet, so October leaves it — and
    bills nothing beside it. Once finance fixes the unit and releases it, November corrects it."""
    barnevern, admin = units["barnevern"], priced_bergen.tenant_admin.headers
    ok(client.put(priced_bergen.url(f"/units/{barnevern}"), json={**UNITS["barnevern"], "invoice_email": None},
                  headers=admin))
    invoice_run(client, priced_bergen, "2025-09")
    (held,) = invoices_for(client, priced_bergen, "2025-09")
    assert held["status"] == "held"
    ok(move(client, priced_bergen, running, "break_off", {"ended_on": "2025-09-20", "reason": "Moved to Oslo."}))

    invoice_run(client, priced_bergen, "2025-10")
    assert [d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"] == []
    assert invoices_for(client, priced_bergen, "2025-10") == []

    ok(client.put(priced_bergen.url(f"/units/{barnevern}"), json=UNITS["barnevern"], headers=admin))
    ok(post(client, priced_bergen, f"/invoices/{held['id']}/release", role="finance"))
    invoice_run(client, priced_bergen, "2025-11")
    (note,) = [d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]
    assert (note["period"], note["total"]) == ("2025-09", "23515.00")
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, ["2025-09", "2025-10", "2025-11"]) == {
        (running, "2025-09-01", "2025-09-20"): days_of(20, 30)}


def test_a_run_that_dies_between_its_credits_and_its_invoices_is_rerun_without_doubles(
        app, client, priced_bergen, running, monkeypatch):
    break_off_after_two_billed_months(client, priced_bergen, running)

    def worker_lost(batch, **kwargs):
        raise SystemExit("worker lost before the invoices")

    monkeypatch.setattr(billing_run, "_write_batch", worker_lost)
    with app.app_context(), tenant_scope(priced_bergen.tenant):
        with pytest.raises(SystemExit):
            billing_run.run_period(priced_bergen.tenant, parse_period("2025-11"))
    assert len([d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]) == 2
    assert invoices_for(client, priced_bergen, "2025-11") == []

    monkeypatch.undo()
    invoice_run(client, priced_bergen, "2025-11")
    invoice_run(client, priced_bergen, "2025-12")
    assert len([d for d in documents(client, priced_bergen) if d["kind"] == "credit_note"]) == 2
    assert len(invoices_for(client, priced_bergen, "2025-11")) == 1
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, ["2025-09", "2025-10", "2025-11"])


def test_a_reopened_period_rerun_does_not_bill_again_what_a_catch_up_billed(client, priced_bergen, units, running):
    invoice_run(client, priced_bergen, "2025-09")
    late = late_start(client, priced_bergen, units, "2025-09-15")
    invoice_run(client, priced_bergen, "2025-10")  # bills the late September line
    (september,) = invoices_for(client, priced_bergen, "2025-09")
    ok(post(client, priced_bergen, f"/invoices/{september['id']}/credit", {"reason": "Wrong buyer reference."},
            role="finance"), 201)

    invoice_run(client, priced_bergen, "2025-09")  # the reopened period's replacement
    (replacement,) = [d for d in invoices_for(client, priced_bergen, "2025-09") if d["status"] != "credited"]
    assert [(line["case_id"], line["period_start"]) for line in replacement["lines"]] == [(running, "2025-09-01")]
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, ["2025-09", "2025-10"])
    assert net_billed(client, priced_bergen)[(late, "2025-09-15", "2025-09-30")] == days_of(16, 30)


@pytest.mark.skipif(not PG_URL, reason="the runs' lock is PostgreSQL's (SQLite serialises nothing across a run)")
def test_two_runs_of_different_months_at_once_bill_a_late_line_once(app, client, priced_bergen, units, running,
                                                                    monkeypatch):
    """October's run is held just before it writes its invoices (it has worked out the late
    September line); November's run started meanwhile must wait for it, not bill that line too."""
    invoice_run(client, priced_bergen, "2025-09")
    late = late_start(client, priced_bergen, units, "2025-09-15")
    october_is_writing, october_may_write, real_write = threading.Event(), threading.Event(), billing_run._write_batch

    def october_waits(batch, **kwargs):
        if threading.current_thread().name == "october":
            october_is_writing.set()
            assert october_may_write.wait(30)
        return real_write(batch, **kwargs)

    monkeypatch.setattr(billing_run, "_write_batch", october_waits)
    failures = []

    def run(month: str) -> None:
        try:
            with app.app_context(), tenant_scope(priced_bergen.tenant):
                billing_run.run_period(priced_bergen.tenant, parse_period(month))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    october = threading.Thread(target=run, args=("2025-10",), name="october")
    november = threading.Thread(target=run, args=("2025-11",), name="november")
    october.start()
    assert october_is_writing.wait(30)  # October has worked out its catch-up and holds the tenant's lock
    november.start()
    november.join(2)
    assert november.is_alive(), "November's run did not wait for October's"
    october_may_write.set()
    october.join(60)
    november.join(60)
    assert failures == []

    assert net_billed(client, priced_bergen)[(late, "2025-09-15", "2025-09-30")] == days_of(16, 30)
    assert net_billed(client, priced_bergen) == owed_now(client, priced_bergen, ["2025-09", "2025-10", "2025-11"])
