"""nav_split's pages through the Flask client as a browser posts them (the session cookie, form
posts, ``Accept: text/html``), with the data seeded through the API (`flows`) and each change
checked through the API: the queue and agendas, a case's allocation panel and follow-up form,
Rusfaglig Forum drafts, approval, complaints and their signatures. Pages are in Norwegian
bokmål (Kristiansand's locale) unless a test says otherwise."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers import add_staff
from tests.plugins.nav_split import flows
from tests.plugins.nav_split.flows import X
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in, text_of


@pytest.fixture
def browse(app):
    """A browser logged in as `town`'s staff member of `role` (each its own cookie jar)."""

    def browser(town, role):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
        r = log_in(client, town.staff[role].email)
        assert r.status_code == 302, r.text
        return client

    return browser


@pytest.fixture
def api(app):
    return app.test_client()


def page_url(town, path):
    return f"/t/{town.slug}{X}{path}"


def forum_case(api, town):
    """A case Forvaltning referred to Rusfaglig Forum (queued)."""
    case, decision = flows.assess(api, town, flows.kartlegging(substance_use=True, from_other_municipality=True,
                                                                work_line_realistic="unclear"))
    assert decision["outcome"] == "rusfaglig_forum"
    assert flows.move(api, town, case["id"], "refer_forum").status_code == 200
    return case


def approved_decision(api, town) -> dict:
    case = flows.allocated_case(api, town, "nav")
    drafted = flows.draft(api, town, case["id"])
    assert drafted.status_code == 201, drafted.json
    r = api.post(town.url(f"{X}/forum-decisions/{drafted.json['id']}/approval"),
                 headers=town.staff["forum_coordinator"].headers)
    assert r.status_code == 200, r.json
    return r.json


# --- queue, agendas, menu, dashboard -----------------------------------------------------------------

def test_the_queue_lists_the_waiting_cases_with_links_in_norwegian(browse, api, kristiansand):
    case = forum_case(api, kristiansand)
    r = browse(kristiansand, "forvaltning").get(page_url(kristiansand, "/queue"))
    assert r.status_code == 200
    assert "<h1>Venter på møte</h1>" in r.text
    assert f'href="/t/kristiansand/cases/{case["id"]}"' in r.text
    assert "I kø" in text_of(r) and "1 sak venter" in text_of(r)
    filtered = browse(kristiansand, "forum_leader").get(page_url(kristiansand, "/queue?kind=leader_level"))
    assert filtered.status_code == 200 and f"/cases/{case['id']}" not in filtered.text
    wrong = browse(kristiansand, "forvaltning").get(page_url(kristiansand, "/queue?kind=nonsense"))
    assert wrong.status_code == 422 and 'class="error-summary"' in wrong.text


def test_the_menu_offers_the_pages_only_where_enabled_and_allowed(browse, kristiansand, bergen):
    caseload = browse(kristiansand, "forvaltning").get("/t/kristiansand/cases")
    assert f'href="{page_url(kristiansand, "/queue")}"' in caseload.text and ">Forumkø<" in caseload.text
    assert f'href="{page_url(kristiansand, "/queue")}"' not in browse(kristiansand, "caseworker").get(
        "/t/kristiansand/cases").text  # a core role without nav_split:agenda:read
    assert browse(kristiansand, "caseworker").get(page_url(kristiansand, "/queue")).status_code == 403
    elsewhere = browse(bergen, "forvaltning")
    assert "/x/nav_split/" not in elsewhere.get("/t/bergen/cases").text
    for path in ("/queue", "/agendas", "/forum-decisions/1", "/cases/1/allocation"):
        assert elsewhere.get(page_url(bergen, path)).status_code == 404, path


def test_building_the_agendas_places_the_queued_case_as_the_api_shows(browse, api, kristiansand):
    case = forum_case(api, kristiansand)
    forvaltning = browse(kristiansand, "forvaltning")
    r = forvaltning.post(page_url(kristiansand, "/agendas/build"), data={"build-week_start": ""})
    assert r.status_code == 302 and r.location.endswith("/x/nav_split/agendas#confirmation")
    listed = api.get(kristiansand.url(f"{X}/agendas"), headers=kristiansand.forvaltning.headers).json
    forum = next(a for a in listed if a["kind"] == "rusfaglig_forum")
    assert [i["case_id"] for i in forum["items"]] == [case["id"]] and forum["items"][0]["status"] == "scheduled"
    shown = forvaltning.get(r.location)
    assert "Ukens sakslister er laget" in shown.text
    assert f'/x/nav_split/agendas/{forum["id"]}"' in shown.text
    agenda = forvaltning.get(page_url(kristiansand, f"/agendas/{forum['id']}"))
    assert agenda.status_code == 200 and "Saksliste: Rusfaglig Forum" in agenda.text
    assert f'href="/t/kristiansand/cases/{case["id"]}"' in agenda.text and "På sakslisten" in agenda.text


