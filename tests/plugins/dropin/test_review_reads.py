"""What a page or a list reads from the database does not grow with its rows: the team
activities (API list, every centre's page, a centre's page) and the evaluation report load the
sessions, super-users, no-show figures and survey answers of all their rows together, not one
query per activity or per centre; and the implementation team page's confirmations are marked for
the catalogue, so nb/da staff read them translated."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import velferd_dropin

from tests.plugins.dropin.pages import X, page
from tests.plugins.dropin.test_activities import IT_COURSE, a_centre, add
from velferd.db import db
from velferd.web.plugin_texts import extracted_texts


class Statements:
    """The SQL statements run while in the block, those on `table` by `on(table)`."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.seen: list[str] = []

    def _record(self, conn, cursor, statement, *args):
        self.seen.append(statement)

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def on(self, table: str) -> int:
        return sum(f"FROM {table}" in one for one in self.seen)


def activities_with_sessions(app, client, town, count: int) -> int:
    centre_id = a_centre(app, town)
    for number in range(count):
        r = add(client, town, f"/centres/{centre_id}/activities", {**IT_COURSE, "title": f"Kursus {number}"})
        assert r.status_code == 201, r.json
        url = f"/activities/{r.json['id']}"
        for day, anonymous in (("2025-09-02", 3), ("2025-09-09", 4)):
            assert add(client, town, f"{url}/sessions", {"held_on": day, "anonymous_count": anonymous,
                                                         "known_count": number}).status_code == 201
        assert add(client, town, f"{url}/super-users", {"alias": "Bo", "trained_on": "2025-08-15"}).status_code == 201
    return centre_id


def test_the_activity_list_reads_sessions_and_super_users_once_for_all_activities(app, client, odense):
    centre_id = activities_with_sessions(app, client, odense, 4)
    with Statements(app) as run:
        r = client.get(odense.url(f"{X}/centres/{centre_id}/activities"), headers=odense.dropin_outreach.headers)
    assert r.status_code == 200
    assert [(one["session_count"], one["participant_total"], [h["alias"] for h in one["super_users"]])
            for one in r.json] == [(2, 7 + 2 * number, ["Bo"]) for number in (3, 2, 1, 0)]
    assert (run.on("dropin_activity_session"), run.on("dropin_super_user")) == (1, 1)


@pytest.mark.parametrize("path", ["/activities", "/centres/{centre_id}/activities"])
def test_the_activity_pages_count_sessions_in_one_query(app, client, odense, browse, path):
    centre_id = activities_with_sessions(app, client, odense, 4)
    staff = browse(odense, "dropin_outreach")
    with Statements(app) as run:
        r = staff.get(page(odense, path.format(centre_id=centre_id)))
    assert r.status_code == 200 and "Kursus 3" in r.text
    assert run.on("dropin_activity_session") == 1


def test_the_evaluation_reads_the_meetings_and_surveys_once_per_service_not_per_centre(app, client, odense):
    headers = odense.dropin_coordinator.headers
    for number in range(5):
        r = client.post(odense.url(f"{X}/centres"), headers=headers, json={"name": f"Sted {number}",
                                                                          "ownership": "private"})
        assert r.status_code == 201, r.json
    with Statements(app) as run:
        r = client.get(odense.url(f"{X}/evaluation?start=2026-01-01&end=2026-12-31"), headers=headers)
    assert r.status_code == 200 and len(r.json["centres"]) == 5
    # every service together and each of the three outreach services: 4 for the municipality and
    # 4 for all the centres together, whatever their number
    assert run.on("dropin_statutory_meeting") <= 8
    assert run.on("dropin_survey_response") <= 2


def test_the_team_pages_confirmations_are_marked_for_the_catalogue():
    marked = extracted_texts(Path(velferd_dropin.__file__).parent)
    for text in ("The member is added.", "The meeting is recorded.", "The working group is added.",
                 "The item is added to the plan.", "The phase is planned."):
        assert (None, text) in marked, text


def test_the_survey_averages_are_written_with_a_decimal_comma_in_danish(app, client, odense):
    from tests.plugins.dropin.pages import text_of
    from tests.web.conftest import BROWSER_ACCEPT
    from tests.web.pages import log_in
    from velferd.clock import tenant_today

    r = client.post(odense.url(f"{X}/centres"), headers=odense.dropin_coordinator.headers,
                    json={"name": "Café Vest", "ownership": "private"})
    today = tenant_today(odense.tenant).isoformat()
    for score in (4, 5):
        answer = {"centre_id": r.json["id"], "answered_on": today, "satisfied": score}
        assert client.post(odense.url(f"{X}/surveys/citizen"), headers=odense.dropin_centre_staff.headers,
                           json=answer).status_code == 201
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, odense.dropin_coordinator.email).status_code == 302
    text = text_of(browser.get(page(odense, "/surveys")))
    assert "4,50" in text and "4.50" not in text
