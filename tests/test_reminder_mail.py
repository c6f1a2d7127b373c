"""The daily deadline reminder, sent to a real SMTP server on loopback (aiosmtpd, tests/smtp.py)
by the core's periodic entry as the scheduler fans it out to every municipality.

Only members who ticked the box get one, only when something is due, in the municipality's
language; it holds the counts and the inbox's link and nothing about any case (no name, no
national id, no case number); and a user gets at most one a day, however often the job runs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.helpers import add_person, open_case, synthetic_id
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.clock import tenant_today
from velferd.db import db
from velferd.jobs.fanout import fan_out
from velferd.jobs.runner import run_job
from velferd.models import JobRun, ReminderMail
from velferd.reminder_mail import DAILY_TASK
from velferd.tenancy import tenant_scope

ENTRY = "reminders-daily-mail"
NATIONAL_ID = synthetic_id("NO", dt.date(2004, 5, 17))


def a_case_with_deadlines(client, town, staff, days_from_today, national_id=None) -> int:
    person = add_person(client, town, national_id=national_id, given_name="Kari", family_name="Hemmelighet")
    case_id = open_case(client, town, person["id"], assigned_to_id=staff.user_id)["id"]
    for days in days_from_today:
        due_on = tenant_today(town.tenant) + dt.timedelta(days=days)
        r = client.post(town.url(f"/cases/{case_id}/deadlines"), json={"kind": "Samtale med Kari Hemmelighet",
                                                                      "due_on": due_on.isoformat()},
                        headers=town.caseworker.headers)
        assert r.status_code == 201, r.json
    return case_id


def opt_in(app, town, staff):
    """Tick the inbox's box, as the user does on the page."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    log_in(browser, staff.email)
    assert browser.post(f"/t/{town.slug}/tasks/notifications", data={"email_reminders": "on"}).status_code == 302


def run_the_daily_entry(app, slot="2026-12-02T06:00") -> list[JobRun]:
    with app.app_context():
        return fan_out(ENTRY, slot=slot)


def sent_rows(app, town) -> list[tuple[int, int, int]]:
    with app.app_context(), tenant_scope(town.tenant):
        rows = db.session.execute(sa.select(ReminderMail.user_id, ReminderMail.overdue, ReminderMail.upcoming)
                                  .order_by(ReminderMail.user_id)).all()
        db.session.commit()
    return [tuple(row) for row in rows]


def test_only_opted_in_members_with_something_due_get_one_mail_with_counts_and_the_link(
        app, client, bergen, alta, smtp_server):
    app.config.update(smtp_server.config, PUBLIC_URL="https://velferd.example.no/",
                      REMINDER_SENDER="paaminnelser@velferd.example.no")
    case_id = a_case_with_deadlines(client, bergen, bergen.caseworker, [-4, -1, 0, 3, 9, 30], NATIONAL_ID)
    a_case_with_deadlines(client, bergen, bergen.coordinator, [-2])  # the coordinator did not opt in
    a_case_with_deadlines(client, alta, alta.caseworker, [-1])  # Alta's caseworker did not either
    opt_in(app, bergen, bergen.caseworker)
    opt_in(app, bergen, bergen.leader)  # opted in, but has nothing due: no mail

    jobs = run_the_daily_entry(app)
    assert {job.task for job in jobs} == {DAILY_TASK} and all(job.state == "succeeded" for job in jobs)
    (received,) = smtp_server.wait_for_messages(1)
    assert received.rcpt_tos == (bergen.caseworker.email,)
    message = received.message
    assert message["From"] == "paaminnelser@velferd.example.no"
    assert message["Subject"] == "Velferd: 2 forfalte og 3 kommende frister"
    assert message["Content-Language"] == "nb"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Forfalt: 2\n" in body and "Forfaller innen 14 dager: 3\n" in body
    assert "https://velferd.example.no/t/bergen/tasks" in body
    headers = "\n".join(f"{name}: {value}" for name, value in message.items())
    everything = received.data.decode("utf-8", "replace") + headers + body  # as sent, and decoded
    for secret in ("Kari", "Hemmelighet", NATIONAL_ID, "Samtale", f"/cases/{case_id}", f"Sak {case_id}"):
        assert secret not in everything
    assert sent_rows(app, bergen) == [(bergen.caseworker.user_id, 2, 3)]
    assert sent_rows(app, alta) == []


def test_a_second_run_the_same_day_sends_nothing(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    a_case_with_deadlines(client, bergen, bergen.caseworker, [-1])
    opt_in(app, bergen, bergen.caseworker)
    run_the_daily_entry(app)
    smtp_server.wait_for_messages(1)
    (again,) = run_the_daily_entry(app, slot="2026-12-02T06:00")  # beat fired twice: the same job
    (later,) = run_the_daily_entry(app, slot="2026-12-02T18:00")  # a new job the same day
    assert later.id != again.id and later.state == "succeeded"
    assert later.result["sent"] == 0 and later.result["already_sent"] == 1
    assert len(smtp_server.messages) == 1


def test_a_user_already_mailed_today_is_skipped_and_the_others_get_theirs(app, client, bergen, smtp_server):
    """As when a run failed half-way: who got theirs before the failure is recorded (committed)."""
    app.config.update(smtp_server.config)
    a_case_with_deadlines(client, bergen, bergen.caseworker, [-1])
    a_case_with_deadlines(client, bergen, bergen.coordinator, [2])
    opt_in(app, bergen, bergen.caseworker)
    opt_in(app, bergen, bergen.coordinator)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.add(ReminderMail(user_id=bergen.caseworker.user_id, sent_on=tenant_today(bergen.tenant),
                                    overdue=1, upcoming=0))
        db.session.commit()
    (job,) = run_the_daily_entry(app)
    assert job.result["sent"] == 1 and job.result["already_sent"] == 1
    assert [m.rcpt_tos for m in smtp_server.wait_for_messages(1)] == [(bergen.coordinator.email,)]


def test_a_mail_server_saying_not_now_is_retried_and_sends_once(app, client, bergen, smtp_server):
    app.config.update(smtp_server.config)
    a_case_with_deadlines(client, bergen, bergen.caseworker, [-1, 1])
    opt_in(app, bergen, bergen.caseworker)
    smtp_server.defer(times=1)
    (job,) = run_the_daily_entry(app)
    assert job.state != "succeeded" and smtp_server.messages == []
    assert sent_rows(app, bergen) == []  # nothing recorded for a mail not sent
    with app.app_context():
        assert run_job(bergen.tenant.id, job.id) == "succeeded"
        assert run_job(bergen.tenant.id, job.id) in ("succeeded", "skipped")
    assert len(smtp_server.wait_for_messages(1)) == 1
    assert sent_rows(app, bergen) == [(bergen.caseworker.user_id, 1, 1)]


def test_a_danish_municipality_gets_it_in_danish(app, client, smtp_server):
    from tests.helpers import make_municipality

    app.config.update(smtp_server.config)
    odense = make_municipality(app, "odense")
    assert odense.tenant.locale == "da"
    a_case_with_deadlines(client, odense, odense.caseworker, [-1, 2, 3])
    opt_in(app, odense, odense.caseworker)
    run_the_daily_entry(app)
    (received,) = smtp_server.wait_for_messages(1)
    assert received.message["Subject"] == "Velferd: 1 overskredne og 2 kommende frister"
    body = received.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Overskredet: 1\n" in body and "Forfalder inden for 14 dage: 2\n" in body
