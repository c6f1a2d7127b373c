"""The budget: the plan's 2009 budget (2 000 000 of costs, 2 000 000 of financing) entered once
however often it is asked for; a budget that does not add up shown as such, not refused; the
empty-flat months of a month with one flat empty half of it, and their rent against the budget's
"1 leilighet til enhver tid står ledig"; the grant givers' report as a page, JSON and CSV; bad input
a 422 naming the field; Bergen (no aftercare) 404."""

from __future__ import annotations

import csv
import datetime as dt
import io

from velferd_aftercare.stay_models import Occupancy

from tests.plugins.aftercare.pages import page, text_of
from tests.plugins.aftercare.test_occupancy import X, aftercare_case, alta_flats, in_town
from velferd.db import db


def plan(client, town, year=2009):
    r = client.post(town.url(f"{X}/budget/plan"), headers=town.aftercare_leader.headers, json={"year": year})
    assert r.status_code == 200, r.json
    return r.json


def live(app, town, flat_id, starts_on, ends_on=None, case_id=None):
    with in_town(app, town):
        db.session.add(Occupancy(flat_id=flat_id, case_id=case_id, kind="living", starts_on=starts_on, ends_on=ends_on))


def test_the_plans_2009_budget_totals_2_000_000_on_both_sides_and_is_entered_once(client, alta):
    body = plan(client, alta)
    assert plan(client, alta) == body
    assert body["year"] == 2009
    assert {line["kind"]: line["amount"] for line in body["lines"]} == {
        "salaries": "1650000.00", "supervision": "100000.00", "office_travel_activities": "70000.00",
        "car_lease": "80000.00", "empty_flat_rent": "100000.00"}
    assert {line["source"]: line["amount"] for line in body["financing"]} == {
        "Tilskudd Husbanken/fylkesmannen": "1600000.00", "Egne midler (Alta kommune)": "200000.00",
        "Finnmarkskollektivet": "200000.00"}
    assert (body["cost_total"], body["financing_total"], body["difference"], body["balanced"]) == (
        "2000000.00", "2000000.00", "0.00", True)
    r = client.get(alta.url(f"{X}/budget/years"), headers=alta.aftercare_staff.headers)
    assert [year["year"] for year in r.json] == [2009]


def test_a_budget_that_does_not_add_up_is_kept_and_shown_as_such(client, alta, browse):
    plan(client, alta)
    r = client.post(alta.url(f"{X}/budget/2009/lines"), headers=alta.aftercare_leader.headers,
                    json={"kind": "other", "amount": "5000.50", "note": "Kurs"})
    assert r.status_code == 200, r.json
    body = client.get(alta.url(f"{X}/budget/2009"), headers=alta.aftercare_staff.headers).json
    assert (body["cost_total"], body["difference"], body["balanced"]) == ("2005000.50", "-5000.50", False)
    text = text_of(browse(alta, "aftercare_staff").get(page(alta, "/budget?year=2009")))
    assert "The budget does not add up: 5,000.50 kr of the costs are not financed." in text

    leader = browse(alta, "aftercare_leader")
    r = leader.post(page(alta, "/budget/2009/financing"), data={"source": "Sparebank1 Nord-Norge", "kind": "other",
                                                                "amount": "5000.50"})
    assert r.status_code == 302, r.text
    assert "The budget balances" in text_of(leader.get(page(alta, "/budget?year=2009")))


