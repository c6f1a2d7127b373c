"""The stays on the pages, as a browser posts them (the session cookie, form posts, ``Accept:
text/html``): the application through the core's drawn form, the stay panel on the case page, the
consent, rules and end-of-treatment forms (a bad date shown again with a 422 and the error
summary), the move-in with a choice of flat (a refusal shown with its reason and a 409), an
extension through the core's drawn rule, the "Stays" list in the menu, and Bergen 404."""

from __future__ import annotations

import datetime as dt

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.pages import text_of


def test_an_application_to_a_resident_through_the_pages(browse, client, alta):
    flats = flow.flats(client, alta)
    today = flow.today()
    case_id = flow.new_case(client, alta)
    staff = browse(alta, "aftercare_staff")

    page = staff.get(f"/t/alta/cases/{case_id}")
    assert page.status_code == 200
    assert "No application yet" in text_of(page)
    r = staff.post(f"/t/alta/cases/{case_id}/forms/application",
                   data={"institution": "Finnmarkskollektivet", "treatment_started_on": "2025-01-06",
                         "at_partner_institution": "on", "home_municipality": "Kautokeino"})
    assert r.status_code == 302, r.text
    page = text_of(staff.get(f"/t/alta/cases/{case_id}"))
    assert "Finnmarkskollektivet" in page and "Kautokeino (a partner on the case)" in page

    # a bad date is the stay page again, 422, with the error summary linking to the input
    r = staff.post(f"/t/alta/x/aftercare/cases/{case_id}/stay/consent", data={"consent_on": "yesterday"})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#consent-field-consent-on"' in r.text
    r = staff.post(f"/t/alta/x/aftercare/cases/{case_id}/stay/consent", data={})
    assert r.status_code == 422 and 'href="#consent-field-consent-on"' in r.text
    for form_id, field in (("consent", "consent_on"), ("rules-agreed", "rules_agreed_on"),
                           ("treatment-ended", "treatment_ended_on")):
        r = staff.post(f"/t/alta/x/aftercare/cases/{case_id}/stay/{form_id}", data={field: today.isoformat()})
        assert r.status_code == 302, r.text
    shown = flow.stay(client, alta, case_id)
    assert shown["consent_on"] == shown["rules_agreed_on"] == shown["treatment_ended_on"] == today.isoformat()

    assert staff.post(f"/t/alta/cases/{case_id}/moves/start_assessment", data={}).status_code == 302
    leader = browse(alta, "aftercare_leader")
    r = leader.post(f"/t/alta/cases/{case_id}/moves/accept", data={"reasons": "Wants to take part."})
    assert r.status_code == 302, r.text

    # the move-in form offers the flats; the partner's flat without its reservation is refused (409)
    page = leader.get(f"/t/alta/cases/{case_id}")
    assert 'id="move-in-field-flat-id"' in page.text and '<label for="move-in-field-flat-id">' in page.text
    r = leader.post(f"/t/alta/x/aftercare/cases/{case_id}/move-in",
                    data={"flat_id": str(flats["6"]), "moved_in_on": today.isoformat()})
    assert r.status_code == 409 and "has not reserved the flat for this case" in text_of(r)
    r = leader.post(f"/t/alta/x/aftercare/cases/{case_id}/move-in", data={"moved_in_on": today.isoformat()})
    assert r.status_code == 422 and 'href="#move-in-field-flat-id"' in r.text
    r = leader.post(f"/t/alta/x/aftercare/cases/{case_id}/move-in",
                    data={"flat_id": str(flats["4"]), "moved_in_on": today.isoformat(), "move-note": "Keys handed over."})
    assert r.status_code == 302, r.text
    page = text_of(leader.get(f"/t/alta/cases/{case_id}"))
    assert "Living phase" in page and "Warnings before the limit" in page
    assert flow.stay(client, alta, case_id)["flat_label"] == "4"

    # an extension through the core's drawn rule
    limit = dt.date.fromisoformat(flow.stay(client, alta, case_id)["limit_on"])
    r = leader.post(f"/t/alta/cases/{case_id}/rules/stay_extension",
                    data={"new_limit_on": (limit + dt.timedelta(days=90)).isoformat(), "progress": "clear",
                          "reasons": "In work training."})
    assert r.status_code == 302, r.text
    assert flow.stay(client, alta, case_id)["limit_on"] == (limit + dt.timedelta(days=90)).isoformat()
    assert "Extension granted" in text_of(leader.get(f"/t/alta/x/aftercare/cases/{case_id}/stay"))


def test_the_stays_list_is_in_the_menu_and_filters_by_state(browse, client, alta):
    flats = flow.flats(client, alta)
    living = flow.resident(client, alta, flats["5"], flow.today())
    applied = flow.new_case(client, alta)
    staff = browse(alta, "aftercare_staff")
    home = staff.get("/t/alta/tasks")
    assert 'href="/t/alta/x/aftercare/stays"' in home.text
    page = staff.get("/t/alta/x/aftercare/stays")
    assert page.status_code == 200
    assert f"/t/alta/cases/{living}" in page.text and f"/t/alta/cases/{applied}" in page.text
    assert '<th scope="col">' in page.text and '<label for="state">' in page.text
    page = staff.get("/t/alta/x/aftercare/stays?state=living")
    assert f"/t/alta/cases/{living}" in page.text and f"/t/alta/cases/{applied}\"" not in page.text


def test_bergen_without_aftercare_gets_404_on_the_stay_pages(browse, bergen):
    staff = browse(bergen, "aftercare_staff")
    assert staff.get("/t/bergen/x/aftercare/stays").status_code == 404
    assert staff.get("/t/bergen/x/aftercare/cases/1/stay").status_code == 404
    assert staff.post("/t/bergen/x/aftercare/cases/1/stay/consent", data={"consent_on": "2026-01-01"}).status_code == 404
