"""`make demo` shows Odense's drop-in centres at work, seeded once however often the demo runs:
the centres and their agreements, the outreach services' published weeks with Vest closed next
week, contacts that start anonymous and a code whose contacts became a case at consent,
statutory meetings at the centre and at the office with their no-shows, Broen's IT course, the
implementation team on time, and this year's costs. Checked as a newcomer would: with the demo's
own logins (the dropin roles included), through the API, the public page and the pages."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from velferd_dropin.contact_models import Consent, Contact
from velferd_dropin.meeting_models import StatutoryMeeting
from velferd_dropin.models import Agreement, Centre
from velferd_dropin.presence_models import Slot

from tests.plugins.dropin.pages import X, text_of
from tests.plugins.dropin.test_public_schedule import anonymous
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd import demo
from velferd.auth import issue_token
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import AuditEvent, Case, Membership, Tenant, User
from velferd.tenancy import tenant_scope
from velferd.testing import Municipality, Staff

ODENSE = next(town for town in demo.TENANTS if town.slug == "odense")
COORDINATOR = demo.staff_email("odense", "dropin_coordinator")
WEEK = dt.timedelta(days=7)


def counts(app) -> dict[str, int]:
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "odense"))
        with tenant_scope(tenant):
            return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                    for model in (Centre, Agreement, Slot, Contact, Consent, StatutoryMeeting, Case)}


def seeded(app) -> tuple[list[str], Municipality, dt.date]:
    """The demo seeded twice (as `make demo` run again would), and Odense with a token of the
    demo's dropin coordinator."""
    with app.app_context():
        lines = list(demo.seed([ODENSE]))
    first = counts(app)
    with app.app_context():
        lines += list(demo.seed([ODENSE]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "odense"))
        with tenant_scope(tenant):
            coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR))
            _, token = issue_token(coordinator, tenant, "demo test", dt.timedelta(days=1))
            db.session.commit()
            today = tenant_today(tenant)
            town = Municipality(tenant, {"dropin_coordinator": Staff(COORDINATOR, token, coordinator.id)})
    assert counts(app) == first
    return lines, town, today


def get(client, town: Municipality, path: str, **query):
    r = client.get(town.url(f"{X}{path}"), headers=town.dropin_coordinator.headers, query_string=query)
    assert r.status_code == 200, (path, r.json)
    return r.json


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_the_demo_seeds_odenses_centres_and_agreements_once(app):
    lines, _, _ = seeded(app)
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "odense"))
        with tenant_scope(tenant):
            centres = db.session.scalars(sa.select(Centre).order_by(Centre.name)).all()
            agreements = db.session.scalar(sa.select(sa.func.count(Agreement.id)))
    assert len(centres) == 2 and agreements == 2
    assert {centre.ownership for centre in centres} == {"private", "municipal"}
    assert any(not centre.private_room for centre in centres)
    assert any("(dropin)" in line for line in lines)
    assert counts(app) == {"Centre": 2, "Agreement": 2, "Slot": 4, "Contact": 13, "Consent": 2,
                           "StatutoryMeeting": 8, "Case": 2}


def test_the_demos_people_hold_the_dropin_roles(app):
    seeded(app)
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "odense"))
        with tenant_scope(tenant):
            roles = {email: membership.roles for email, membership in db.session.execute(
                sa.select(User.email, Membership).join(Membership, Membership.user_id == User.id))}
    for role in ("dropin_outreach", "dropin_centre_staff", "dropin_coordinator"):
        assert role in roles[demo.staff_email("odense", role)]


def test_the_published_weeks_with_vest_closed_next_week(app, client):
    _, town, today = seeded(app)
    centres = {one["slug"]: one for one in get(client, town, "/centres")}
    broen, vest = centres["broen"], centres["vest"]
    this_week = get(client, town, f"/centres/{broen['id']}/schedule")
    assert this_week["published"] is True
    assert sorted(entry["kind"] for entry in this_week["entries"]) == ["case_processing", "substance_abuse"]
    next_monday = monday_of(today) + WEEK
    closed = get(client, town, f"/centres/{vest['id']}/schedule", week=next_monday.isoformat())
    assert closed["entries"] == [] and len(closed["closed"]) == 7
    text = text_of(anonymous(app).get(f"/p/odense/dropin/vest?week={next_monday.isoformat()}"))
    assert text.count("Closed: Værestedet holder lukket en uge (ferie).") == 7
    later = get(client, town, f"/centres/{broen['id']}/schedule", week=(next_monday + WEEK).isoformat())
    assert [entry["cancelled"] for entry in later["entries"] if entry["kind"] == "case_processing"] == [True]


