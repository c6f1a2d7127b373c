"""A foreign page cannot make a logged-in leader's browser run DUE's reminders (a POST with no
JSON body, so a plain HTML form on any site could send it)."""

from __future__ import annotations

from tests.test_origin_check import EVIL, logged_in

from .flows import X


def test_a_foreign_form_cannot_run_the_reminders_with_the_session_cookie(client, bergen):
    browser = logged_in(client, bergen, "leader")
    r = browser.post(bergen.url(f"{X}/reminders/run"), data={}, headers={"Origin": EVIL})
    assert r.status_code == 403 and "cross-origin" in r.json["message"]
    r = browser.post(bergen.url(f"{X}/reminders/run"), headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = browser.post(bergen.url(f"{X}/reminders/run"), json={}, headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200, r.json  # the leader's own page may
