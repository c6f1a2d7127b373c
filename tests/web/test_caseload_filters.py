"""The caseload's filters as a caseworker bookmarks them (GET parameters): programme, state,
assigned to me or to a colleague or nobody, open cases only, and an overdue deadline — in the
municipality's day — which the API's case list filters by too."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.helpers import add_person, open_case
from tests.web.pages import log_in
from velferd.db import db
from velferd.models import Deadline
from velferd.tenancy import tenant_scope


def case_ids(page: str) -> list[int]:
    """The cases a caseload page lists, in its order (the links in its table's first column)."""
    return [int(found) for found in re.findall(r'<td><a href="/t/[a-z-]+/cases/(\d+)">', page)]


def add_deadline(client, town, case_id: int, due_on: dt.date, kind: str = "follow-up") -> None:
    r = client.post(town.url(f"/cases/{case_id}/deadlines"), json={"kind": kind, "due_on": due_on.isoformat()},
                    headers=town.caseworker.headers)
    assert r.status_code == 201, r.json


def close(client, town, case_id: int) -> None:
    for transition, role in (("decline", "caseworker"), ("close", "leader")):
        r = client.post(town.url(f"/cases/{case_id}/transitions"), json={"transition": transition},
                        headers=town.staff[role].headers)
        assert r.status_code == 200, r.json


def oslo_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Oslo")).date()


def test_overdue_lists_the_cases_with_a_deadline_due_before_today_in_oslo(client, bergen):
    person = add_person(client, bergen)["id"]
    yesterday = open_case(client, bergen, person)["id"]
    today = open_case(client, bergen, person)["id"]
    none = open_case(client, bergen, person)["id"]
    add_deadline(client, bergen, yesterday, oslo_today() - dt.timedelta(days=1))
    add_deadline(client, bergen, today, oslo_today())  # due today: not overdue yet
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases?overdue=1").get_data(as_text=True)
    assert case_ids(page) == [yesterday]
    assert 'id="overdue" name="overdue" type="checkbox" value="1" checked' in page  # the form shows the filter
    assert set(case_ids(client.get("/t/bergen/cases").get_data(as_text=True))) == {yesterday, today, none}


def test_the_apis_case_list_filters_overdue_by_the_same_rule(client, bergen, alta):
    person = add_person(client, bergen)["id"]
    late, on_time = open_case(client, bergen, person)["id"], open_case(client, bergen, person)["id"]
    add_deadline(client, bergen, late, oslo_today() - dt.timedelta(days=1))
    add_deadline(client, bergen, on_time, oslo_today() + dt.timedelta(days=3))
    theirs = open_case(client, alta, add_person(client, alta)["id"])["id"]
    add_deadline(client, alta, theirs, dt.date(2020, 1, 1))
    r = client.get(bergen.url("/cases?overdue=true"), headers=bergen.caseworker.headers)
    assert r.status_code == 200 and [item["id"] for item in r.json["items"]] == [late]
    r = client.get(bergen.url("/cases?overdue=maybe"), headers=bergen.caseworker.headers)
    assert r.status_code == 422 and "overdue" in r.json["fields"]


def test_a_completed_deadline_is_not_overdue(app, client, bergen):
    """The API has no route that completes a deadline yet: the test completes it in the database."""
    case = open_case(client, bergen, add_person(client, bergen)["id"])["id"]
    add_deadline(client, bergen, case, dt.date(2020, 1, 1))
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.execute(sa.update(Deadline).values(completed_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC)))
        db.session.commit()
    log_in(client, bergen.caseworker.email)
    assert case_ids(client.get("/t/bergen/cases?overdue=1").get_data(as_text=True)) == []


def test_assigned_to_a_colleague_names_them_in_the_heading(client, bergen):
    person = add_person(client, bergen)["id"]
    theirs = open_case(client, bergen, person, assigned_to_id=bergen.coordinator.user_id)["id"]
    mine = open_case(client, bergen, person, assigned_to_id=bergen.caseworker.user_id)["id"]
    nobodys = open_case(client, bergen, person)["id"]
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases?assigned_to={bergen.coordinator.user_id}").get_data(as_text=True)
    assert case_ids(page) == [theirs]
    assert "<h1>Saker tildelt coordinator bergen</h1>" in page
    assert f'name="assigned_to" value="{bergen.coordinator.user_id}"' in page  # kept when the form is sent
    page = client.get("/t/bergen/cases?mine=1").get_data(as_text=True)
    assert case_ids(page) == [mine] and "<h1>Mine saker</h1>" in page
    page = client.get("/t/bergen/cases?unassigned=1").get_data(as_text=True)
    assert case_ids(page) == [nobodys] and "<h1>Saker uten saksbehandler</h1>" in page


def test_a_user_of_another_municipality_is_not_named(client, bergen, alta):
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases?assigned_to={alta.leader.user_id}").get_data(as_text=True)
    assert f"<h1>Saker tildelt bruker {alta.leader.user_id}</h1>" in page and "alta" not in page.lower()


def test_open_only_leaves_out_closed_cases(client, bergen):
    person = add_person(client, bergen)["id"]
    closed, still_open = open_case(client, bergen, person)["id"], open_case(client, bergen, person)["id"]
    close(client, bergen, closed)
    log_in(client, bergen.caseworker.email)
    assert case_ids(client.get("/t/bergen/cases?open=1").get_data(as_text=True)) == [still_open]
    assert set(case_ids(client.get("/t/bergen/cases").get_data(as_text=True))) == {closed, still_open}


def test_filters_combine(client, bergen):
    person = add_person(client, bergen)["id"]
    wanted = open_case(client, bergen, person, assigned_to_id=bergen.caseworker.user_id)["id"]
    other = open_case(client, bergen, person)["id"]
    for case in (wanted, other):
        add_deadline(client, bergen, case, dt.date(2020, 1, 1))
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases?programme=example&state=referred&mine=1&open=1&overdue=1")
    assert case_ids(page.get_data(as_text=True)) == [wanted]


def test_a_bad_filter_value_is_a_422_naming_the_parameter(client, bergen):
    open_case(client, bergen, add_person(client, bergen, given_name="Kari", family_name="Listesen")["id"])
    log_in(client, bergen.caseworker.email)
    r = client.get("/t/bergen/cases?assigned_to=abc")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'class="error-summary"' in page and "Tildelt: " in page
    assert "Listesen" not in page  # nothing listed on a refused filter
    r = client.get("/t/bergen/cases?overdue=perhaps")
    assert r.status_code == 422 and 'href="#overdue"' in r.get_data(as_text=True)


def test_a_script_gets_the_apis_error_shape_for_a_bad_filter(app, bergen):
    script = app.test_client()
    log_in(script, bergen.caseworker.email)
    r = script.get("/t/bergen/cases?assigned_to=-4")
    assert r.status_code == 422 and "assigned_to" in r.json["fields"]


def test_the_filters_never_show_another_municipalitys_cases(client, bergen, alta):
    theirs = open_case(client, alta, add_person(client, alta)["id"], assigned_to_id=alta.caseworker.user_id)["id"]
    add_deadline(client, alta, theirs, dt.date(2020, 1, 1))
    log_in(client, bergen.caseworker.email)
    for query in ("overdue=1", f"assigned_to={alta.caseworker.user_id}", "open=1", "unassigned=1"):
        assert case_ids(client.get(f"/t/bergen/cases?{query}").get_data(as_text=True)) == []
    assert client.get("/t/alta/cases?overdue=1").status_code == 404
