"""DUE's pages (velferd_due.pages): each page for the role the API allows, with data seeded
through the API (tests/plugins/due/flows.py); forms post through the API's services and the
API shows the result; a 422 shows the page again with the values as typed; a role without the
permission gets 403, another municipality's case 404, and a municipality without DUE 404 and
no DUE menu entry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import velferd_due
from velferd_due import page_texts, schemas
from velferd_due.pages_intake import ReferralCase

from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.web.plugin_texts import catalogue_texts, schema_texts

from .flows import X, eligible_case, get, meeting, ok, youth

P = "/x/due"


@pytest.fixture
def browser(app):
    """A browser's client (asks for HTML by name), separate from the API client's session."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    return client


def page(town, path: str) -> str:
    return f"/t/{town.slug}{P}{path}"


def signed_in(browser, town, role: str, language: str = "en"):
    """Logged in, the pages in `language` (Bergen's own is nb)."""
    assert log_in(browser, town.staff[role].email).status_code == 302
    browser.post("/language", data={"lang": language})
    return browser


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_waiting_list_shows_the_order_and_why_each_linking_to_its_case(client, browser, bergen, units):
    first = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06",
                          criteria=("lacks_housing_or_needs_housing_follow_up", "lacks_daytime_activity"))
    second = eligible_case(client, bergen, units["barnevern"], dt.date(2007, 5, 5), "2025-01-10")
    signed_in(browser, bergen, "caseworker")
    response = browser.get(page(bergen, "/waiting-list"))
    assert response.status_code == 200
    body = text(response)
    assert "<h1>Waiting list</h1>" in body
    assert body.index(f"/t/bergen/cases/{first}") < body.index(f"/t/bergen/cases/{second}")
    assert "points" in body  # the arithmetic of each priority, as the API explains it
    for line in ok(get(client, bergen, f"{X}/waiting-list"))["entries"][0]["explanation"]:
        assert line in body


def test_the_menu_offers_due_pages_by_permission_and_a_town_without_due_gets_404(client, browser, bergen,
                                                                                 kristiansand):
    signed_in(browser, bergen, "caseworker")
    menu = text(browser.get(f"/t/{bergen.slug}/cases"))
    assert "/t/bergen/x/due/waiting-list" in menu and "/t/bergen/x/due/referrals/new" in menu
    assert "/t/bergen/x/due/absences" not in menu  # the caseworker does not coordinate
    other = signed_in(browser_for(browser), kristiansand, "caseworker")
    assert other.get(page(kristiansand, "/waiting-list")).status_code == 404
    assert "/x/due/" not in text(other.get(f"/t/{kristiansand.slug}/cases"))


def browser_for(browser):
    """A second browser (its own cookies) on the same app."""
    client = browser.application.test_client()
    client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    return client


REFERRAL_FORM = {"legal_basis": "child_welfare_act", "criteria": ["lacks_housing_or_needs_housing_follow_up"],
                 "motivation": "Wants a flat of his own and to finish school.", "needs": "housing\nschool",
                 "referred_on": "2025-01-06", "transition": "none"}


def test_a_referral_through_the_page_opens_the_case_files_the_referral_and_evaluates(client, browser, bergen, units):
    person = youth(client, bergen, dt.date(2006, 4, 4))
    signed_in(browser, bergen, "caseworker")
    form = text(browser.get(page(bergen, f"/referrals/new?person_id={person['id']}")))
    assert "<h1>New referral</h1>" in form and f'value="{person["id"]}"' in form
    assert "Barneverntjenesten Bergenhus" in form  # the referring unit is chosen by name
    response = browser.post(page(bergen, "/referrals/new"),
                            data={**REFERRAL_FORM, "person_id": str(person["id"]),
                                  "referring_unit_id": str(units["barnevern"])})
    assert response.status_code == 302
    cases = ok(get(client, bergen, "/cases", person_id=person["id"]))["items"]
    assert [(c["plugin"], c["state"]) for c in cases] == [("due", "referred")]
    assert response.headers["Location"].endswith(f"/t/bergen/cases/{cases[0]['id']}#confirmation")
    landed = text(browser.get(response.headers["Location"]))
    assert "The referral is filed; the recommendation: eligible." in landed
    waiting = ok(get(client, bergen, f"{X}/waiting-list"))["entries"]
    assert [entry["case_id"] for entry in waiting] == [cases[0]["id"]]


