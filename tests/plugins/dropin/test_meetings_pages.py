"""The statutory meetings' pages: a meeting planned with the form (at the centre without the
citizen's choice refused naming the box), its attendance recorded from the list (not before its
time), the filters; the no-show page's table of centre against office with the exact rates, a bad
period a 422 naming the input; the centre staff read but do not record; another municipality's
meeting a 404; Bergen gets 404."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import page, text_of
from tests.plugins.dropin.test_meetings import a_centre, body, plan
from tests.plugins.dropin.test_no_shows import SPRING, record


def test_a_meeting_is_planned_and_its_attendance_recorded(app, client, odense, aarhus, browse):
    centre_id = a_centre(app, odense)
    worker = browse(odense, "dropin_outreach")
    r = worker.get(page(odense, "/meetings"))
    assert r.status_code == 200 and "Plan a statutory meeting" in r.text and "lovpligtige samtaler" in r.text
    form = {**body(), "place": "centre", "centre_id": str(centre_id)}
    r = worker.post(page(odense, "/meetings"), data=form)
    assert r.status_code == 422 and 'href="#meeting-field-chosen-by-citizen"' in r.text
    assert 'value="Opfølgningssamtale"' in r.text  # what was typed is kept
    r = worker.post(page(odense, "/meetings"), data={**form, "centre_id": "", "chosen_by_citizen": "on"})
    assert r.status_code == 422 and 'href="#meeting-field-centre-id"' in r.text
    r = worker.post(page(odense, "/meetings"), data={**form, "chosen_by_citizen": "on"})
    assert r.status_code == 302
    text = text_of(worker.get(r.headers["Location"]))
    assert "The meeting on 2025-03-04 is planned." in text and "At the centre: Café Vest" in text
    meeting_id = plan(client, odense, meets_on="2025-03-05").json["id"]

    r = worker.post(page(odense, f"/meetings/{meeting_id}/attendance"), data={"attendance": "no_show"})
    assert r.status_code == 302
    r = worker.get(page(odense, "/meetings?attendance=no_show"))
    assert "No-show (udeblevet)" in text_of(r) and "1 statutory meeting" in text_of(r)

    ahead = plan(client, odense, meets_on=(dt.date.today() + dt.timedelta(days=9)).isoformat()).json["id"]
    r = worker.post(page(odense, f"/meetings/{ahead}/attendance"), data={"attendance": "attended"})
    assert r.status_code == 422 and f'href="#attendance-{ahead}-field-attendance"' in r.text
    assert aarhus and browse(aarhus, "dropin_outreach").post(
        page(aarhus, f"/meetings/{meeting_id}/attendance"), data={"attendance": "attended"}).status_code == 404


def test_the_filters_refuse_a_bad_period(odense, browse):
    worker = browse(odense, "dropin_outreach")
    r = worker.get(page(odense, "/meetings?start=2025-03-31&end=2025-03-01"))
    assert r.status_code == 422 and 'href="#meetings-filter-field-end"' in r.text
    assert worker.get(page(odense, "/meetings?place=home")).status_code == 422


def test_the_centre_staff_read_but_do_not_record(client, odense, browse):
    plan(client, odense)
    staff = browse(odense, "dropin_centre_staff")
    r = staff.get(page(odense, "/meetings"))
    assert r.status_code == 200 and "Opfølgningssamtale" in r.text and "Plan a statutory meeting" not in r.text
    assert staff.post(page(odense, "/meetings"), data=body()).status_code == 403


def test_the_no_show_page_compares_the_centre_with_the_office(app, odense, browse):
    record(app, odense, SPRING)
    coordinator = browse(odense, "dropin_coordinator")
    r = coordinator.get(page(odense, "/no-shows?start=2025-03-01&end=2025-03-31"))
    assert r.status_code == 200 and 'scope="row"' in r.text
    text = text_of(r)
    assert "At the centre 8 7 1 12.5 %" in text and "At the office 6 3 3 50.0 %" in text
    assert "Broen 5 4 1 20.0 %" in text and "Vest 3 3 0 0.0 %" in text
    text = text_of(coordinator.get(page(odense, "/no-shows?start=2024-01-01&end=2024-01-31&service=skp")))
    assert "At the centre 0 0 0 None held" in text
    r = coordinator.get(page(odense, "/no-shows?start=2025-03-31&end=2025-03-01"))
    assert r.status_code == 422 and 'href="#no-shows-period-field-end"' in r.text


def test_bergen_gets_404(bergen, browse):
    browser = browse(bergen, "caseworker")
    for path in ("/meetings", "/no-shows"):
        assert browser.get(page(bergen, path)).status_code == 404