def test_a_bad_week_is_a_422_with_the_value_as_typed_and_a_role_without_build_is_403(browse, api, kristiansand):
    forvaltning = browse(kristiansand, "forvaltning")
    r = forvaltning.post(page_url(kristiansand, "/agendas/build"), data={"week_start": "next monday"})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#build-field-week-start"' in r.text
    assert 'value="next monday"' in r.text
    assert api.get(kristiansand.url(f"{X}/agendas"), headers=kristiansand.forvaltning.headers).json == []
    assert browse(kristiansand, "spesialteam").post(page_url(kristiansand, "/agendas/build"),
                                                    data={}).status_code == 403


def test_the_dashboard_counts_the_queue_and_links_to_it(app, browse, api, kristiansand):
    forum_case(api, kristiansand)
    add_staff(app, kristiansand, "leading_forvaltning", ("leader", "forvaltning"))
    r = browse(kristiansand, "leading_forvaltning").get("/t/kristiansand/dashboard")
    assert r.status_code == 200
    assert f'<a href="{page_url(kristiansand, "/queue")}">1 sak venter på møte</a>' in r.text


# --- allocation and follow-up ---------------------------------------------------------------------

def test_the_case_page_shows_the_allocation_with_its_reasons(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    r = browse(kristiansand, "forvaltning").get(f"/t/kristiansand/cases/{case['id']}")
    assert r.status_code == 200
    page = text_of(r)
    assert "Fordeling: NAV eller Livsmestring" in page and "Hvem koordinerer" in page
    assert "Koordinator i NAV" in page or "Koordinator i  NAV" in page
    assert "NAV-team" in page and "Brukere uten arbeid, under 30" in page
    assert "arbeidslinjen" in page  # the main rule's reason, translated
    assert 'id="follow-up"' in r.text
    reader = browse(kristiansand, "spesialteam").get(f"/t/kristiansand/cases/{case['id']}")
    assert "Hvem koordinerer" in reader.text and 'id="follow-up"' not in reader.text
    assert f"/cases/{case['id']}/forum-decisions/new" in reader.text  # Spesialteamet drafts for a NAV case
    other_team = browse(kristiansand, "rusteam").get(f"/t/kristiansand/cases/{case['id']}")
    assert "Hvem koordinerer" in other_team.text and "/forum-decisions/new" not in other_team.text


def test_the_follow_up_form_records_what_the_api_then_shows(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    r = browse(kristiansand, "forvaltning").post(page_url(kristiansand, f"/cases/{case['id']}/follow-up"), data={
        "follow_up_unit": "livsmestring", "follow_up_at_home": "on", "financial_caseworker": "Kari Nav"})
    assert r.status_code == 302 and r.location.endswith(f"/t/kristiansand/cases/{case['id']}#confirmation")
    appointment = flows.allocation(api, kristiansand, case["id"]).json["appointment"]
    assert (appointment["follow_up_unit"], appointment["follow_up_at_home"], appointment["social_assistance"],
            appointment["financial_caseworker"]) == ("livsmestring", True, False, "Kari Nav")
    shown = browse(kristiansand, "forvaltning").get(page_url(kristiansand, f"/cases/{case['id']}/allocation"))
    assert "(hjemme)" in shown.text and 'value="Kari Nav"' in shown.text


def test_a_bad_follow_up_is_a_422_keeping_the_values_and_changing_nothing(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    long_name = "K" * 201
    r = browse(kristiansand, "forvaltning").post(page_url(kristiansand, f"/cases/{case['id']}/follow-up"), data={
        "follow_up_unit": "livsmestring", "follow_up_at_home": "on", "financial_caseworker": long_name})
    assert r.status_code == 422
    assert 'href="#follow-up-field-financial-caseworker"' in r.text and f'value="{long_name}"' in r.text
    assert 'name="follow_up_at_home" type="checkbox" value="on" checked' in r.text
    assert flows.allocation(api, kristiansand, case["id"]).json["appointment"]["follow_up_unit"] == "nav"


def test_follow_up_needs_its_permission_and_an_appointed_coordinator(browse, api, kristiansand):
    allocated = flows.allocated_case(api, kristiansand, "nav")
    refused = browse(kristiansand, "spesialteam").post(
        page_url(kristiansand, f"/cases/{allocated['id']}/follow-up"), data={"follow_up_unit": "livsmestring"})
    assert refused.status_code == 403
    waiting = forum_case(api, kristiansand)
    r = browse(kristiansand, "forvaltning").post(page_url(kristiansand, f"/cases/{waiting['id']}/follow-up"),
                                                 data={"follow_up_unit": "nav"})
    assert r.status_code == 409 and "has no appointed coordinator" in r.text


# --- Rusfaglig Forum: drafts, approval ---------------------------------------------------------------

def test_spesialteamet_drafts_through_the_form_and_the_api_shows_the_draft(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    spesialteam = browse(kristiansand, "spesialteam")
    form = spesialteam.get(page_url(kristiansand, f"/cases/{case['id']}/forum-decisions/new"))
    assert form.status_code == 200 and 'name="institution"' in form.text and "Spesialteamet (NAV)" in form.text
    r = spesialteam.post(page_url(kristiansand, f"/cases/{case['id']}/forum-decisions"), data=flows.DRAFT)
    assert r.status_code == 302
    decision_id = int(re.search(r"/forum-decisions/(\d+)", r.location).group(1))
    read = api.get(kristiansand.url(f"{X}/forum-decisions/{decision_id}"), headers=kristiansand.forvaltning.headers)
    assert (read.json["status"], read.json["institution"], read.json["drafting_team"]) == (
        "draft", flows.DRAFT["institution"], "spesialteam")
    shown = spesialteam.get(r.location)
    assert "Utkastet er lagret" in shown.text and flows.DRAFT["agreement"] in shown.text


def test_a_bad_draft_is_a_422_with_the_values_as_typed(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    r = browse(kristiansand, "spesialteam").post(page_url(kristiansand, f"/cases/{case['id']}/forum-decisions"),
                                                 data={**flows.DRAFT, "institution": "X", "verdict": ""})
    assert r.status_code == 422
    assert 'href="#draft-field-institution"' in r.text and 'href="#draft-field-verdict"' in r.text
    assert 'value="X"' in r.text and flows.DRAFT["reasons"] in r.text
    assert flows.draft(api, kristiansand, case["id"]).json["id"] == 1  # nothing was written before


def test_the_other_team_is_refused_with_the_rule_on_the_page(browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    rusteam = browse(kristiansand, "rusteam")
    for r in (rusteam.get(page_url(kristiansand, f"/cases/{case['id']}/forum-decisions/new")),
              rusteam.post(page_url(kristiansand, f"/cases/{case['id']}/forum-decisions"), data=flows.DRAFT)):
        assert r.status_code == 403
        assert 'class="error-summary"' in r.text
        assert "avtalen i forumet for en NAV-sak skrives av Spesialteamet i NAV (du trenger tillatelsen " \
               "«nav_split:forum:draft_nav»)" in r.text  # the rule, in the page's language
    waiting = forum_case(api, kristiansand)
    r = browse(kristiansand, "spesialteam").get(page_url(kristiansand, f"/cases/{waiting['id']}/forum-decisions/new"))
    assert r.status_code == 409 and "belongs to neither NAV nor Livsmestring yet" in r.text


def test_the_forum_coordinator_approves_and_the_drafter_may_not(app, browse, api, kristiansand):
    case = flows.allocated_case(api, kristiansand, "nav")
    add_staff(app, kristiansand, "drafting_coordinator", ("spesialteam", "forum_coordinator"))
    drafted = flows.draft(api, kristiansand, case["id"], role="drafting_coordinator").json
    url = page_url(kristiansand, f"/forum-decisions/{drafted['id']}/approval")
    own = browse(kristiansand, "drafting_coordinator").post(url)
    assert own.status_code == 409 and "den som skrev utkastet, kan ikke gi andre underskrift" in own.text  # translated
    leader = browse(kristiansand, "forum_leader").post(url)
    assert leader.status_code == 403 and "gis av forumets koordinator eller stedfortreder" in html.unescape(leader.text)
    coordinator = browse(kristiansand, "forum_coordinator")
    assert 'id="approval"' in coordinator.get(page_url(kristiansand, f"/forum-decisions/{drafted['id']}")).text
    r = coordinator.post(url)
    assert r.status_code == 302
    read = api.get(kristiansand.url(f"{X}/forum-decisions/{drafted['id']}"), headers=kristiansand.forvaltning.headers)
    assert read.json["status"] == "approved" and read.json["approved_by_id"] == kristiansand.forum_coordinator.user_id
    shown = coordinator.get(r.location)
    assert "Godkjent" in shown.text and 'id="approval"' not in shown.text


# --- complaints and signatures -------------------------------------------------------------------------

def test_a_complaint_is_signed_by_two_people_and_sent_only_then(browse, api, kristiansand):
    decision = approved_decision(api, kristiansand)
    coordinator = browse(kristiansand, "forum_coordinator")
    bad = coordinator.post(page_url(kristiansand, f"/forum-decisions/{decision['id']}/complaints"), data={"grounds": "x"})
    assert bad.status_code == 422 and 'href="#complaint-field-grounds"' in bad.text
    r = coordinator.post(page_url(kristiansand, f"/forum-decisions/{decision['id']}/complaints"),
                         data={"grounds": "The user disagrees with the refusal."})
    assert r.status_code == 302
    complaint_id = int(re.search(r"/complaints/(\d+)", r.location).group(1))

    early = coordinator.post(page_url(kristiansand, f"/complaints/{complaint_id}/sending"))
    assert early.status_code == 409 and "without the signature of: forum_leader, forvaltning_head" in early.text

    leader = browse(kristiansand, "forum_leader")
    page = leader.get(page_url(kristiansand, f"/complaints/{complaint_id}"))
    assert 'value="forum_leader"' in page.text and 'value="forvaltning_head"' not in page.text
    assert leader.post(page_url(kristiansand, f"/complaints/{complaint_id}/signatures"),
                       data={"capacity": "forum_leader"}).status_code == 302
    refused = leader.post(page_url(kristiansand, f"/complaints/{complaint_id}/signatures"),
                          data={"capacity": "forvaltning_head"})
    assert refused.status_code == 403 and "underskrives som forvaltning_head av lederen av Forvaltning" in refused.text
    twice = leader.post(page_url(kristiansand, f"/complaints/{complaint_id}/signatures"), data={"capacity": "forum_leader"})
    assert twice.status_code == 409 and "already signed as forum_leader" in twice.text

    head = browse(kristiansand, "forvaltning_head")
    assert head.post(page_url(kristiansand, f"/complaints/{complaint_id}/signatures"),
                     data={"capacity": "forvaltning_head"}).status_code == 302
    sent = head.post(page_url(kristiansand, f"/complaints/{complaint_id}/sending"))
    assert sent.status_code == 302
    read = api.get(kristiansand.url(f"{X}/complaints/{complaint_id}"), headers=kristiansand.forvaltning.headers).json
    assert read["status"] == "sent" and sorted(s["capacity"] for s in read["signatures"]) == [
        "forum_leader", "forvaltning_head"]
    shown = head.get(sent.location)
    assert "Sendt til statsforvalteren" in shown.text and 'id="send"' not in shown.text


def test_another_municipality_sees_none_of_it(browse, api, kristiansand, alta):
    decision = approved_decision(api, kristiansand)
    theirs = browse(alta, "forum_coordinator")
    assert theirs.get(f"/t/kristiansand{X}/forum-decisions/{decision['id']}").status_code == 404
    assert theirs.get(page_url(alta, f"/forum-decisions/{decision['id']}")).status_code == 404
    assert theirs.post(page_url(alta, f"/forum-decisions/{decision['id']}/approval")).status_code == 404
    assert theirs.get(page_url(alta, f"/cases/{decision['case_id']}/allocation")).status_code == 404


def test_the_pages_that_show_a_person_are_audited_for_that_person(app, browse, api, kristiansand):
    from tests.read_audit_checks import audit_since, last_audit_id

    decision = approved_decision(api, kristiansand)
    person_id = api.get(kristiansand.url(f"/cases/{decision['case_id']}"),
                        headers=kristiansand.forvaltning.headers).json["person_id"]
    forvaltning = browse(kristiansand, "forvaltning")
    for path in (f"/forum-decisions/{decision['id']}", f"/cases/{decision['case_id']}/allocation", "/queue"):
        before = last_audit_id(app, kristiansand)
        assert forvaltning.get(page_url(kristiansand, path)).status_code == 200
        rows = audit_since(app, kristiansand, before)
        if path != "/queue":  # the queue is empty here: nobody shown
            assert [(r.person_id, r.actor_id) for r in rows if r.action.endswith((".read", ".listed"))], path
            assert {r.person_id for r in rows} == {person_id}, path
