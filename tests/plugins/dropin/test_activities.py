"""The centres' team activities (holdbaserede aktiviteter) through the API: an IT course ("NemID
og netbank") with sessions counted, anonymous and known, and super-users by alias ("Sådanne
superbrugere kan fungere som rollemodeller for øvrige brugere."); bad input a 422 naming the field
(a negative count, an end before the start, a session outside the activity, an alias with
digits); the outreach worker may read but not add; another municipality's a 404."""

from __future__ import annotations

import datetime as dt

from velferd_dropin import centres

from tests.plugins.dropin.pages import X
from velferd.db import db
from velferd.tenancy import tenant_scope

IT_COURSE = {"title": "IT-kursus", "kind": "it_course", "topics": ["Digital Post", "MitID", "Netbank"],
             "starts_on": "2025-09-01", "ends_on": "2025-11-30"}


def a_centre(app, town) -> int:
    with app.app_context(), tenant_scope(town.tenant):
        created = centres.create_centre({"name": "Værestedet Broen", "ownership": "private"})
        db.session.commit()
        return created.id


def add(client, town, path, body, role="dropin_centre_staff"):
    return client.post(town.url(f"{X}{path}"), headers=town.staff[role].headers, json=body)


def an_activity(app, client, town, **extra) -> dict:
    r = add(client, town, f"/centres/{a_centre(app, town)}/activities", {**IT_COURSE, **extra})
    assert r.status_code == 201, r.json
    return r.json


def test_an_it_course_with_sessions_and_super_users(app, client, odense):
    course = an_activity(app, client, odense)
    assert (course["kind"], course["topics"], course["session_count"], course["participant_total"]) == \
        ("it_course", ["Digital Post", "MitID", "Netbank"], 0, 0)
    url = f"/activities/{course['id']}"
    assert add(client, odense, f"{url}/sessions", {"held_on": "2025-09-02", "anonymous_count": 6}).status_code == 201
    r = add(client, odense, f"{url}/sessions", {"held_on": "2025-09-09", "anonymous_count": 4, "known_count": 3,
                                                "note": "MitID-app installeret"})
    assert r.status_code == 201 and r.json["participants"] == 7
    r = add(client, odense, f"{url}/super-users", {"alias": "Anne-Marie", "trained_on": "2025-08-15"})
    assert r.status_code == 201 and r.json["alias"] == "Anne-Marie"
    r = client.get(odense.url(f"{X}{url}"), headers=odense.dropin_outreach.headers)
    assert r.status_code == 200
    assert (r.json["session_count"], r.json["participant_total"]) == (2, 13)
    assert [one["known_count"] for one in r.json["sessions"]] == [None, 3]
    assert [one["alias"] for one in r.json["super_users"]] == ["Anne-Marie"]
    listed = client.get(odense.url(f"{X}/centres/{course['centre_id']}/activities"),
                        headers=odense.dropin_outreach.headers)
    assert listed.status_code == 200 and [one["title"] for one in listed.json] == ["IT-kursus"]


def test_a_health_course_that_runs_on(app, client, odense):
    course = an_activity(app, client, odense, title="Sundhed og motion", kind="health_course",
                         topics=["Sundhed og trivsel", "Motion"], ends_on=None)
    r = add(client, odense, f"/activities/{course['id']}/sessions", {"held_on": dt.date.today().isoformat(),
                                                                     "anonymous_count": 0})
    assert r.status_code == 201 and r.json["participants"] == 0


def test_bad_activity_input_is_refused_naming_the_field(app, client, odense):
    centre_id = a_centre(app, odense)
    for extra, field in (({"ends_on": "2025-08-31"}, "ends_on"), ({"kind": "cooking"}, "kind"),
                         ({"title": ""}, "title"), ({"topics": [""]}, "topics"), ({"fee": 10}, "fee"),
                         ({"starts_on": "soon"}, "starts_on")):
        r = add(client, odense, f"/centres/{centre_id}/activities", {**IT_COURSE, **extra})
        assert r.status_code == 422 and field in r.json["fields"], (extra, r.json)
    assert add(client, odense, f"/centres/{centre_id}/activities", IT_COURSE).status_code == 201
    r = add(client, odense, f"/centres/{centre_id}/activities", IT_COURSE)
    assert r.status_code == 409 and "title" in r.json["fields"]


def test_bad_sessions_and_super_users_are_refused_naming_the_field(app, client, odense):
    url = f"/activities/{an_activity(app, client, odense)['id']}"
    ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    for extra, field in (({"anonymous_count": -1}, "anonymous_count"), ({"known_count": -2}, "known_count"),
                         ({"held_on": "2025-08-31"}, "held_on"), ({"held_on": "2025-12-01"}, "held_on"),
                         ({"anonymous_count": "many"}, "anonymous_count"), ({"names": ["Bo"]}, "names")):
        r = add(client, odense, f"{url}/sessions", {"held_on": "2025-09-02", "anonymous_count": 5, **extra})
        assert r.status_code == 422 and field in r.json["fields"], (extra, r.json)
    r = add(client, odense, f"{url}/sessions", {"held_on": "2025-09-02"})
    assert r.status_code == 422 and "anonymous_count" in r.json["fields"]
    for extra, field in (({"alias": "0101801234"}, "alias"), ({"alias": "Bo 2"}, "alias"), ({"alias": ""}, "alias"),
                         ({"alias": "x" * 41}, "alias"), ({"trained_on": ahead}, "trained_on"),
                         ({"cpr": "0101801234"}, "cpr")):
        r = add(client, odense, f"{url}/super-users", {"alias": "Bo", "trained_on": "2025-08-15", **extra})
        assert r.status_code == 422 and field in r.json["fields"], (extra, r.json)
    assert add(client, odense, f"{url}/super-users", {"alias": "Bo", "trained_on": "2025-08-15"}).status_code == 201
    r = add(client, odense, f"{url}/super-users", {"alias": "Bo", "trained_on": "2025-08-20"})
    assert r.status_code == 409 and "alias" in r.json["fields"]


def test_who_may_add_and_who_sees(app, client, odense, aarhus):
    course = an_activity(app, client, odense)
    r = add(client, odense, f"/activities/{course['id']}/sessions", {"held_on": "2025-09-02", "anonymous_count": 5},
            role="dropin_outreach")
    assert r.status_code == 403
    for path in (f"/activities/{course['id']}", f"/centres/{course['centre_id']}/activities"):
        assert client.get(aarhus.url(f"{X}{path}"), headers=aarhus.dropin_coordinator.headers).status_code == 404
    r = add(client, aarhus, f"/activities/{course['id']}/sessions", {"held_on": "2025-09-02", "anonymous_count": 5})
    assert r.status_code == 404
    r = add(client, aarhus, f"/centres/{course['centre_id']}/activities", IT_COURSE)
    assert r.status_code == 404
