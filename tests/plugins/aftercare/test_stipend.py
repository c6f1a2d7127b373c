"""The qualification stipend from Alta's G table: 2G a year (2/3 under 25), the brochure's
"kr. 133.600 pr. år" per 01.02.2008 coming out of the rule (2 × 66,812 = 133,624, stated to the
nearest hundred), the child supplement 27 × 22 a month per child, a programme across the G change
of 1 May 2008 month by month, and a missing G refused naming its year — never a guess."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import add_person, synthetic_id
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in


def _load_g(client, town):
    r = client.post(town.url("/x/aftercare/g-table/published"), headers=town.aftercare_leader.headers)
    assert r.status_code == 200, r.json
    return r.json


def _stipend(client, town, **query):
    return client.get(town.url("/x/aftercare/stipend"), query_string=query, headers=town.aftercare_staff.headers)


def _case_born(client, town, birth: dt.date) -> int:
    person = add_person(client, town, national_id=synthetic_id("NO", birth), role="aftercare_staff")
    r = client.post(town.url("/cases"), json={"person_id": person["id"], "plugin": "aftercare"},
                    headers=town.aftercare_staff.headers)
    assert r.status_code == 201, r.json
    return r.json["id"]


def test_the_published_g_table_has_its_sources_and_the_g_of_1_may_2007(client, alta):
    rows = _load_g(client, alta)
    by_day = {row["effective_from"]: row for row in rows}
    assert by_day["2007-05-01"]["amount"] == "66812.00"
    assert by_day["2008-05-01"]["amount"] == "70256.00"
    assert by_day["2009-05-01"]["amount"] == "72881.00"
    assert all("NAV" in row["source"] for row in rows)
    r = client.get(alta.url("/x/aftercare/g-table/on"), query_string={"on": "2008-04-30"},
                   headers=alta.aftercare_staff.headers)
    assert r.json["amount"] == "66812.00"
    # loading again adds nothing and keeps what is there
    assert len(_load_g(client, alta)) == len(rows)


def test_the_brochures_133600_per_01_02_2008_comes_out_of_the_rule(client, alta):
    _load_g(client, alta)
    r = _stipend(client, alta, birth_date="1980-06-01", on="2008-02-01")
    assert r.status_code == 200, r.json
    assert r.json["g"] == "66812.00" and r.json["g_from"] == "2007-05-01"
    assert r.json["under_25"] is False
    assert r.json["yearly"] == "133624.00"
    assert r.json["yearly_as_stated"] == "133600.00"
    assert r.json["monthly"] == "11135.00"
    assert r.json["taxable"] is True


def test_under_25_is_two_thirds_of_the_full_stipend(client, alta):
    _load_g(client, alta)
    r = _stipend(client, alta, birth_date="1990-03-01", on="2008-02-01")
    assert r.json["under_25"] is True and r.json["age"] == 17
    assert r.json["yearly_exact"] == "89082.67"       # 2/3 × 133,624
    assert r.json["yearly"] == "89083.00"
    assert r.json["yearly_as_stated"] == "89100.00"
    assert r.json["monthly"] == "7424.00"             # 89,082.67 / 12 = 7,423.56
    # 25 on the day: the full stipend
    r = _stipend(client, alta, birth_date="1983-02-01", on="2008-02-01")
    assert r.json["under_25"] is False and r.json["yearly"] == "133624.00"


def test_the_child_supplement_is_27_a_day_for_22_days_a_month_per_child(client, alta):
    _load_g(client, alta)
    r = _stipend(client, alta, birth_date="1980-06-01", on="2008-02-01", children=2)
    assert r.json["child_rate_per_day"] == "27.00"
    assert r.json["child_supplement_per_month"] == "1188.00"   # 2 × 27 × 22
    assert r.json["monthly_total"] == "12323.00"               # 11,135 + 1,188
    # a later rate is a parameter, not a change of the rule
    r = _stipend(client, alta, birth_date="1980-06-01", on="2008-02-01", children=1, child_rate_per_day="30")
    assert r.json["child_supplement_per_month"] == "660.00"


def test_a_programme_across_1_may_2008_is_computed_month_by_month(client, alta):
    _load_g(client, alta)
    case_id = _case_born(client, alta, dt.date(1980, 6, 1))
    r = client.put(alta.url(f"/x/aftercare/cases/{case_id}/programme"), headers=alta.aftercare_staff.headers,
                   json={"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30"})
    assert r.status_code == 200, r.json
    months = r.json["months"]
    assert [(m["month"], m["g"], m["basic"]) for m in months] == [
        ("2008-04-01", "66812.00", "11135.00"),   # 133,624 / 12
        ("2008-05-01", "70256.00", "11709.00"),   # 140,512 / 12: the G of 1 May 2008
        ("2008-06-01", "70256.00", "11709.00"),
    ]
    assert r.json["total"] == "34553.00"
    # today's figure needs the G of 1 May 2026, which the published table leaves out: named, not guessed
    assert r.json["now"] is None
    assert "1 May 2026" in r.json["now_unknown"]


def test_part_months_are_their_share_of_the_days_and_the_25th_birthday_counts_from_the_next_month(client, alta):
    _load_g(client, alta)
    case_id = _case_born(client, alta, dt.date(1983, 5, 15))  # 25 on 15 May 2008
    r = client.put(alta.url(f"/x/aftercare/cases/{case_id}/programme"), headers=alta.aftercare_staff.headers,
                   json={"granted_on": "2008-03-15", "starts_on": "2008-04-16", "ends_on": "2008-06-15",
                         "children": 1})
    assert r.status_code == 200, r.json
    months = r.json["months"]
    assert [(m["days"], m["days_in_month"], m["under_25"]) for m in months] == [
        (15, 30, True), (31, 31, True), (15, 30, False)]
    assert [m["basic"] for m in months] == [
        "3712.00",    # 2/3 × 133,624 / 12 × 15/30 = 3,711.78
        "7806.00",    # 2/3 × 140,512 / 12 = 7,806.22 (24 on 1 May)
        "5855.00",    # 140,512 / 12 × 15/30 = 5,854.67 (25 on 1 June)
    ]
    assert [m["child_supplement"] for m in months] == ["297.00", "594.00", "297.00"]


def test_a_missing_year_is_refused_naming_it(client, alta):
    _load_g(client, alta)
    r = _stipend(client, alta, birth_date="1980-06-01", on="2026-06-01")
    assert r.status_code == 422
    assert "1 May 2026" in r.json["fields"]["on"][0]
    r = client.get(alta.url("/x/aftercare/g-table/on"), query_string={"on": "2026-05-01"},
                   headers=alta.aftercare_staff.headers)
    assert r.status_code == 422 and "2026" in r.json["fields"]["on"][0]
    # before the table's first row
    r = _stipend(client, alta, birth_date="1980-06-01", on="2001-01-01")
    assert r.status_code == 422 and "2001-01-01" in r.json["fields"]["on"][0]
    # once the tenant enters the year with its source, it is computed
    r = client.post(alta.url("/x/aftercare/g-table"), headers=alta.aftercare_leader.headers,
                    json={"effective_from": "2026-05-01", "amount": "135000", "source": "Test: entered by hand"})
    assert r.status_code == 200, r.json
    assert _stipend(client, alta, birth_date="1980-06-01", on="2026-06-01").json["yearly"] == "270000.00"


def test_an_empty_g_table_is_refused_not_guessed(client, alta):
    r = _stipend(client, alta, birth_date="1980-06-01", on="2008-02-01")
    assert r.status_code == 422
    assert "empty" in r.json["fields"]["on"][0]


@pytest.mark.parametrize(("body", "field"), [
    ({"effective_from": "2008-05-01", "amount": "abc", "source": "NAV"}, "amount"),
    ({"effective_from": "2008-05-01", "amount": "0", "source": "NAV"}, "amount"),
    ({"effective_from": "2008-05-01", "amount": "70256"}, "source"),
    ({"effective_from": "first of May", "amount": "70256", "source": "NAV"}, "effective_from"),
    ({"effective_from": "2008-05-01", "amount": "70256", "source": "NAV", "percent": 3}, "percent"),
])
def test_a_bad_g_is_a_422_naming_the_field(client, alta, body, field):
    r = client.post(alta.url("/x/aftercare/g-table"), headers=alta.aftercare_leader.headers, json=body)
    assert r.status_code == 422, r.json
    assert field in r.json["fields"]


@pytest.mark.parametrize(("query", "field"), [
    ({"on": "2008-02-01"}, "birth_date"),
    ({"birth_date": "1980-06-01", "on": "2008-02-30"}, "on"),
    ({"birth_date": "1980-06-01", "on": "2008-02-01", "children": -1}, "children"),
    ({"birth_date": "1980-06-01", "on": "2008-02-01", "children": "two"}, "children"),
])
def test_a_bad_stipend_query_is_a_422_naming_the_field(client, alta, query, field):
    r = _stipend(client, alta, **query)
    assert r.status_code == 422
    assert field in r.json["fields"]


@pytest.mark.parametrize(("body", "field"), [
    ({"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-03-31"}, "ends_on"),
    ({"granted_on": "2999-01-01", "starts_on": "2008-04-01", "ends_on": "2008-06-30"}, "granted_on"),
    ({"starts_on": "2008-04-01", "ends_on": "2008-06-30"}, "granted_on"),
    ({"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30", "children": -2}, "children"),
    ({"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30",
      "child_rate_per_day": "lots"}, "child_rate_per_day"),
])
def test_a_bad_programme_is_a_422_naming_the_field(client, alta, body, field):
    case_id = _case_born(client, alta, dt.date(1980, 6, 1))
    r = client.put(alta.url(f"/x/aftercare/cases/{case_id}/programme"), headers=alta.aftercare_staff.headers,
                   json=body)
    assert r.status_code == 422, r.json
    assert field in r.json["fields"]


def test_only_who_holds_the_g_table_permission_enters_a_g(client, alta):
    r = client.post(alta.url("/x/aftercare/g-table"), headers=alta.aftercare_staff.headers,
                    json={"effective_from": "2008-05-01", "amount": "70256", "source": "NAV"})
    assert r.status_code == 403
    r = client.put(alta.url("/x/aftercare/cases/1/programme"), headers=alta.aftercare_partner.headers,
                   json={"granted_on": "2008-03-15", "starts_on": "2008-04-01", "ends_on": "2008-06-30"})
    assert r.status_code == 403


def test_the_rule_itself_without_the_database():
    """`stipend` computed from a G table given as rows: the rule, not the routes."""
    from velferd_aftercare.g_table import GTable
    from velferd_aftercare.plan_models import GValue
    from velferd_aftercare.stipend import expected_stipend, programme_months, total

    table = GTable([GValue(effective_from=dt.date(2007, 5, 1), amount=Decimal("66812"), source="NAV"),
                    GValue(effective_from=dt.date(2008, 5, 1), amount=Decimal("70256"), source="NAV")])
    figures = expected_stipend(dt.date(1970, 1, 1), dt.date(2008, 2, 1), table=table)
    assert (figures.yearly, figures.yearly_as_stated) == (Decimal("133624"), Decimal("133600"))
    assert total(programme_months(dt.date(1970, 1, 1), dt.date(2008, 4, 1), dt.date(2008, 6, 30),
                                  table=table)) == Decimal("34553")
    with pytest.raises(Exception, match="1 May 2009"):
        expected_stipend(dt.date(1970, 1, 1), dt.date(2009, 5, 1), table=table)


def test_the_g_table_page_lists_and_takes_a_g(app, alta):
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, alta.aftercare_leader.email)
    r = browser.get("/t/alta/x/aftercare/g-table")
    assert r.status_code == 200
    assert "<table" not in r.get_data(as_text=True)  # nothing entered yet
    assert 'href="/t/alta/x/aftercare/g-table"' in r.get_data(as_text=True)  # the menu's "G table"
    r = browser.post("/t/alta/x/aftercare/g-table/published")
    assert r.status_code == 302
    page = browser.get("/t/alta/x/aftercare/g-table").get_data(as_text=True)
    assert "66" in page and "812" in page and "Grunnbeløpet i folketrygden" in page
    r = browser.post("/t/alta/x/aftercare/g-table", data={"effective_from": "2026-05-01", "amount": "",
                                                         "source": "x"})
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert 'class="error-summary"' in text and 'href="#g-value-field-amount"' in text
    r = browser.post("/t/alta/x/aftercare/g-table", data={"effective_from": "2026-05-01", "amount": "135000",
                                                         "source": "Test: entered by hand"})
    assert r.status_code == 302
    assert "entered by hand" in browser.get("/t/alta/x/aftercare/g-table").get_data(as_text=True)


def test_a_member_without_the_g_table_permission_sees_no_form(app, alta):
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, alta.aftercare_staff.email)
    page = browser.get("/t/alta/x/aftercare/g-table").get_data(as_text=True)
    assert 'id="g-value"' not in page
    assert browser.post("/t/alta/x/aftercare/g-table", data={"amount": "1"}).status_code == 403


def test_bergen_without_aftercare_gets_404_on_the_g_table_and_the_stipend(app, client, bergen):
    assert client.get(bergen.url("/x/aftercare/g-table"), headers=bergen.aftercare_leader.headers).status_code == 404
    assert client.get(bergen.url("/x/aftercare/stipend"), query_string={"birth_date": "1980-01-01", "on": "2008-02-01"},
                      headers=bergen.aftercare_leader.headers).status_code == 404
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, bergen.aftercare_leader.email)
    assert browser.get("/t/bergen/x/aftercare/g-table").status_code == 404