def test_a_referral_with_a_problem_is_shown_again_as_typed_and_nothing_is_written(client, browser, bergen, units):
    person = youth(client, bergen, dt.date(2006, 4, 4))
    signed_in(browser, bergen, "caseworker")
    response = browser.post(page(bergen, "/referrals/new"), data={
        **REFERRAL_FORM, "motivation": "", "needs": "a flat of my own", "person_id": str(person["id"]),
        "referring_unit_id": str(units["barnevern"])})
    assert response.status_code == 422
    body = text(response)
    assert 'class="error-summary"' in body and "Motivation" in body
    assert "a flat of my own</textarea>" in body  # as typed
    assert f'<option value="{units["barnevern"]}" selected>' in body
    assert ok(get(client, bergen, "/cases", person_id=person["id"]))["items"] == []


def test_a_referral_is_forbidden_to_finance(browser, bergen):
    signed_in(browser, bergen, "finance")
    assert browser.get(page(bergen, "/referrals/new")).status_code == 403
    assert browser.post(page(bergen, "/referrals/new"), data=REFERRAL_FORM).status_code == 403


def test_the_case_panel_shows_placement_coordinator_deadlines_vedtak_and_links(client, browser, bergen, running):
    signed_in(browser, bergen, "caseworker")
    body = text(browser.get(f"/t/bergen/cases/{running}"))
    assert "Der Ungdommen Er" in body
    assert "BV-2024/117" in body  # the vedtak
    assert "A flat of his own" in body  # a plan goal
    assert "No coordinator is assigned." in body
    # the first report was due 1 July 2025: overdue, in red and in words
    assert 'class="overdue"' in body and "Overdue" in body
    assert f"/t/bergen/x/due/cases/{running}/transfers/new" in body
    assert f"/t/bergen/x/due/cases/{running}/coordinator" not in body  # a caseworker does not coordinate


def test_a_coordinator_assigned_through_the_page_is_the_cases_coordinator(client, browser, bergen, running):
    signed_in(browser, bergen, "coordinator")
    form = text(browser.get(page(bergen, f"/cases/{running}/coordinator")))
    assert "<h1>Coordinator</h1>" in form and "No coordinator is assigned." in form
    assert 'value="mon" checked' in form and 'value="sat" checked' not in form  # the API's defaults
    refused = browser.post(page(bergen, f"/cases/{running}/coordinator"),
                           data={"user_id": str(bergen.coordinator.user_id), "weekly_hours": "many",
                                 "assigned_on": "2025-03-01"})
    assert refused.status_code == 422 and 'value="many"' in text(refused)
    assert ok(get(client, bergen, f"{X}/cases/{running}/placement"))["coordinator"] is None
    done = browser.post(page(bergen, f"/cases/{running}/coordinator"),
                        data={"user_id": str(bergen.coordinator.user_id), "weekly_hours": "10",
                              "reachable_from": "08:00", "reachable_to": "16:00", "reachable_days": ["mon", "wed"],
                              "assigned_on": "2025-03-01"})
    assert done.status_code == 302
    coordinator = ok(get(client, bergen, f"{X}/cases/{running}/placement"))["coordinator"]
    assert (coordinator["user_id"], coordinator["weekly_hours"], coordinator["reachable_days"]) == (
        bergen.coordinator.user_id, "10.00", ["mon", "wed"])


def test_the_coordinator_page_is_forbidden_to_a_caseworker_and_another_towns_case_is_404(browser, bergen, alta,
                                                                                        running):
    signed_in(browser, bergen, "caseworker")
    assert browser.get(page(bergen, f"/cases/{running}/coordinator")).status_code == 403
    stranger = signed_in(browser_for(browser), alta, "coordinator")
    assert stranger.get(page(alta, f"/cases/{running}/coordinator")).status_code == 404
    assert stranger.get(f"/t/{bergen.slug}{P}/cases/{running}/coordinator").status_code in (403, 404)