def test_contacts_start_anonymous_and_a_code_became_a_case(app, client):
    _, town, today = seeded(app)
    start, end = (monday_of(today) - 8 * WEEK).isoformat(), today.isoformat()
    # 13 contacts: 5 visitors without a code (each counted), the code SOL (2 contacts, anonymous),
    # ANKER's 4 (2 before the consent, linked then) and the second citizen's 2: 5 + 1 + 1 + 1 = 8
    assert get(client, town, "/evaluation/reach", start=start, end=end) == {
        "contacts": 13, "citizens": 8, "persons": 2, "codes": 1, "uncoded": 5, "previously_unknown": 2,
        "first_contacts": 2}
    anker = get(client, town, "/contacts", citizen_code="ANKER")
    assert len(anker) == 4 and all(one["anonymous"] is False for one in anker)
    assert len({one["case_id"] for one in anker}) == 1
    assert all(one["anonymous"] for one in get(client, town, "/contacts", citizen_code="SOL"))
    with app.app_context(), tenant_scope(town.tenant):
        actors = {action: set(db.session.scalars(sa.select(AuditEvent.actor_id).where(AuditEvent.action == action)))
                  for action in ("dropin.consent.given", "dropin.meeting.planned")}
        outreach = db.session.scalar(sa.select(User.id).where(
            User.email == demo.staff_email("odense", "dropin_outreach")))
    assert actors == {"dropin.consent.given": {outreach}, "dropin.meeting.planned": {outreach}}


def test_meetings_at_both_places_give_the_no_show_rates(app, client):
    _, town, today = seeded(app)
    report = get(client, town, "/no-shows", start=(monday_of(today) - 8 * WEEK).isoformat(), end=today.isoformat())
    # at the centres 4 held, 1 no-show: 1/4 = 25.0 %; at the office 3 held, 2 no-shows: 66.7 %
    assert report["centre"] == {"held": 4, "attended": 3, "no_shows": 1, "rate": "25.0"}
    assert report["office"] == {"held": 3, "attended": 1, "no_shows": 2, "rate": "66.7"}
    assert {one["name"]: one["rate"] for one in report["centres"]} == {
        "Det kommunale værested Vest (demo)": "0.0", "Værestedet Broen (demo)": "33.3"}
    planned = get(client, town, "/meetings", attendance="planned")
    assert len(planned) == 1 and planned[0]["meets_on"] > today.isoformat()


def test_the_it_course_the_team_on_time_and_this_years_costs(app, client):
    _, town, today = seeded(app)
    broen = next(one for one in get(client, town, "/centres") if one["slug"] == "broen")
    (course,) = get(client, town, f"/centres/{broen['id']}/activities")
    assert course["kind"] == "it_course" and course["session_count"] == 5
    assert course["participant_total"] == 4 + 7 + 6 + 9 + 7
    assert [one["alias"] for one in course["super_users"]] == ["Bente"]
    cadence = get(client, town, "/implementation/cadence")
    assert cadence["in_development"] is True and cadence["state"] == "ok"
    entered = get(client, town, "/costs", year=today.year)
    assert entered["totals"] == {"case_processing": "182000.00", "substance_abuse": "48000.00", "skp": "64000.00",
                                 "centre": "15500.00"}
    assert entered["total"] == "309500.00"
    unit = get(client, town, "/evaluation/cost-per-citizen", year=today.year)
    assert unit["all"]["cost"] == "309500.00" and unit["all"]["cost_per_citizen"] is not None


def test_the_demo_coordinator_sees_the_pages(app):
    seeded(app)
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, COORDINATOR, demo.DEMO_PASSWORD).status_code == 302
    assert browser.post("/language", data={"lang": "en"}).status_code == 302
    for path in ("/centres", "/meetings", "/no-shows", "/contacts", "/presence", "/implementation", "/costs"):
        assert browser.get(f"/t/odense{X}{path}").status_code == 200, path
