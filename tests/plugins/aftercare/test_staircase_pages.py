"""The staircase on the pages, as a browser posts them: the "Staircase" page in the menu with the
steps, the case panel with the current step and its contract, a breach recorded through the panel's
form (a bad one shown again with 422 and the error summary), a move proposed through the core's
drawn rule, applied through the panel's form (the wrong contract refused with 422 naming
``lease.kind``), and Bergen 404."""

from __future__ import annotations

import datetime as dt
import re

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.pages import text_of

X = "/x/aftercare"


def days_ago(days: int) -> dt.date:
    return flow.today() - dt.timedelta(days=days)


def test_the_staircase_page_lists_the_steps_and_is_in_the_menu(browse, alta):
    staff = browse(alta, "aftercare_staff")
    r = staff.get("/t/alta/x/aftercare/staircase")
    assert r.status_code == 200, r.text
    shown = text_of(r)
    assert "Training flat" in shown and "Ordinary flat, ordinary lease" in shown
    assert '<th scope="col">' in r.text and '<th scope="row">2</th>' in r.text
    assert 'href="/t/alta/x/aftercare/staircase"' in staff.get("/t/alta/x/aftercare/staircase").text


def test_a_breach_and_a_move_through_the_pages(browse, client, alta):
    case_id = flow.resident(client, alta, flow.flats(client, alta)["1"], days_ago(200))
    staff = browse(alta, "aftercare_staff")
    page = text_of(staff.get(f"/t/alta/cases/{case_id}"))
    assert "Step 2: Training flat" in page and "Stiftelsen Utleieboliger" in page

    # a breach without its description: the page again, 422, the summary linking to the input
    r = staff.post(f"/t/alta/x/aftercare/cases/{case_id}/staircase/breaches",
                   data={"occurred_on": days_ago(3).isoformat(), "kind": "rule"})
    assert r.status_code == 422
    assert 'class="error-summary"' in r.text and 'href="#staircase-breach-field-description"' in r.text
    r = staff.post(f"/t/alta/x/aftercare/cases/{case_id}/staircase/breaches",
                   data={"occurred_on": days_ago(3).isoformat(), "kind": "rule", "description": "Late guests."})
    assert r.status_code == 302, r.text
    assert "Late guests." in text_of(staff.get(f"/t/alta/x/aftercare/cases/{case_id}/staircase"))

    # the leader proposes the move up through the core's drawn rule and applies it in the panel
    leader = browse(alta, "aftercare_leader")
    r = leader.post(f"/t/alta/cases/{case_id}/rules/step_change",
                    data={"direction": "up", "reasons": "Keeps the agreements.\nWorks every weekday."})
    assert r.status_code == 302, r.text
    page = leader.get(f"/t/alta/cases/{case_id}")
    assert "Proposed move" in text_of(page)
    assert '<label for="staircase-apply-field-on">' in page.text
    decision_id = re.search(r"/staircase/moves/(\d+)", page.text).group(1)
    move = f"/t/alta/x/aftercare/cases/{case_id}/staircase/moves/{decision_id}"
    r = leader.post(move, data={"on": days_ago(1).isoformat(), "lease.kind": "ordinary",
                                "lease.signed_on": days_ago(1).isoformat()})
    assert r.status_code == 422
    assert 'href="#staircase-apply-field-lease-kind"' in r.text
    r = leader.post(move, data={"on": days_ago(1).isoformat(), "lease.signed_on": days_ago(1).isoformat()})
    assert r.status_code == 422 and 'href="#staircase-apply-field-lease-kind"' in r.text
    r = leader.post(move, data={"on": days_ago(1).isoformat(), "lease.kind": "special",
                                "lease.signed_on": days_ago(1).isoformat()})
    assert r.status_code == 302, r.text
    page = text_of(leader.get(f"/t/alta/x/aftercare/cases/{case_id}/staircase"))
    assert "Step 3: Ordinary flat, special contract" in page
    assert "Reason given: Keeps the agreements." in page
    # the staff may record breaches but not apply a move
    assert staff.post(move, data={"on": days_ago(1).isoformat()}).status_code == 403


def test_bergen_without_aftercare_gets_404_on_the_staircase_pages(browse, bergen):
    browser = browse(bergen, "caseworker")
    assert browser.get("/t/bergen/x/aftercare/staircase").status_code == 404
    assert browser.get("/t/bergen/x/aftercare/cases/1/staircase").status_code == 404
    assert browser.post("/t/bergen/x/aftercare/cases/1/staircase/breaches", data={}).status_code == 404
