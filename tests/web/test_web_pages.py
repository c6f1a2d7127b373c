"""The web pages a caseworker uses, through Flask's test client on the suite's database (SQLite,
or PostgreSQL with row-level security under `make test-services`): logging in and out, the
language, the municipality, the caseload and a case page — and what they must never show."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.helpers import add_person, open_case
from tests.web.pages import log_in
from velferd import tenants
from velferd.db import db
from velferd.models import AuditEvent, CaseEvent, User
from velferd.tenancy import tenant_scope


def test_wrong_password_shows_the_form_again_with_an_error_summary(client, bergen):
    r = log_in(client, bergen.caseworker.email, "not the password")
    page = r.get_data(as_text=True)
    assert r.status_code == 401
    assert "Det er et problem" in page  # the error summary (nb: Bergen's language)
    assert 'href="#email"' in page and "E-postadressen eller passordet er feil." in page
    assert f'value="{bergen.caseworker.email}"' in page  # the e-mail as typed
    assert "not the password" not in page
    assert client.get("/t/bergen/cases").status_code == 302  # and no session


def test_a_login_without_an_email_names_the_field(client, bergen):
    r = log_in(client, "", "x")
    assert r.status_code == 422
    assert "Skriv e-postadressen din" in r.get_data(as_text=True)


def test_right_password_leads_home_to_the_one_municipality(client, bergen):
    r = log_in(client, bergen.caseworker.email)
    assert r.status_code == 302 and r.headers["Location"] == "/municipalities"
    r = client.get("/municipalities")
    assert r.status_code == 302 and r.headers["Location"] == "/t/bergen/"
    r = client.get("/t/bergen/", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<h1>Saksliste</h1>" in page
    assert "Logget inn som caseworker bergen" in page and "Bergen" in page


def test_a_user_of_two_municipalities_chooses_one(app, client, bergen, alta):
    with app.app_context(), tenant_scope(alta.tenant):
        tenants.add_member(db.session.get(User, bergen.caseworker.user_id), ["caseworker"])
        db.session.commit()
    log_in(client, bergen.caseworker.email)
    page = client.get("/municipalities").get_data(as_text=True)
    assert 'href="/t/alta/"' in page and 'href="/t/bergen/"' in page
    assert client.get("/t/alta/cases").status_code == 200


def test_the_login_returns_to_the_page_asked_for_but_never_to_another_site(client, bergen):
    r = client.get("/t/bergen/cases")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=/t/bergen/cases")
    assert log_in(client, bergen.caseworker.email, next="/t/bergen/cases").headers["Location"] == "/t/bergen/cases"
    assert log_in(client, bergen.caseworker.email, next="//evil.example/").headers["Location"] == "/municipalities"


def test_too_many_wrong_passwords_are_refused_with_the_wait(client, bergen):
    for _ in range(10):
        assert log_in(client, bergen.caseworker.email, "guess").status_code == 401
    r = log_in(client, bergen.caseworker.email)  # even the right password, now
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "For mange mislykkede forsøk" in r.get_data(as_text=True)
    assert client.get("/t/bergen/cases").status_code == 302


def test_a_form_posted_from_another_site_is_refused(client, bergen):
    log_in(client, bergen.caseworker.email)
    r = client.post("/logout", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert r.status_code == 403
    assert client.get("/t/bergen/cases").status_code == 200  # still logged in
    assert client.post("/logout", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302


def test_logout_ends_the_session_also_for_a_copied_cookie(client, bergen):
    log_in(client, bergen.caseworker.email)
    cookie = client.get_cookie("session")
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/t/bergen/cases").status_code == 302
    client.set_cookie("session", cookie.value)  # the cookie from before the logout
    assert client.get("/t/bergen/cases").status_code == 302


def test_the_language_switch_shows_danish_and_survives_the_login(client, bergen):
    assert client.post("/language", data={"lang": "da", "next": "/login"}).headers["Location"] == "/login"
    assert "Log ind" in client.get("/login").get_data(as_text=True)
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases").get_data(as_text=True)
    assert '<html lang="da">' in page and "<h1>Sagsliste</h1>" in page and "Log ud" in page
    client.post("/logout")
    assert "Log ind" in client.get("/login").get_data(as_text=True)  # the choice outlives the session
    log_in(client, bergen.caseworker.email)
    client.post("/language", data={"lang": "en"})
    assert "<h1>Caseload</h1>" in client.get("/t/bergen/cases").get_data(as_text=True)


def test_an_unknown_language_is_refused_naming_the_field(client):
    r = client.post("/language", data={"lang": "xx"})
    assert r.status_code == 422 and "(lang)" in r.get_data(as_text=True)


def test_the_caseload_lists_the_municipalitys_cases_only(client, bergen, alta):
    mine = add_person(client, bergen, given_name="Kari", family_name="Bergensen")
    theirs = add_person(client, alta, given_name="Alf", family_name="Altason")
    bergen_case = open_case(client, bergen, mine["id"])
    open_case(client, alta, theirs["id"])
    log_in(client, bergen.caseworker.email)
    page = client.get("/t/bergen/cases").get_data(as_text=True)
    assert "Kari Bergensen" in page and f'href="/t/bergen/cases/{bergen_case["id"]}"' in page
    assert "Altason" not in page
    assert "1 sak" in page and "<td>Example programme</td>" in page  # the manifest's title


def test_the_caseload_filters_by_programme_state_and_assignment(client, bergen):
    person = add_person(client, bergen, given_name="Per", family_name="Filtersen")
    open_case(client, bergen, person["id"])
    log_in(client, bergen.caseworker.email)
    assert "Filtersen" in client.get("/t/bergen/cases?programme=example").get_data(as_text=True)
    assert "Filtersen" not in client.get("/t/bergen/cases?state=no-such-state").get_data(as_text=True)
    assert "Filtersen" not in client.get("/t/bergen/cases?mine=1").get_data(as_text=True)  # not assigned


def test_another_municipalitys_case_page_is_not_found(client, bergen, alta):
    theirs = open_case(client, alta, add_person(client, alta)["id"])
    log_in(client, bergen.caseworker.email)
    r = client.get(f"/t/alta/cases/{theirs['id']}")  # not a member there
    assert r.status_code == 404 and "Alta" not in r.get_data(as_text=True)  # nor its name
    assert "Logget inn som caseworker bergen" in r.get_data(as_text=True)
    assert client.get("/t/alta/cases").status_code == 404
    r = client.get(f"/t/bergen/cases/{theirs['id']}")  # Alta's id under Bergen's URL
    assert r.status_code == 404 and "Fant ikke siden" in r.get_data(as_text=True)
    assert client.get("/t/no-such-town/cases").status_code == 404


def test_a_role_without_case_access_is_refused(client, bergen):
    log_in(client, bergen.finance.email)
    assert client.get("/t/bergen/cases").status_code == 403


def test_a_case_read_writes_the_audit_row(app, client, bergen):
    person = add_person(client, bergen)
    case = open_case(client, bergen, person["id"])
    log_in(client, bergen.caseworker.email)
    assert client.get(f"/t/bergen/cases/{case['id']}").status_code == 200
    client.get("/t/bergen/cases")
    with app.app_context(), tenant_scope(bergen.tenant):
        rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.person_id == person["id"])
                                  .where(AuditEvent.action.in_(["case.read", "case.listed"]))).all()
        seen = {(row.action, row.record_id, row.actor_id) for row in rows}
    assert ("case.read", str(case["id"]), bergen.caseworker.user_id) in seen
    assert ("case.listed", str(case["id"]), bergen.caseworker.user_id) in seen


def test_the_pages_audit_what_they_show_as_the_api_does_and_a_refusal_in_the_town_asked(app, client, bergen, alta):
    """The caseload and the case page are audited by the same rule as the API (velferd.read_audit):
    one row per person shown, the view named as a page's; another town's case asked for through
    the pages is an ``access.refused`` in that town, naming the person whose case it was."""
    ours = add_person(client, bergen)
    open_case(client, bergen, ours["id"])
    theirs = add_person(client, alta)
    their_case = open_case(client, alta, theirs["id"])
    log_in(client, bergen.caseworker.email)
    assert client.get("/t/bergen/cases").status_code == 200
    assert client.get(f"/t/alta/cases/{their_case['id']}").status_code == 404
    with app.app_context(), tenant_scope(bergen.tenant):
        listed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.person_id == ours["id"],
                                                               AuditEvent.action == "case.listed")).all()
    assert [row.details["view"] for row in listed] == ["GET /cases (web)"]
    with app.app_context(), tenant_scope(alta.tenant):
        refused = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused")).all()
    assert [(row.person_id, row.details["status"]) for row in refused] == [(theirs["id"], 404)]


def test_the_case_page_marks_an_overdue_deadline_in_words(client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    for kind, due in (("follow-up call", dt.date(2020, 1, 15)), ("next review", dt.date(2999, 1, 1))):
        r = client.post(bergen.url(f"/cases/{case['id']}/deadlines"), json={"kind": kind, "due_on": due.isoformat()},
                        headers=bergen.caseworker.headers)
        assert r.status_code == 201, r.json
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    overdue = page.split("follow-up call")[1].split("</li>")[0]
    later = page.split("next review")[1].split("</li>")[0]
    assert "Forfalt" in overdue and "15.01.2020" in overdue
    assert "Forfalt" not in later
    assert "Sak opprettet med status" in page  # the journal's first entry


def test_the_journal_is_dated_in_the_municipalitys_time_zone(app, client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    with app.app_context(), tenant_scope(bergen.tenant):
        opened_at = db.session.scalar(sa.select(CaseEvent.at).where(CaseEvent.case_id == case["id"]))
    stored = opened_at if opened_at.tzinfo else opened_at.replace(tzinfo=dt.UTC)  # SQLite: naive UTC
    in_oslo = stored.astimezone(ZoneInfo("Europe/Oslo"))
    log_in(client, bergen.caseworker.email)
    page = client.get(f"/t/bergen/cases/{case['id']}").get_data(as_text=True)
    assert f">{in_oslo:%d.%m.%Y %H:%M}</time>" in page  # Oslo's wall clock, not UTC's


def test_pages_load_their_own_css_under_the_strict_policy(client, bergen):
    page = client.get("/login")
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    assert 'href="/static/web/velferd.css"' in page.get_data(as_text=True)
    css = client.get("/static/web/velferd.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and ":focus-visible" in css.get_data(as_text=True)


def test_a_client_that_does_not_ask_for_html_gets_the_apis_error_shape(app, bergen):
    script = app.test_client()  # Accept: */*, like curl
    r = script.get("/t/bergen/cases", headers=bergen.caseworker.headers)
    assert r.status_code == 200 and r.mimetype == "text/html"  # a page is a page
    r = script.get("/t/bergen/cases/4711", headers=bergen.caseworker.headers)
    assert r.status_code == 404 and r.json["status"] == 404 and r.json["message"]
    r = script.post("/login", data={"email": bergen.caseworker.email, "password": "wrong"})
    assert r.status_code == 401 and r.json["fields"] == {"email": ["E-postadressen eller passordet er feil."]}
    r = script.post("/language", data={"lang": "xx"})
    assert r.status_code == 422 and list(r.json["fields"]) == ["lang"]
    assert script.get("/t/bergen/cases").status_code == 401
