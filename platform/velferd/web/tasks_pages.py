"""The user's inbox, ``/t/<tenant>/tasks``: what they must do by a date — the open deadlines of
the cases assigned to them that are overdue or due within `reminders.WINDOW_DAYS` days
(velferd.reminders, the query the daily e-mail counts with), and the items the enabled plugins
add (`WebPages.inbox`) — overdue first, each linking to its case; and the form where they ask
for the daily e-mail about them (velferd.reminder_mail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import Schema, fields

from velferd import reminders
from velferd.api.context import tenant
from velferd.auth import require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import Tenant, User
from velferd.plugins.enablement import enabled_plugin_ids, settings_for
from velferd.plugins.manager import registry
from velferd.plugins.specs import InboxItem
from velferd.web import navigation
from velferd.web.blueprint import blp, deadline_title, local_path, programme_title
from velferd.web.form_fields import FormField, form_fields, submitted_data

navigation.core_entry("web.tasks", lazy_gettext("Tasks"), "cases:read")


class ReminderSettingsSchema(Schema):
    """The inbox's one setting: the daily e-mail, yes or no."""

    email_reminders = fields.Boolean(load_default=False)


@dataclass(frozen=True)
class Task:
    """One line of the inbox: a core deadline or a plugin's item. `url` is a page other than the
    case's (the case column links to that)."""

    title: str
    due_on: dt.date
    url: str | None
    overdue: bool
    case_id: int | None = None
    programme: str | None = None


def _settings_fields() -> list[FormField]:
    return form_fields(ReminderSettingsSchema,
                       {"email_reminders": _("E-mail me when I have deadlines due or overdue")})


def _deadline_tasks(user: User, today: dt.date) -> list[Task]:
    return [Task(deadline_title(due.deadline.kind), due.deadline.due_on, None, due.overdue, due.case_id, programme_title(due.plugin))
            for due in reminders.due_deadlines(user.id, today)]


def _plugin_tasks(town: Tenant, user: User) -> list[Task]:
    """The items of each enabled plugin that declares an inbox; a link only to a page of this site."""
    pages = registry().web
    tasks = []
    for plugin_id in sorted(enabled_plugin_ids(town) & set(pages)):
        inbox = pages[plugin_id].inbox
        if inbox is None:
            continue
        for item in inbox(town, user, settings_for(town, plugin_id)):
            if not isinstance(item, InboxItem):
                continue
            if isinstance(item.url_or_case_id, int):  # the case column links to it
                url, case_id = None, item.url_or_case_id
            else:
                url, case_id = local_path(item.url_or_case_id), None
            tasks.append(Task(item.title, item.due_on, url, item.overdue, case_id, programme_title(plugin_id)))
    return tasks


@blp.get("/t/<tenant>/tasks")
def tasks():
    """The user's overdue and upcoming tasks, and their e-mail setting."""
    require_permission("cases:read")
    town, user = tenant(), g.velferd_user
    today = tenant_today(town)
    listed = sorted(_deadline_tasks(user, today) + _plugin_tasks(town, user),
                    key=lambda task: (task.due_on, task.case_id or 0, task.title))
    described = _settings_fields()
    wanted = reminders.wants_email(user.id)
    # the deadlines' persons are audited when the response is ready (velferd.read_audit)
    return render_template("web/tasks.html", title=_("Tasks"), overdue=[t for t in listed if t.overdue],
                           upcoming=[t for t in listed if not t.overdue], window_days=reminders.WINDOW_DAYS,
                           settings_fields=described, wanted=wanted,
                           settings_values={"email_reminders": "on"} if wanted else {})  # as a ticked box posts


@blp.post("/t/<tenant>/tasks/notifications")
def notification_settings():
    """Turn the daily e-mail on or off for this user in this municipality (a box left unticked: off)."""
    require_permission("cases:read")
    chosen = ReminderSettingsSchema().load(submitted_data(ReminderSettingsSchema, request.form))
    reminders.set_wants_email(g.velferd_user.id, chosen["email_reminders"])
    db.session.commit()
    flash(_("You will get an e-mail on days when you have deadlines due or overdue.") if chosen["email_reminders"]
          else _("You will not get e-mails about your deadlines."))
    return redirect(url_for("web.tasks", tenant=tenant().slug, _anchor="confirmation"))
