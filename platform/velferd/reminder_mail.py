"""The daily deadline reminder: one e-mail a day to each member who asked for it (the tasks page's
checkbox, velferd.reminders), when they have deadlines overdue or due soon.

The e-mail says only how many, and links to the inbox: never a case, a person's name, a national
id or a case number, because e-mail leaves the system's access control and audit. It is written
in the municipality's language (nb, da; en for an English-speaking tenant) and sent through the
same SMTP settings and client as the invoices (velferd.billing.mail).

Idempotent per user and day: each e-mail's `ReminderMail` row is claimed before it is sent and
committed right after, one user at a time, so a run retried after a failure (the SMTP server
down half-way) or repeated the same day sends to nobody twice. The Message-ID is the same for the
same user and day, so a receiving server can drop the one duplicate a crash between the server's
"250 OK" and our commit could leave.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from velferd.billing.mail import SmtpSettings, send_email
from velferd.clock import tenant_today
from velferd.db import db
from velferd.jobs.registry import core_beat_entry, core_task
from velferd.models import ReminderMail, Tenant
from velferd.plugins.specs import BeatEntry, TaskContext, TaskSpec
from velferd.reminders import WINDOW_DAYS, DeadlineCounts, deadline_counts, members_wanting_email

DAILY_TASK = "reminders.daily_mail"

SUBJECTS = {
    "nb": "Velferd: {overdue} forfalte og {upcoming} kommende frister",
    "da": "Velferd: {overdue} overskredne og {upcoming} kommende frister",
    "en": "Velferd: {overdue} overdue and {upcoming} upcoming deadlines",
}
BODIES = {
    "nb": ("Hei,\n\nDu har {overdue} forfalte og {upcoming} kommende frister i Velferd ({municipality}).\n\n"
           "Forfalt: {overdue}\nForfaller innen {days} dager: {upcoming}\n\n"
           "Se dem i oppgavelisten din: {link}\n\n"
           "Du får denne e-posten fordi du har bedt om den. Du kan slå den av på samme side.\n"),
    "da": ("Hej,\n\nDu har {overdue} overskredne og {upcoming} kommende frister i Velferd ({municipality}).\n\n"
           "Overskredet: {overdue}\nForfalder inden for {days} dage: {upcoming}\n\n"
           "Se dem på din opgaveliste: {link}\n\n"
           "Du får denne e-mail, fordi du har bedt om den. Du kan slå den fra på samme side.\n"),
    "en": ("Hello,\n\nYou have {overdue} overdue and {upcoming} upcoming deadlines in Velferd ({municipality}).\n\n"
           "Overdue: {overdue}\nDue within {days} days: {upcoming}\n\n"
           "See them in your task list: {link}\n\n"
           "You get this e-mail because you asked for it. You can turn it off on the same page.\n"),
}


def language_of(tenant: Tenant) -> str:
    return tenant.locale if tenant.locale in BODIES else "en"


def inbox_link(tenant: Tenant) -> str:
    """The inbox page's address (velferd.web.tasks_pages) on this site (``PUBLIC_URL``)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/t/{tenant.slug}/tasks"


def message_id_for(tenant_id: int, user_id: int, day: dt.date) -> str:
    return f"<reminders-{tenant_id}-{user_id}-{day.isoformat()}@velferd>"


def build_reminder_email(tenant: Tenant, recipient: str, counts: DeadlineCounts, message_id: str) -> EmailMessage:
    """The e-mail: the counts, the municipality and the link — nothing about any case."""
    language = language_of(tenant)
    facts = {"overdue": counts.overdue, "upcoming": counts.upcoming, "days": WINDOW_DAYS,
             "municipality": tenant.name, "link": inbox_link(tenant)}
    message = EmailMessage()
    message["Subject"] = SUBJECTS[language].format(**facts)
    message["From"] = current_app.config["REMINDER_SENDER"]
    message["To"] = recipient
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message.set_content(BODIES[language].format(**facts))
    message["Content-Language"] = language  # after the content, which replaces the Content-* headers
    return message


def send_daily_reminders(ctx: TaskContext) -> dict[str, Any]:
    """Send today's e-mail to each opted-in, active member with something due, once a day."""
    tenant, today = ctx.tenant, tenant_today(ctx.tenant)
    recipients = [(m.user_id, m.user.email) for m in members_wanting_email() if m.user.active]
    smtp = SmtpSettings.from_config(current_app.config)
    sent = already = 0
    for user_id, email in recipients:
        counts = deadline_counts(user_id, today)
        if counts.total == 0:
            continue
        if _sent(user_id, today) is not None or not _claimed(user_id, today, counts):
            already += 1
            continue
        send_email(build_reminder_email(tenant, email, counts, message_id_for(tenant.id, user_id, today)), smtp)
        db.session.commit()  # this user's e-mail is recorded before the next is sent
        sent += 1
    return {"day": today.isoformat(), "sent": sent, "already_sent": already}


def _claimed(user_id: int, day: dt.date, counts: DeadlineCounts) -> bool:
    """Write today's row for the user before the e-mail goes; False when a concurrent run wrote
    it first (the unique key). Nothing before it is left uncommitted, so a rollback loses nothing."""
    db.session.add(ReminderMail(user_id=user_id, sent_on=day, overdue=counts.overdue, upcoming=counts.upcoming))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _sent(user_id: int, day: dt.date) -> ReminderMail | None:
    return db.session.scalar(sa.select(ReminderMail).where(ReminderMail.user_id == user_id,
                                                           ReminderMail.sent_on == day))


core_task(TaskSpec(DAILY_TASK, send_daily_reminders, idempotent=True, max_attempts=5, backoff_seconds=300,
                   title="E-mail deadline reminders"))
# 06:00 in Oslo and Copenhagen: in the inbox before the working day starts
core_beat_entry(BeatEntry("reminders-daily-mail", DAILY_TASK, "0 6 * * *"))
