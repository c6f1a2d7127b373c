"""The implementation team through the API and its page: members from the municipality, a centre
(which one) and the council of socially marginalised citizens; meetings held (not in the future);
working groups; the shared competence-development plan; the roll-out's phases in order, and a
warning — not a refusal — when full operation is planned outside "et til halvandet år". Bad input
is a 422 naming the field; the centre staff may read but not write; Aarhus never sees Odense's
team (404); Bergen gets 404."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import X, page, text_of
from velferd.clock import tenant_today

SHORT = "The roll-out is planned shorter than the one to one and a half years the guide expects."
LONG = "The roll-out is planned longer than the one to one and a half years the guide expects."


def post(client, town, path, body, role="dropin_coordinator"):
    return client.post(town.url(f"{X}/implementation{path}"), headers=town.staff[role].headers, json=body)


def patch(client, town, path, body, role="dropin_coordinator"):
    return client.patch(town.url(f"{X}/implementation{path}"), headers=town.staff[role].headers, json=body)


def team(client, town, role="dropin_outreach"):
    r = client.get(town.url(f"{X}/implementation"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def centre(client, town, name="Café Vest"):
    r = client.post(town.url(f"{X}/centres"), headers=town.dropin_coordinator.headers,
                    json={"name": name, "ownership": "private"})
    assert r.status_code == 201, r.json
    return r.json["id"]


def test_members_represent_the_municipality_a_centre_or_the_council(client, odense):
    cafe = centre(client, odense)
    r = post(client, odense, "/members", {"name": "Mette Hansen", "organisation_kind": "centre", "centre_id": cafe,
                                          "role": "Leder af værestedet"})
    assert r.status_code == 201, r.json
    assert (r.json["organisation"], r.json["centre_id"], r.json["active"]) == ("Café Vest", cafe, True)
    r = post(client, odense, "/members", {"name": "Jens Madsen", "organisation_kind": "council",
                                          "organisation": "Rådet for socialt udsatte, Odense", "role": "Formand"})
    assert r.status_code == 201, r.json
    member_id = r.json["id"]
    for body, field in (({"organisation_kind": "centre", "role": "x", "name": "A"}, "centre_id"),
                        ({"organisation_kind": "municipality", "role": "x", "name": "A"}, "organisation"),
                        ({"organisation_kind": "council", "centre_id": cafe, "organisation": "R", "role": "x",
                          "name": "A"}, "centre_id"),
                        ({"organisation_kind": "church", "organisation": "K", "role": "x", "name": "A"},
                         "organisation_kind"),
                        ({"organisation_kind": "other", "organisation": "K", "role": "x"}, "name"),
                        ({"organisation_kind": "other", "organisation": "K", "role": "x", "name": "A",
                          "cpr": "x"}, "cpr"),
                        ({"organisation_kind": "other", "organisation": "K", "role": "x", "name": "A",
                          "centre_id": 2**40}, "centre_id")):
        r = post(client, odense, "/members", body)
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)
    r = patch(client, odense, f"/members/{member_id}", {"active": False})
    assert r.status_code == 200 and r.json["active"] is False
    assert [one["name"] for one in team(client, odense)["members"]] == ["Mette Hansen", "Jens Madsen"]


def test_meetings_groups_and_the_plan(client, odense):
    today = tenant_today(odense.tenant)
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    r = post(client, odense, "/meetings", {"held_on": tomorrow, "agenda": "Rollefordeling"})
    assert r.status_code == 422 and "held_on" in r.json["fields"]
    assert post(client, odense, "/meetings", {"held_on": "2026-01-10"}).json["fields"].keys() == {"agenda"}
    first = post(client, odense, "/meetings", {"held_on": "2026-01-10", "agenda": "Samarbejdsaftaler"}).json
    post(client, odense, "/meetings", {"held_on": "2026-03-01", "agenda": "Rollefordeling"})
    r = patch(client, odense, f"/meetings/{first['id']}", {"decisions": "Arbejdsgruppe om rollefordeling nedsat"})
    assert r.status_code == 200 and r.json["decisions"].startswith("Arbejdsgruppe")
    assert [one["held_on"] for one in team(client, odense)["meetings"]] == ["2026-03-01", "2026-01-10"]

    group = {"name": "Rollefordeling", "purpose": "Afklare rollefordelingen", "started_on": "2026-01-15"}
    r = post(client, odense, "/working-groups", {**group, "ended_on": "2026-01-01"})
    assert r.status_code == 422 and "ended_on" in r.json["fields"]
    assert post(client, odense, "/working-groups", group).status_code == 201
    r = post(client, odense, "/working-groups", group)
    assert r.status_code == 409 and "name" in r.json["fields"]

    item = {"topic": "Motiverende samtale", "audience": "both", "planned_on": "2026-04-01"}
    r = post(client, odense, "/plan", {**item, "audience": "citizens"})
    assert r.status_code == 422 and "audience" in r.json["fields"]
    r = post(client, odense, "/plan", {**item, "done_on": tomorrow})
    assert r.status_code == 422 and "done_on" in r.json["fields"]
    created = post(client, odense, "/plan", item).json
    r = patch(client, odense, f"/plan/{created['id']}", {"done_on": today.isoformat()})
    assert r.status_code == 200 and r.json["done_on"] == today.isoformat()
    r = patch(client, odense, f"/plan/{created['id']}", {"planned_on": "2026-02-30"})
    assert r.status_code == 422 and "planned_on" in r.json["fields"]


def test_phases_follow_each_other_and_the_length_is_warned_not_refused(client, odense):
    r = post(client, odense, "/phases", {"kind": "development", "starts_on": "2026-01-01", "ends_on": "2025-12-01"})
    assert r.status_code == 422 and "ends_on" in r.json["fields"]
    prep = post(client, odense, "/phases", {"kind": "preparation", "starts_on": "2025-09-01",
                                            "ends_on": "2025-12-31"}).json
    r = post(client, odense, "/phases", {"kind": "development", "starts_on": "2025-12-01", "ends_on": "2026-06-30"})
    assert r.status_code == 422 and "starts_on" in r.json["fields"], r.json
    r = post(client, odense, "/phases", {"kind": "development", "starts_on": "2026-01-01", "ends_on": "2026-06-30"})
    assert r.status_code == 201
    r = post(client, odense, "/phases", {"kind": "preparation", "starts_on": "2024-01-01"})
    assert r.status_code == 409 and "kind" in r.json["fields"]
    rollout = team(client, odense)["rollout"]
    assert (rollout["starts_on"], rollout["full_operation_on"], rollout["warning"]) == ("2025-09-01", "2026-07-01", SHORT)

    r = post(client, odense, "/phases", {"kind": "operation", "starts_on": "2026-09-01"})  # 12 months after: fine
    assert r.status_code == 201
    operation = r.json["id"]
    assert team(client, odense)["rollout"]["warning"] is None
    assert patch(client, odense, f"/phases/{operation}", {"starts_on": "2027-03-01"}).status_code == 200  # 18: fine
    assert team(client, odense)["rollout"]["warning"] is None
    r = patch(client, odense, f"/phases/{operation}", {"starts_on": "2027-03-02"})  # past 18 months: a warning only
    assert r.status_code == 200
    assert team(client, odense)["rollout"] == {"starts_on": "2025-09-01", "full_operation_on": "2027-03-02",
                                               "days": 547, "warning": LONG}
    r = patch(client, odense, f"/phases/{prep['id']}", {"ends_on": "2026-02-01"})  # runs into development
    assert r.status_code == 422 and "ends_on" in r.json["fields"]
    assert [one["kind"] for one in team(client, odense)["phases"]] == ["preparation", "development", "operation"]


def test_the_centre_staff_read_but_do_not_write(client, odense):
    assert team(client, odense, "dropin_centre_staff")["members"] == []
    r = post(client, odense, "/meetings", {"held_on": "2026-01-10", "agenda": "x"}, role="dropin_centre_staff")
    assert r.status_code == 403 and "dropin:implementation:manage" in r.json["message"]


def test_aarhus_never_sees_odenses_team(client, odense, aarhus):
    cafe = centre(client, odense)
    member = post(client, odense, "/members", {"name": "M", "organisation_kind": "centre", "centre_id": cafe,
                                               "role": "r"}).json
    meeting = post(client, odense, "/meetings", {"held_on": "2026-01-10", "agenda": "a"}).json
    item = post(client, odense, "/plan", {"topic": "t", "audience": "both", "planned_on": "2026-01-01"}).json
    phase = post(client, odense, "/phases", {"kind": "development", "starts_on": "2026-01-01"}).json
    seen = team(client, aarhus, "dropin_coordinator")
    assert (seen["members"], seen["meetings"], seen["plan"], seen["phases"]) == ([], [], [], [])
    assert seen["cadence"]["in_development"] is False
    for path, body in ((f"/members/{member['id']}", {"role": "x"}), (f"/meetings/{meeting['id']}", {"agenda": "x"}),
                       (f"/plan/{item['id']}", {"topic": "x"}), (f"/phases/{phase['id']}", {"note": "x"})):
        assert patch(client, aarhus, path, body).status_code == 404, path
    r = post(client, aarhus, "/members", {"name": "M", "organisation_kind": "centre", "centre_id": cafe, "role": "r"})
    assert r.status_code == 404


def test_bergen_gets_404(client, bergen, browse):
    assert client.get(bergen.url(f"{X}/implementation"), headers=bergen.caseworker.headers).status_code == 404
    assert browse(bergen, "caseworker").get(page(bergen, "/implementation")).status_code == 404


# --- the page -------------------------------------------------------------------------------------

def test_the_team_page_shows_the_cadence_and_its_forms_refuse_naming_the_field(client, odense, browse):
    today = tenant_today(odense.tenant)
    post(client, odense, "/phases", {"kind": "development", "starts_on": (today - dt.timedelta(days=30)).isoformat()})
    coordinator = browse(odense, "dropin_coordinator")
    path = page(odense, "/implementation")
    r = coordinator.get(path)
    assert r.status_code == 200
    text = text_of(r)
    assert "Overdue." in text and "No meeting has been held yet." in text and "minimum én gang hver anden måned" in text
    assert 'scope="col"' in r.text and "Record a meeting held" in text

    r = coordinator.post(path + "/meetings", data={"held_on": today.isoformat()})
    assert r.status_code == 422 and 'href="#meeting-field-agenda"' in r.text and "There is a problem" in r.text
    r = coordinator.post(path + "/meetings", data={"held_on": (today + dt.timedelta(days=3)).isoformat(), "agenda": "a"})
    assert r.status_code == 422 and 'href="#meeting-field-held-on"' in r.text
    r = coordinator.post(path + "/meetings", data={"held_on": today.isoformat(), "agenda": "Samarbejdsaftaler"})
    assert r.status_code == 302
    text = text_of(coordinator.get(r.headers["Location"]))
    assert "The meeting is recorded." in text and "On time." in text and "Samarbejdsaftaler" in text

    r = coordinator.post(path + "/members", data={"name": "Mette", "organisation_kind": "centre", "role": "Leder",
                                                  "active": "on"})
    assert r.status_code == 422 and 'href="#member-field-centre-id"' in r.text and 'value="Mette"' in r.text
    cafe = centre(client, odense)
    r = coordinator.post(path + "/members", data={"name": "Mette", "organisation_kind": "centre", "role": "Leder",
                                                  "centre_id": str(cafe), "active": "on"})
    assert r.status_code == 302
    assert team(client, odense)["members"][0]["organisation"] == "Café Vest"

    r = coordinator.post(path + "/plan", data={"topic": "Motiverende samtale", "audience": "both",
                                               "planned_on": today.isoformat()})
    assert r.status_code == 302
    item = team(client, odense)["plan"][0]["id"]
    r = coordinator.post(path + f"/plan/{item}", data={"done_on": (today + dt.timedelta(days=2)).isoformat()})
    assert r.status_code == 422 and f'href="#plan-done-{item}-field-done-on"' in r.text
    r = coordinator.post(path + f"/plan/{item}", data={"done_on": today.isoformat()})
    assert r.status_code == 302 and team(client, odense)["plan"][0]["done_on"] == today.isoformat()

    r = coordinator.post(path + "/phases", data={"kind": "development", "starts_on": "2020-01-01"})
    assert r.status_code == 409 and "already has a development phase" in r.text

    staff = browse(odense, "dropin_centre_staff")
    r = staff.get(path)
    assert r.status_code == 200 and "Record a meeting held" not in r.text and "Samarbejdsaftaler" in r.text
    assert staff.post(path + "/meetings", data={"held_on": today.isoformat(), "agenda": "x"}).status_code == 403
