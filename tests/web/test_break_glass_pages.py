"""Breaking the glass through the pages: a case outside the member's work shows the form (not
"not found"), a reason too short is refused with the field's message, a reason opens the case,
and the leader of the unit that holds it sees the report on the dashboard and marks it reviewed."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import add_person, add_staff, open_case
from tests.web.pages import browser_for, text_of
from velferd.db import db
from velferd.models import AuditEvent, Membership, Unit
from velferd.tenancy import tenant_scope


def working_in(app, town, key: str, roles, unit_name: str) -> int:
    """Staff member `key` with `roles`, working in the unit `unit_name` (made if need be)."""
    add_staff(app, town, key, roles)
    with app.app_context(), tenant_scope(town.tenant):
        unit = db.session.scalar(sa.select(Unit).where(Unit.name == unit_name))
        if unit is None:
            unit = Unit(name=unit_name, kind="outreach")
            db.session.add(unit)
            db.session.flush()
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == town.staff[key].user_id))
        membership.unit_ids = [unit.id]
        db.session.commit()
        return unit.id


def test_a_case_outside_ones_work_is_opened_with_a_reason_and_reviewed_by_the_leader(app, client, bergen):
    north = working_in(app, bergen, "north_worker", ["caseworker"], "Team Nord")
    working_in(app, bergen, "north_leader", ["leader"], "Team Nord")
    working_in(app, bergen, "south_worker", ["caseworker"], "Team Sør")
    case = open_case(client, bergen, add_person(client, bergen, role="north_worker")["id"], role="north_worker")
    assert case["unit_id"] == north
    browser = browser_for(app)
    south = browser(bergen, "south_worker")
    case_url = f"/t/{bergen.slug}/cases/{case['id']}"

    r = south.get(case_url)
    assert r.status_code == 403
    assert "This case is outside your work" in text_of(r) and "Nordmann" not in r.text

    r = south.post(f"{case_url}/break-glass", data={"reason": "urgent"})
    assert r.status_code == 422
    assert "Why must you open this case?" in text_of(r) and 'aria-invalid="true"' in r.text

    reason = "The youth came to our office in crisis; North is closed tonight."
    r = south.post(f"{case_url}/break-glass", data={"reason": reason})
    assert r.status_code == 302 and r.headers["Location"].startswith(case_url)
    r = south.get(case_url)
    assert r.status_code == 200 and "Nordmann" in text_of(r)
    assert "for 8 hours" in text_of(r)

    leader = browser(bergen, "north_leader")
    r = leader.get(f"/t/{bergen.slug}/dashboard")
    assert r.status_code == 200
    assert reason in text_of(r) and "south_worker bergen" in text_of(r)
    with app.app_context(), tenant_scope(bergen.tenant):
        (grant_id,) = db.session.scalars(sa.select(AuditEvent.details["grant_id"].as_integer()).where(
            AuditEvent.action == "case.break_glass"))
    r = leader.post(f"/t/{bergen.slug}/access-reports/{grant_id}/review")
    assert r.status_code == 302
    assert reason not in text_of(leader.get(f"/t/{bergen.slug}/dashboard"))


def test_a_case_the_municipality_does_not_have_is_still_not_found(app, bergen):
    working_in(app, bergen, "south_worker", ["caseworker"], "Team Sør")
    r = browser_for(app)(bergen, "south_worker").get(f"/t/{bergen.slug}/cases/999999")
    assert r.status_code == 404


def test_the_admin_places_a_member_in_units_and_programmes_on_the_members_page(app, client, bergen):
    north = working_in(app, bergen, "north_worker", ["caseworker"], "Team Nord")
    with app.app_context(), tenant_scope(bergen.tenant):
        membership_id = db.session.scalar(sa.select(Membership.id).where(
            Membership.user_id == bergen.caseworker.user_id))
    admin = browser_for(app)(bergen, "tenant_admin")
    page = admin.get(f"/t/{bergen.slug}/admin/members")
    assert page.status_code == 200 and "Where caseworker bergen works" in text_of(page)

    r = admin.post(f"/t/{bergen.slug}/admin/members/{membership_id}/work",
                   data={"unit_ids": [str(north)], "programmes": ["example"]})
    assert r.status_code == 302
    with app.app_context(), tenant_scope(bergen.tenant):
        membership = db.session.get(Membership, membership_id)
        assert (membership.unit_ids, membership.programmes) == ([north], ["example"])
    page = admin.get(f"/t/{bergen.slug}/admin/members")
    assert f'id="work-{membership_id}-unit-{north}" name="unit_ids" type="checkbox" value="{north}" checked' in page.text

    r = admin.post(f"/t/{bergen.slug}/admin/members/{membership_id}/work", data={"unit_ids": ["999999"]})
    assert r.status_code == 422 and "no unit 999999" in text_of(r)
