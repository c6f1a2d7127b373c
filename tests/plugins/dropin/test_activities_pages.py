"""The team activities' pages: the centre staff add an IT course, record a session (a negative
count refused naming the input) and a super-user by alias (digits refused); the activity's page
shows the counts and aliases only; the outreach worker reads but does not add; another
municipality's activity a 404."""

from __future__ import annotations

from tests.plugins.dropin.pages import page, text_of
from tests.plugins.dropin.test_activities import IT_COURSE, a_centre, an_activity


def test_the_centre_staff_add_an_activity_a_session_and_a_super_user(app, odense, browse):
    centre_id = a_centre(app, odense)
    staff = browse(odense, "dropin_centre_staff")
    path = page(odense, f"/centres/{centre_id}/activities")
    r = staff.get(path)
    assert r.status_code == 200 and "The centre has no team activities yet." in r.text
    assert "Add a team activity" in r.text
    form = {**IT_COURSE, "topics": "Digital Post\nMitID\nNetbank"}
    r = staff.post(path, data={**form, "ends_on": "2025-08-01"})
    assert r.status_code == 422 and 'href="#activity-field-ends-on"' in r.text
    r = staff.post(path, data=form)
    assert r.status_code == 302
    activity = staff.get(r.headers["Location"])
    assert "The activity IT-kursus is added." in activity.text and "Digital Post, MitID, Netbank" in text_of(activity)
    activity_path = r.headers["Location"].split("#")[0]

    r = staff.post(activity_path + "/sessions", data={"held_on": "2025-09-02", "anonymous_count": "-1"})
    assert r.status_code == 422 and 'href="#session-field-anonymous-count"' in r.text
    r = staff.post(activity_path + "/sessions", data={"held_on": "2025-09-02", "anonymous_count": "5",
                                                      "known_count": "2"})
    assert r.status_code == 302
    r = staff.post(activity_path + "/super-users", data={"alias": "010180-1234", "trained_on": "2025-08-15"})
    assert r.status_code == 422 and 'href="#super-user-field-alias"' in r.text
    r = staff.post(activity_path + "/super-users", data={"alias": "Bo", "trained_on": "2025-08-15"})
    assert r.status_code == 302
    text = text_of(staff.get(activity_path))
    assert "1 session, 7 participants in all" in text and "Bo" in text

    listing = staff.get(page(odense, "/activities"))
    assert listing.status_code == 200 and "IT-kursus" in listing.text and 'scope="col"' in listing.text


def test_the_outreach_worker_reads_but_does_not_add(app, client, odense, aarhus, browse):
    course = an_activity(app, client, odense)
    worker = browse(odense, "dropin_outreach")
    r = worker.get(page(odense, f"/activities/{course['id']}"))
    assert r.status_code == 200 and "IT-kursus" in r.text and "Record a session" not in r.text
    assert worker.post(page(odense, f"/activities/{course['id']}/sessions"),
                       data={"held_on": "2025-09-02", "anonymous_count": "5"}).status_code == 403
    other = browse(aarhus, "dropin_coordinator")
    assert other.get(page(aarhus, f"/activities/{course['id']}")).status_code == 404
    assert other.get(page(aarhus, f"/centres/{course['centre_id']}/activities")).status_code == 404