def test_absences_are_recorded_and_listed_and_a_running_case_without_coordinator_is_flagged(client, browser, bergen,
                                                                                            running):
    signed_in(browser, bergen, "coordinator")
    body = text(browser.get(page(bergen, "/absences")))
    assert "<h1>Coordinators and absences</h1>" in body
    assert f"/t/bergen/cases/{running}" in body and "no coordinator is assigned" in body  # the flag
    assert f'href="/t/bergen/x/due/cases/{running}/coordinator">Assign a coordinator</a>' in body  # who coordinates
    refused = browser.post(page(bergen, "/absences"), data={"user_id": str(bergen.coordinator.user_id),
                                                            "starts_on": "2025-06-01", "reason": "holiday"})
    assert refused.status_code == 422 and "Ends on" in text(refused)
    assert ok(get(client, bergen, f"{X}/absences", role="coordinator")) == []
    done = browser.post(page(bergen, "/absences"), data={
        "user_id": str(bergen.coordinator.user_id), "starts_on": "2025-06-01", "ends_on": "2025-06-21",
        "reason": "holiday", "substitute_user_id": str(bergen.leader.user_id)})
    assert done.status_code == 302
    [absence] = ok(get(client, bergen, f"{X}/absences", role="coordinator"))
    assert (absence["reason"], absence["substitute_user_id"]) == ("holiday", bergen.leader.user_id)
    assert "The absence is recorded." in text(browser.get(done.headers["Location"]))


def test_a_transfer_started_from_the_case_waits_and_a_leader_decides_it(client, browser, bergen, units, running):
    meeting(client, bergen, running, "transfer_meeting", "2025-05-02")
    signed_in(browser, bergen, "caseworker")
    data = {"to_unit_id": str(units["nav_fana"]), "effective_on": "2025-06-01", "disagreement": "NAV Fana disagrees",
            "in_youths_interest": "on", "interest_assessment": "Closer to school and his flat."}
    refused = browser.post(page(bergen, f"/cases/{running}/transfers/new"), data={**data, "effective_on": ""})
    assert refused.status_code == 422 and "NAV Fana disagrees" in text(refused)
    response = browser.post(page(bergen, f"/cases/{running}/transfers/new"), data=data)
    assert response.status_code == 302
    shown = text(browser.get(response.headers["Location"]))
    assert "NAV Fana" in shown and "The transfer is recorded." in shown
    assert "Decide the transfer" not in shown  # only a leader decides
    transfer_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert ok(get(client, bergen, f"{X}/transfers/{transfer_id}"))["status"] == "on_hold"
    assert browser.post(page(bergen, f"/transfers/{transfer_id}/decision"), data={}).status_code == 403
    leader = signed_in(browser_for(browser), bergen, "leader")
    decided = leader.post(page(bergen, f"/transfers/{transfer_id}/decision"), data={
        "approve": "on", "reason": "Both leaders agree now.", "from_unit_leader": "Leder Barnevern",
        "to_unit_leader": "Leder NAV Fana", "in_youths_interest": "on", "interest_assessment": "Closer to school."})
    assert decided.status_code == 302
    assert ok(get(client, bergen, f"{X}/transfers/{transfer_id}"))["status"] == "completed"


def test_the_price_table_and_a_deflator_set_by_the_tenant_admin(client, browser, bergen):
    signed_in(browser, bergen, "finance")
    table = text(browser.get(page(bergen, "/prices")))
    assert "<h1>Prices and deflators</h1>" in table and "17" in table
    assert "Save the deflator" not in table  # finance reads the table only
    assert browser.post(page(bergen, "/deflators"), data={"year": "2017", "percent": "3",
                                                           "source": "x"}).status_code == 403
    admin = signed_in(browser_for(browser), bergen, "tenant_admin")
    refused = admin.post(page(bergen, "/deflators"), data={"year": "2017", "percent": "lots",
                                                            "source": "Statsbudsjettet 2017"})
    assert refused.status_code == 422
    assert 'value="lots"' in text(refused) and "Statsbudsjettet 2017" in text(refused)
    done = admin.post(page(bergen, "/deflators"), data={"year": "2017", "percent": "2.5",
                                                         "source": "Statsbudsjettet 2017"})
    assert done.status_code == 302
    row = next(r for r in ok(get(client, bergen, f"{X}/price-table", until=2017)) if r["year"] == 2017)
    assert (row["deflator"], row["source"]) == ("2.50", "Statsbudsjettet 2017")
    assert "The deflator for 2017 is saved." in text(admin.get(done.headers["Location"]))
    assert admin.post(page(bergen, "/deflators/published")).status_code == 302
    assert len(ok(get(client, bergen, f"{X}/price-table", until=2020))) >= 4


