"""The leader dashboard: open cases per staff member (and unassigned), cases with an overdue
deadline per programme, and the boxes the enabled plugins add (`dashboard_widgets`).

Every figure links to the caseload filtered to exactly what it counts (velferd.caseload_figures
shares the caseload's conditions), so a leader can check any number by following it.

Its permission, ``dashboard:read``, is the leader's alone: caseworkers and coordinators have the
caseload, and a tenant administrator, who may not read cases, would get links that answer 403.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext

import sqlalchemy as sa

from velferd import break_glass, caseload_figures
from velferd.api.context import tenant
from velferd.auth import require_permission
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import User
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.web import navigation
from velferd.web.blueprint import blp
from velferd.web.plugin_pages import dashboard_widgets

navigation.core_entry("web.dashboard", lazy_gettext("Dashboard"), "dashboard:read")


@blp.get("/t/<tenant>/dashboard")
def dashboard():
    """The figures, counted in SQL for this municipality, and the colleagues' reasoned accesses
    reported to this leader (velferd.break_glass; those are audited as reads of the persons)."""
    require_permission("dashboard:read")
    town = tenant()
    overdue = caseload_figures.overdue_cases_by_programme(tenant_today(town))
    programmes = sorted(enabled_plugin_ids(town) | set(overdue))
    reports = break_glass.reports_for_me()
    return render_template("web/dashboard.html", title=_("Dashboard"), reports=reports,
                           staff_names=staff_names({grant.user_id for grant in reports}),
                           loads=caseload_figures.open_cases_by_assignee(),
                           overdue=[(programme, overdue.get(programme, 0)) for programme in programmes],
                           widgets=dashboard_widgets(town))


def staff_names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).tuples().all())