def test_a_month_with_one_flat_empty_half_of_it_has_half_an_empty_flat_month(app, client, alta):
    flats = list(alta_flats(app, alta).values())
    assert len(flats) == 7
    plan(client, alta, 2026)
    april, may = dt.date(2026, 4, 1), dt.date(2026, 5, 1)
    for flat_id in flats[1:]:
        live(app, alta, flat_id, dt.date(2026, 3, 20), may, case_id=aftercare_case(app, client, alta))
    live(app, alta, flats[0], april, dt.date(2026, 4, 16))  # 15 of April's 30 nights

    r = client.get(alta.url(f"{X}/budget/2026/occupancy"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    month = r.json["months"][3]
    assert month["month"] == 4 and month["days"] == 30 and month["flats"] == 7
    assert month["empty_flat_months"] == "0.50"
    assert month["occupied_flat_months"] == "6.50"
    assert month["budgeted_empty_flat_months"] == "1.00"
    assert month["difference_flat_months"] == "-0.50"
    assert month["empty_flat_rent"] == "4166.67"  # 0.5 × 100 000 / 12
    assert month["budgeted_rent"] == "8333.33"
    assert month["difference_rent"] == "-4166.67"
    assert r.json["monthly_rent_per_flat"] == "8333.33"
    march = r.json["months"][2]
    assert march["empty_flat_months"] == "4.68"  # 1 flat all month, 6 flats 19 of 31 days: 1 + 6 × 19/31


def test_the_grant_givers_report_as_page_json_and_csv(app, client, alta, browse):
    flats = list(alta_flats(app, alta).values())
    plan(client, alta, 2025)
    for flat_id in flats:  # every flat lived in all year: 12 empty flat-months fewer than budgeted
        live(app, alta, flat_id, dt.date(2024, 6, 1), case_id=aftercare_case(app, client, alta))
    r = client.get(alta.url(f"{X}/budget/2025/report"), headers=alta.aftercare_staff.headers)
    assert r.status_code == 200, r.json
    report = r.json
    assert report["residents"] == 7
    assert report["occupancy"]["flats"] == 7
    assert report["occupancy"]["empty_flat_months"] == "0.00"
    assert report["occupancy"]["occupied_flat_months"] == "84.00"
    assert report["empty_flat_rent"] == {"budget_line": "100000.00", "actual": "0.00", "difference": "-100000.00"}
    assert report["budget"]["financing_total"] == "2000000.00"

    browser = browse(alta, "aftercare_staff")
    text = text_of(browser.get(page(alta, "/budget/2025/report")))
    assert "Report to the grant givers 2025" in text
    assert "Residents who lived there in the year 7" in text
    r = browser.get(page(alta, "/budget/2025/report.csv"))
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = {(row[0], row[1]): row[2] for row in csv.reader(io.StringIO(r.text))}
    assert rows[("costs", "total")] == "2000000.00"
    assert rows[("financing", "Finnmarkskollektivet")] == "200000.00"
    assert rows[("empty flat rent", "actual minus budget")] == "-100000.00"
    assert rows[("occupancy", "residents")] == "7"


def test_the_leader_enters_the_plans_budget_through_the_page(client, alta, browse):
    leader = browse(alta, "aftercare_leader")
    assert "There is no budget for" in text_of(leader.get(page(alta, "/budget?year=2009")))
    r = leader.post(page(alta, "/budget/plan"), data={"year": "2009"})
    assert r.status_code == 302, r.text
    text = text_of(leader.get(page(alta, "/budget?year=2009")))
    assert "Total costs 2,000,000.00 kr" in text
    assert "Total financing 2,000,000.00 kr" in text
    assert "The budget balances" in text


def test_bad_input_is_a_422_naming_the_field(client, alta, browse):
    headers = alta.aftercare_leader.headers
    plan(client, alta)
    r = client.post(alta.url(f"{X}/budget/2009/lines"), headers=headers, json={"kind": "champagne", "amount": "lots"})
    assert r.status_code == 422 and {"kind", "amount"} <= set(r.json["fields"])
    r = client.post(alta.url(f"{X}/budget/2009/lines"), headers=headers, json={"kind": "other", "amount": "-1"})
    assert r.status_code == 422 and "amount" in r.json["fields"]
    r = client.post(alta.url(f"{X}/budget/2009/financing"), headers=headers, json={"kind": "grant", "amount": "1"})
    assert r.status_code == 422 and "source" in r.json["fields"]
    r = client.post(alta.url(f"{X}/budget/plan"), headers=headers, json={"year": 1900})
    assert r.status_code == 422 and "year" in r.json["fields"]
    r = client.post(alta.url(f"{X}/budget/years"), headers=headers, json={"year": 2009})
    assert r.status_code == 409
    assert client.get(alta.url(f"{X}/budget/1999/occupancy"), headers=headers).status_code == 422
    assert client.get(alta.url(f"{X}/budget/2030"), headers=headers).status_code == 404
    r = client.post(alta.url(f"{X}/budget/plan"), headers=alta.aftercare_staff.headers, json={})
    assert r.status_code == 403

    leader = browse(alta, "aftercare_leader")
    r = leader.post(page(alta, "/budget/2009/lines"), data={"kind": "other", "amount": "12a"})
    assert r.status_code == 422
    assert 'href="#line-field-amount"' in r.text
    r = leader.post(page(alta, "/budget/plan"), data={"year": "1800"})
    assert r.status_code == 422 and 'href="#plan-field-year"' in r.text
    assert leader.get(page(alta, "/budget?year=abc")).status_code == 422


def test_bergen_without_aftercare_gets_404(client, bergen, browse):
    assert client.get(bergen.url(f"{X}/budget/years"), headers=bergen.aftercare_leader.headers).status_code == 404
    assert client.post(bergen.url(f"{X}/budget/plan"), headers=bergen.aftercare_leader.headers,
                       json={}).status_code == 404
    browser = browse(bergen, "aftercare_leader")
    assert browser.get(page(bergen, "/budget")).status_code == 404
    assert browser.get(page(bergen, "/budget/2009/report.csv")).status_code == 404
