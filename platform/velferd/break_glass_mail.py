"""Telling the leaders, by e-mail, that a colleague broke the glass on a case of their unit.

Sent to the leaders it was reported to (velferd.break_glass) who asked for e-mail from Velferd
(the tasks page's checkbox, the same opt-in as the deadline reminder). Like the reminder, the
e-mail says only *that* it happened and links to the reports page: no case, no person, no reason —
the reason may describe the citizen, and e-mail leaves the system's access control and audit.

One job per grant; each leader's e-mail has a Message-ID of the grant and the leader, so a retried
job that had sent to some of them can be de-duplicated by the receiving server.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from velferd.billing.mail import SmtpSettings, send_email
from velferd.db import db
from velferd.jobs.registry import core_task
from velferd.models import AccessGrant, Membership, Tenant
from velferd.plugins.specs import TaskContext, TaskSpec

TASK = "access.break_glass_notice"

SUBJECTS = {
    "nb": "Velferd: en kollega har åpnet en sak i enheten din med begrunnelse",
    "da": "Velferd: en kollega har åbnet en sag i din enhed med begrundelse",
    "en": "Velferd: a colleague opened a case of your unit, giving a reason",
}
BODIES = {
    "nb": ("Hei,\n\nEn kollega har åpnet en sak som enheten din har, utenfor sitt eget arbeid, og oppgitt en "
           "begrunnelse ({municipality}).\n\nSe hvem, hvilken sak og hvorfor: {link}\n\n"
           "Du får denne e-posten fordi du er leder for enheten og har bedt om e-post fra Velferd.\n"),
    "da": ("Hej,\n\nEn kollega har åbnet en sag, som din enhed har, uden for sit eget arbejde, og angivet en "
           "begrundelse ({municipality}).\n\nSe hvem, hvilken sag og hvorfor: {link}\n\n"
           "Du får denne e-mail, fordi du er leder for enheden og har bedt om e-mail fra Velferd.\n"),
    "en": ("Hello,\n\nA colleague opened a case your unit holds, outside their own work, and gave a reason "
           "({municipality}).\n\nSee who, which case and why: {link}\n\n"
           "You get this e-mail because you lead the unit and asked for e-mail from Velferd.\n"),
}


def leaders_wanting_email(user_ids: list[int]) -> list[Membership]:
    """The leaders among `user_ids` who asked for e-mail here and are active."""
    if not user_ids:
        return []
    rows = db.session.scalars(sa.select(Membership).where(Membership.user_id.in_(user_ids),
                                                          Membership.email_reminders.is_(True)))
    return [m for m in rows if m.user.active]


def build_notice(tenant: Tenant, recipient: str, message_id: str) -> EmailMessage:
    language = tenant.locale if tenant.locale in BODIES else "en"
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/api/t/{tenant.slug}/access-reports"
    message = EmailMessage()
    message["Subject"] = SUBJECTS[language]
    message["From"] = current_app.config["REMINDER_SENDER"]
    message["To"] = recipient
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message.set_content(BODIES[language].format(municipality=tenant.name, link=link))
    message["Content-Language"] = language
    return message


def send_notices(ctx: TaskContext, grant_id: int) -> dict[str, Any]:
    grant = db.session.get(AccessGrant, grant_id)
    if grant is None or grant.tenant_id != ctx.tenant.id:
        return {"sent": 0}
    smtp = SmtpSettings.from_config(current_app.config)
    leaders = leaders_wanting_email(list(grant.reported_to or []))
    for membership in leaders:
        send_email(build_notice(ctx.tenant, membership.user.email,
                                f"<break-glass-{grant.tenant_id}-{grant.id}-{membership.user_id}@velferd>"), smtp)
    return {"sent": len(leaders)}


core_task(TaskSpec(TASK, send_notices, idempotent=True, max_attempts=5, backoff_seconds=300,
                   title="E-mail leaders about a broken glass"))
