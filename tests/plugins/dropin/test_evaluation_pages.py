"""The evaluation page and its CSV: the period form (this year so far when none is given; a bad
date or an end before the start a 422 with the error summary linking to the input), every centre
together and each centre as tables with row headers, the unit cost per citizen in kroner, each
figure explained in a sentence; the CSV has the same figures; EVALUATION_READ only."""

from __future__ import annotations

import csv
import io

from tests.plugins.dropin.pages import X, page, text_of
from tests.plugins.dropin.test_evaluation import PERIOD, build


def test_the_evaluation_page_shows_the_report_of_the_period(client, odense, browse):
    build(client, odense)
    coordinator = browse(odense, "dropin_coordinator")
    path = page(odense, "/evaluation")
    r = coordinator.get(f"{path}?{PERIOD}")
    assert r.status_code == 200, r.text
    text = text_of(r)
    for words in ("Every centre together", "Café Vest", "Broen", "Citizens not known to the municipality before",
                  "75.0 %", "33.3 %", "66.7 %", "Cost per citizen in 2025", "91,500.01", "no figure",
                  "The citizens' view", "Earlier contact: the contacts record whether",
                  "Download the report as CSV"):
        assert words in text, words
    assert 'scope="row"' in r.text and 'scope="col"' in r.text and "<caption>" in r.text
    assert coordinator.get(path).status_code == 200  # this year so far


def test_a_bad_period_is_refused_naming_the_input(odense, browse):
    coordinator = browse(odense, "dropin_coordinator")
    path = page(odense, "/evaluation")
    for query, name in (("start=2025-02-01&end=2025-01-01", "end"), ("start=soon&end=2025-01-01", "start")):
        r = coordinator.get(f"{path}?{query}")
        assert r.status_code == 422, r.text
        assert f'href="#evaluation-period-field-{name}"' in r.text and 'aria-invalid="true"' in r.text
    assert coordinator.get(f"{path}/report.csv?start=2025-02-01&end=2025-01-01").status_code == 422


def test_the_csv_has_the_reports_figures(client, odense, browse):
    build(client, odense)
    r = browse(odense, "dropin_coordinator").get(page(odense, f"/evaluation/report.csv?{PERIOD}"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert 'filename="dropin-evaluation-2025-01-01-2025-12-31.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["Where", "Figure", "Service", "Value"]
    assert ["Every centre", "Citizens reached", "", "4"] in rows
    assert ["Café Vest", "Citizens not known before, per cent of those reached", "", "66.7"] in rows
    assert ["Every centre", "No-show rate at the office, per cent", "Every service", "66.7"] in rows
    assert ["Every centre", "Cost per citizen 2025, DKK", "Outreach case processing", "91500.01"] in rows
    assert ["Every centre", "Cost per citizen 2025, DKK", "Outreach substance-abuse work", ""] in rows


def test_a_centre_named_like_a_formula_is_text_in_the_csv(client, odense, browse):
    build(client, odense)
    r = client.post(odense.url(f"{X}/centres"), headers=odense.dropin_coordinator.headers,
                    json={"name": "=HYPERLINK(\"https://evil.example\")", "ownership": "private", "slug": "evil"})
    assert r.status_code == 201, r.json
    rows = list(csv.reader(io.StringIO(
        browse(odense, "dropin_coordinator").get(page(odense, f"/evaluation/report.csv?{PERIOD}")).text)))
    names = {row[0] for row in rows}
    assert "'=HYPERLINK(\"https://evil.example\")" in names and not any(n.startswith("=") for n in names)


def test_only_evaluation_read_sees_the_page(odense, browse):
    for role in ("dropin_centre_staff", "dropin_outreach"):
        assert browse(odense, role).get(page(odense, "/evaluation")).status_code == 403
        assert browse(odense, role).get(page(odense, f"/evaluation/report.csv?{PERIOD}")).status_code == 403
