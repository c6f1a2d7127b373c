"""The housing's leader sees today's flats on the dashboard, each figure a link to the board that
shows them."""

from __future__ import annotations

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.pages import text_of


def test_the_dashboard_counts_todays_flats_and_links_to_the_board(browse, client, alta):
    flats = flow.flats(client, alta)
    flow.resident(client, alta, flats["1"], flow.today())
    waiting = flow.ready_for_intake(client, alta, flow.today().replace(year=flow.today().year - 1), flow.today())
    r = client.post(alta.url(f"{flow.X}/reservations"), headers=alta.aftercare_leader.headers,
                    json={"flat_id": flats["2"], "case_id": waiting, "starts_on": flow.today().isoformat()})
    assert r.status_code == 201, r.json

    browser = browse(alta, "aftercare_leader")
    page = browser.get("/t/alta/dashboard")
    assert page.status_code == 200
    for figure in ("5 flats free", "1 flat reserved", "1 flat lived in"):
        assert f'<a href="/t/alta/x/aftercare/board">{figure}</a>' in page.text, figure
    assert "Free: 5. Reserved: 1. Occupied: 1." in text_of(browser.get("/t/alta/x/aftercare/board"))
