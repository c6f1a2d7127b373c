"""Retention on a test clock: the case is opened, noted and closed today through the API; the
clock is then moved years on (time-machine, the process's clock — what `velferd.clock` reads as
the municipality's today) and the nightly job runs as it would on that day. Four years on nothing
is due; eleven years on the case is proposed, and is anonymised only once a second, different
member approves.

tests/test_retention.py reaches the same days by moving the records back instead; this shows the
job reads the clock, not only the records' dates."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import time_machine

from tests.helpers import add_person, open_case
from tests.test_retention import approve, proposals, run_the_nightly_job, town  # noqa: F401  (town: a fixture)
from velferd.auth import issue_token
from velferd.db import db
from velferd.models import CaseEvent, User
from velferd.tenancy import tenant_scope


def closed_today(client, town) -> int:  # noqa: F811
    case = open_case(client, town, add_person(client, town)["id"])
    r = client.post(town.url(f"/cases/{case['id']}/journal"), json={"text": "Talked about the flat."},
                    headers=town.leader.headers)
    assert r.status_code == 201, r.json
    for transition in ("decline", "close"):
        r = client.post(town.url(f"/cases/{case['id']}/transitions"), json={"transition": transition},
                        headers=town.leader.headers)
        assert r.status_code == 200, r.json
    return case["id"]


def years_on(years: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=round(365.25 * years) + 1)


def tokens_of_the_day(app, town, *keys: str) -> None:  # noqa: F811
    """The staff's day-long tokens have long expired on the moved clock: give them today's."""
    with app.app_context(), tenant_scope(town.tenant):
        for key in keys:
            staff = town.staff[key]
            _, staff.token = issue_token(db.session.get(User, staff.user_id), town.tenant, "test", dt.timedelta(days=1))
        db.session.commit()


def test_a_closed_case_is_due_only_when_the_clock_has_passed_its_period(app, client, town):  # noqa: F811
    case_id = closed_today(client, town)
    run_the_nightly_job(app, town)
    assert not [p for p in proposals(client, town, "core.case") if case_id in p["record_ids"]]

    with time_machine.travel(years_on(4), tick=False):
        tokens_of_the_day(app, town, "archivist", "tenant_admin")
        run_the_nightly_job(app, town)
        assert not [p for p in proposals(client, town, "core.case") if case_id in p["record_ids"]]

    with time_machine.travel(years_on(11), tick=False):
        tokens_of_the_day(app, town, "archivist", "tenant_admin")
        run_the_nightly_job(app, town)
        (proposal,) = [p for p in proposals(client, town, "core.case") if case_id in p["record_ids"]]
        assert proposal["due_on"] == (dt.date.today()).isoformat()  # the clock's today, in Oslo
        assert approve(client, town, proposal, "archivist").status_code == 201
        with app.app_context(), tenant_scope(town.tenant):
            assert "Talked about the flat." in db.session.scalars(
                sa.select(CaseEvent.text).where(CaseEvent.case_id == case_id)).all()
        assert approve(client, town, proposal, "archivist").status_code == 409  # not twice by one person
        assert approve(client, town, proposal, "tenant_admin").status_code == 201
        with app.app_context(), tenant_scope(town.tenant):
            texts = db.session.scalars(sa.select(CaseEvent.text).where(
                CaseEvent.case_id == case_id)).all()
        assert "Talked about the flat." not in texts