def test_texts_in_norwegian_on_the_pages(client, browser, bergen, units):
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    signed_in(browser, bergen, "caseworker", "nb")
    assert "<h1>Venteliste</h1>" in text(browser.get(page(bergen, "/waiting-list")))
    case_page = text(browser.get(f"/t/bergen/cases/{case_id}"))
    assert "Henvist" in case_page  # the state's title
    assert "Inviter til informasjonsmøte" in case_page  # a transition's title
    assert '<h3 id="form-assessment-title">Kartlegging</h3>' in case_page  # a form's title, drawn by the core


def test_the_leaders_dashboard_counts_the_waiting_list_and_links_to_it(client, browser, bergen, units):
    eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    signed_in(browser, bergen, "leader")
    body = text(browser.get(f"/t/{bergen.slug}/dashboard"))
    assert '<a href="/t/bergen/x/due/waiting-list">1 referral waits for a place</a>' in body


def test_the_texts_of_the_api_schemas_the_pages_draw_are_in_the_catalogue():
    """page_texts.py marks them for the catalogue; a field added to one of these schemas must be
    added there too (or the page gives it a label of its own)."""
    drawn = set()
    for schema in (ReferralCase, schemas.VedtakCreateSchema, schemas.AssignmentCreateSchema,
                   schemas.AbsenceCreateSchema, schemas.TransferCreateSchema, schemas.TransferDecisionSchema,
                   schemas.YearPath, schemas.DeflatorEntrySchema, schemas.ExtraCreateSchema,
                   schemas.PlanGoalsSchema):
        drawn |= schema_texts(schema)
    assert drawn - catalogue_texts(velferd_due.velferd_plugin()) == {
        (None, label) for label in page_texts.REPLACED_LABELS}


@pytest.mark.parametrize("role", ["leader", "tenant_admin", "coordinator"])
def test_no_due_page_answers_junk_with_a_5xx(app, browser, bergen, running, role):
    """Every DUE page route, GET and POST, with an existing case and a missing one, and a form of
    junk: a page or a 4xx, never a 500."""
    signed_in(browser, bergen, role)
    junk = {"junk": "1", "year": "x", "percent": "%%", "user_id": "abc", "person_id": "-1", "approve": "maybe",
            "starts_on": "2025-02-30", "referring_unit_id": "99999999999", "criteria": "nonsense"}
    seen = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("due_pages."):
            continue
        for number in (str(running), "4711"):
            path = re.sub(r"<int:\w+>", number, rule.rule).replace("<tenant>", bergen.slug)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = browser.open(path, method=method, data=junk if method == "POST" else None)
                assert response.status_code < 500, f"{method} {path}: {text(response)[:300]}"
                seen += 1
    assert seen >= 20


def test_a_leader_approves_extra_resources_and_revises_the_plans_goals(client, browser, bergen, running):
    signed_in(browser, bergen, "leader")
    panel = text(browser.get(f"/t/bergen/cases/{running}"))
    assert f"/t/bergen/x/due/cases/{running}/extra-resources" in panel
    data = {"description": "Extra follow-up at night", "monthly_amount": "2500.00", "starts_on": "2025-04-01",
            "ends_on": "2025-06-30", "approved_on": "2025-03-20"}
    refused = browser.post(page(bergen, f"/cases/{running}/extra-resources"), data={**data, "ends_on": "2025-03-01"})
    assert refused.status_code == 422 and "Extra follow-up at night" in text(refused)
    assert ok(get(client, bergen, f"{X}/cases/{running}/extra-resources")) == []
    assert browser.post(page(bergen, f"/cases/{running}/extra-resources"), data=data).status_code == 302
    [extra] = ok(get(client, bergen, f"{X}/cases/{running}/extra-resources"))
    assert (extra["description"], extra["monthly_amount"]) == ("Extra follow-up at night", "2500.00")

    form = text(browser.get(page(bergen, f"/cases/{running}/plan-goals")))
    assert "A flat of his own School three days a week</textarea>" in form  # the goals in force
    revised = browser.post(page(bergen, f"/cases/{running}/plan-goals"), data={"goals": "A job\nA flat of his own"})
    assert revised.status_code == 302
    assert ok(get(client, bergen, f"{X}/cases/{running}/placement"))["plan_goals"] == ["A job", "A flat of his own"]


def test_extra_resources_are_forbidden_to_a_caseworker(browser, bergen, running):
    signed_in(browser, bergen, "caseworker")
    assert browser.get(page(bergen, f"/cases/{running}/extra-resources")).status_code == 403
