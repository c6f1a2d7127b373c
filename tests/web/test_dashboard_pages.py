"""The leader dashboard: each figure is a link, and the caseload behind the link lists exactly
that many cases — the check a leader would make. Counts are the municipality's own, overdue is
judged on the municipality's day, and only the leader's role may see the page."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.helpers import add_person, open_case
from tests.web.pages import log_in
from tests.web.test_caseload_filters import add_deadline, case_ids, close, oslo_today
from velferd.db import db


def figures(page: str) -> dict[str, int]:
    """The dashboard's links to the caseload, each with the number it shows."""
    found = re.findall(r'<a href="(/t/[a-z-]+/cases\?[^"]+)">(\d+)<span', page)
    return {href.replace("&amp;", "&"): int(n) for href, n in found}


def test_every_figure_is_what_its_caseload_lists(client, bergen, alta):
    person = add_person(client, bergen)["id"]
    for _ in range(3):
        open_case(client, bergen, person, assigned_to_id=bergen.caseworker.user_id)
    open_case(client, bergen, person, assigned_to_id=bergen.coordinator.user_id)
    closed = open_case(client, bergen, person, assigned_to_id=bergen.coordinator.user_id)["id"]
    close(client, bergen, closed)  # not open: not counted
    for _ in range(2):
        open_case(client, bergen, person)
    late = open_case(client, bergen, person)["id"]
    add_deadline(client, bergen, late, oslo_today() - dt.timedelta(days=1))
    add_deadline(client, bergen, late, oslo_today() - dt.timedelta(days=9))  # two deadlines, one case
    add_deadline(client, bergen, open_case(client, bergen, person)["id"], oslo_today())  # due today: not yet
    alta_person = add_person(client, alta)["id"]  # the neighbour's cases never count here
    alta_case = open_case(client, alta, alta_person, assigned_to_id=alta.caseworker.user_id)["id"]
    add_deadline(client, alta, alta_case, dt.date(2020, 1, 1))
    open_case(client, alta, alta_person)

    log_in(client, bergen.leader.email)
    r = client.get("/t/bergen/dashboard")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    shown = figures(page)
    caseworker, coordinator = bergen.caseworker.user_id, bergen.coordinator.user_id
    assert shown == {
        "/t/bergen/cases?unassigned=1&open=1": 4,
        f"/t/bergen/cases?assigned_to={caseworker}&open=1": 3,
        f"/t/bergen/cases?assigned_to={coordinator}&open=1": 1,
        "/t/bergen/cases?programme=example&overdue=1": 1,
    }
    assert "caseworker bergen" in page and "coordinator bergen" in page and "Example programme" in page
    for href, count in shown.items():
        listed = client.get(href)
        assert listed.status_code == 200
        assert len(case_ids(listed.get_data(as_text=True))) == count, href
    assert case_ids(client.get("/t/bergen/cases?programme=example&overdue=1").get_data(as_text=True)) == [late]


def test_the_counts_are_one_group_by_each_not_the_cases_loaded(app, client, bergen):
    """The figures are counted by the database: no case row is loaded to draw the page."""
    from velferd.models import Case

    person = add_person(client, bergen)["id"]
    for _ in range(3):
        open_case(client, bergen, person)
    log_in(client, bergen.leader.email)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/t/bergen/dashboard").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    on_cases = [s for s in statements if f"FROM {Case.__tablename__}" in s]
    assert len(on_cases) == 2 and all("count(" in s.lower() and "GROUP BY" in s for s in on_cases)


def test_only_the_leader_may_see_the_dashboard_and_the_menu_says_so(client, bergen):
    log_in(client, bergen.caseworker.email)
    assert client.get("/t/bergen/dashboard").status_code == 403
    assert 'href="/t/bergen/dashboard"' not in client.get("/t/bergen/cases").get_data(as_text=True)
    client.post("/logout")
    log_in(client, bergen.leader.email)
    page = client.get("/t/bergen/cases").get_data(as_text=True)
    assert '<a href="/t/bergen/dashboard">Oversikt</a>' in page


def test_another_municipalitys_dashboard_is_not_found(client, bergen, alta):
    log_in(client, bergen.leader.email)
    r = client.get("/t/alta/dashboard")
    assert r.status_code == 404 and "Alta" not in r.get_data(as_text=True)


def test_an_empty_municipality_says_so_and_lists_its_programmes_at_zero(client, bergen):
    log_in(client, bergen.leader.email)
    page = client.get("/t/bergen/dashboard").get_data(as_text=True)
    assert "Det er ingen åpne saker." in page
    assert figures(page) == {"/t/bergen/cases?programme=example&overdue=1": 0}
