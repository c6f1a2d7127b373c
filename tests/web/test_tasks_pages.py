"""The inbox ``/t/<tenant>/tasks``: the signed-in user's open deadlines, overdue (red, and
saying so) before those due within two weeks, each linking to its case; only their own cases',
never another user's or another municipality's; a plugin's inbox items beside them; and the
checkbox asking for the daily e-mail, kept on the user's membership."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from tests.helpers import add_person, open_case
from tests.plugins.example import ExamplePlugin
from tests.web.pages import log_in
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import AuditEvent, Deadline, Membership
from velferd.reminders import WINDOW_DAYS
from velferd.tenancy import tenant_scope
from velferd.toolkit import InboxItem, WebPages, hookimpl


def log_in_in_english(client, email: str):
    assert client.post("/language", data={"lang": "en", "next": "/login"}).status_code == 302
    return log_in(client, email)


def today_in(town) -> dt.date:
    return tenant_today(town.tenant)


def a_case_for(client, town, staff, given_name="Kari", family_name="Hemmelighet") -> int:
    person = add_person(client, town, given_name=given_name, family_name=family_name)
    return open_case(client, town, person["id"], assigned_to_id=staff.user_id)["id"]


def a_deadline(client, town, case_id: int, kind: str, days_from_today: int) -> int:
    due_on = today_in(town) + dt.timedelta(days=days_from_today)
    r = client.post(town.url(f"/cases/{case_id}/deadlines"), json={"kind": kind, "due_on": due_on.isoformat()},
                    headers=town.caseworker.headers)
    assert r.status_code == 201, r.json
    return r.json["id"]


def complete(app, town, deadline_id: int) -> None:
    with app.app_context(), tenant_scope(town.tenant):
        db.session.get(Deadline, deadline_id).completed_at = dt.datetime.now(dt.UTC)
        db.session.commit()


def the_inbox(client, town):
    r = client.get(f"/t/{town.slug}/tasks")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_the_inbox_lists_my_overdue_deadlines_first_then_those_due_soon(app, client, bergen):
    mine = a_case_for(client, bergen, bergen.caseworker)
    a_deadline(client, bergen, mine, "Report to the school", 5)
    a_deadline(client, bergen, mine, "Follow-up talk", -3)
    a_deadline(client, bergen, mine, "Far away review", WINDOW_DAYS + 1)
    done = a_deadline(client, bergen, mine, "Done already", -1)
    complete(app, bergen, done)
    log_in_in_english(client, bergen.caseworker.email)
    page = the_inbox(client, bergen)
    assert '<h2 id="overdue-title">Overdue (1)</h2>' in page
    assert f'<h2 id="upcoming-title">Due within {WINDOW_DAYS} days (1)</h2>' in page
    assert page.index("Follow-up talk") < page.index("Report to the school")
    overdue_row = page[page.index('<tr class="overdue">'):page.index("Follow-up talk")]
    assert '<strong class="tag overdue-tag">Overdue</strong>' in overdue_row  # said in words, not only red
    assert f'href="/t/bergen/cases/{mine}"' in page
    assert "Far away review" not in page and "Done already" not in page
    assert page.count('class="overdue"') == 1


def test_the_due_date_is_written_in_the_page_language(client, bergen):
    mine = a_case_for(client, bergen, bergen.caseworker)
    a_deadline(client, bergen, mine, "Samtale", 2)
    due = today_in(bergen) + dt.timedelta(days=2)
    log_in(client, bergen.caseworker.email)  # Bergen speaks Norwegian
    page = the_inbox(client, bergen)
    assert f'<time datetime="{due.isoformat()}">{due:%d.%m.%Y}</time>' in page
    assert "Forfaller innen 14 dager (1)" in page and "Oppgaver" in page


def test_another_users_and_another_municipalitys_deadlines_are_not_mine(app, client, bergen, alta):
    theirs = a_case_for(client, bergen, bergen.coordinator)
    a_deadline(client, bergen, theirs, "Coordinator task", -2)
    elsewhere = a_case_for(client, alta, alta.caseworker)
    a_deadline(client, alta, elsewhere, "Alta task", -2)
    log_in_in_english(client, bergen.caseworker.email)
    page = the_inbox(client, bergen)
    assert "Coordinator task" not in page and "Alta task" not in page
    assert "Overdue (0)" in page and "Nothing is overdue." in page
    log_in_in_english(client, bergen.coordinator.email)
    assert "Coordinator task" in the_inbox(client, bergen)


def test_reading_the_inbox_is_audited_for_the_persons_shown(app, client, bergen):
    mine = a_case_for(client, bergen, bergen.caseworker)
    a_deadline(client, bergen, mine, "Samtale", 1)
    log_in(client, bergen.caseworker.email)
    the_inbox(client, bergen)
    with app.app_context(), tenant_scope(bergen.tenant):
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == bergen.caseworker.user_id,
                                                                        AuditEvent.person_id.is_not(None))).all()
        db.session.commit()
    assert any(action.endswith(".listed") or action.endswith(".read") for action in actions), actions


def test_the_menu_offers_tasks_to_a_case_reader_and_a_finance_officer_is_refused(client, bergen):
    log_in_in_english(client, bergen.caseworker.email)
    assert '<a href="/t/bergen/tasks"' in client.get("/t/bergen/cases").get_data(as_text=True)
    log_in_in_english(client, bergen.finance.email)
    assert client.get("/t/bergen/tasks").status_code == 403
    assert client.post("/t/bergen/tasks/notifications", data={"email_reminders": "on"}).status_code == 403


def test_another_municipalitys_inbox_is_not_found(client, bergen, alta):
    log_in(client, bergen.caseworker.email)
    assert client.get("/t/alta/tasks").status_code == 404
    assert client.post("/t/alta/tasks/notifications", data={"email_reminders": "on"}).status_code == 404


def wants_email(app, town, staff) -> bool:
    with app.app_context(), tenant_scope(town.tenant):
        wanted = db.session.scalar(sa.select(Membership.email_reminders).where(Membership.user_id == staff.user_id))
        db.session.commit()
    return wanted


def test_the_email_opt_in_is_kept_on_my_membership_and_can_be_turned_off(app, client, bergen, alta):
    log_in_in_english(client, bergen.caseworker.email)
    page = the_inbox(client, bergen)
    assert 'name="email_reminders" type="checkbox" value="on"' in page
    assert "E-mail me when I have deadlines due or overdue" in page and " checked" not in page
    r = client.post("/t/bergen/tasks/notifications", data={"email_reminders": "on"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/t/bergen/tasks#confirmation")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "You will get an e-mail on days when you have deadlines due or overdue." in page
    assert 'value="on" checked' in page
    assert wants_email(app, bergen, bergen.caseworker) is True
    assert wants_email(app, bergen, bergen.coordinator) is False  # only mine
    r = client.post("/t/bergen/tasks/notifications", data={})  # the box left unticked
    assert r.status_code == 302
    assert "You will not get e-mails about your deadlines." in client.get(r.headers["Location"]).get_data(as_text=True)
    assert wants_email(app, bergen, bergen.caseworker) is False


def test_the_opt_in_posted_from_another_site_is_refused(app, client, bergen):
    log_in(client, bergen.caseworker.email)
    r = client.post("/t/bergen/tasks/notifications", data={"email_reminders": "on"},
                    headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert r.status_code == 403
    assert wants_email(app, bergen, bergen.caseworker) is False


def test_signed_out_the_inbox_asks_to_log_in(client, bergen):
    r = client.get("/t/bergen/tasks")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


# --- a plugin's inbox items (WebPages.inbox) ------------------------------------------------------

def example_inbox(tenant, user, settings):
    today = tenant_today(tenant)
    return [InboxItem(f"Plan the places for {user.email}", today + dt.timedelta(days=3), "/t/bergen/cases"),
            InboxItem("Send the report", today - dt.timedelta(days=1), 999, overdue=True),
            InboxItem("Outside link", today, "https://evil.example/")]


class ExampleWithAnInbox(ExamplePlugin):
    @hookimpl
    def velferd_plugin(self):
        declared = super().velferd_plugin()
        return dataclasses.replace(declared, web=dataclasses.replace(declared.web or WebPages(), inbox=example_inbox))


@pytest.mark.parametrize("example_plugin", [ExampleWithAnInbox()])
def test_an_enabled_plugins_items_are_in_the_inbox_and_a_disabled_ones_are_not(client, bergen, example_plugin):
    log_in_in_english(client, bergen.caseworker.email)
    page = the_inbox(client, bergen)
    assert f'<a href="/t/bergen/cases">Plan the places for {bergen.caseworker.email}</a>' in page
    assert "Overdue (1)" in page and '<a href="/t/bergen/cases/999">Case 999</a>' in page
    assert "Outside link" in page and 'href="https://evil.example/"' not in page  # no link off the site
    r = client.delete(bergen.url("/plugins/example/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 200
    page = the_inbox(client, bergen)
    assert "Send the report" not in page and "Overdue (0)" in page


def test_an_inbox_that_is_not_a_function_stops_the_start():
    from velferd.plugins.manager import PluginError, _checked_declaration

    declared = dataclasses.replace(ExamplePlugin().velferd_plugin(), web=WebPages(inbox="velferd_due.inbox"))
    with pytest.raises(PluginError, match="a WebPages whose inbox is a function or None"):
        _checked_declaration("example", declared)
