"""The billing profile's bank account as finance types it: with the dots or spaces people write
between the groups, stored in one form (what the invoices print), still checked by its check
digits (MOD11 in Norway, ISO 13616 for an IBAN); anything else a 422 naming bank_account."""

from __future__ import annotations

import pytest

from tests.helpers import make_municipality


@pytest.mark.parametrize("typed", ["1503.12.34562", "1503 12 34562", "15031234562", "1503-12-34562"])
def test_a_norwegian_account_is_taken_with_its_usual_separators_and_stored_as_written(client, bergen, typed):
    url, finance = bergen.url("/billing-profile"), bergen.finance.headers
    r = client.put(url, json={"bank_account": typed}, headers=finance)
    assert r.status_code == 200, r.json
    assert client.get(url, headers=finance).json["bank_account"] == "1503 12 34562"


@pytest.mark.parametrize("typed, reason", [
    ("1503.12.34567", "MOD11"),  # a wrong check digit, dots or not
    ("1503.12.3456", "11 digits"),
    ("1503/12/34562", "8-34 digits or letters"),
    ("NO93.8601.1117.948", "ISO 13616"),
])
def test_a_mistyped_account_is_refused_naming_the_field_and_why(client, bergen, typed, reason):
    r = client.put(bergen.url("/billing-profile"), json={"bank_account": typed}, headers=bergen.finance.headers)
    assert r.status_code == 422, r.json
    assert reason in r.json["fields"]["bank_account"][0]


def test_an_iban_is_stored_compact_and_a_danish_account_as_reg_nr_and_number(app, client, bergen):
    r = client.put(bergen.url("/billing-profile"), json={"bank_account": "no93 8601.1117 947"},
                   headers=bergen.finance.headers)
    assert (r.status_code, r.json["bank_account"]) == (200, "NO9386011117947")
    odense = make_municipality(app, "odense")
    r = client.put(odense.url("/billing-profile"), json={"bank_account": "0040.0440116243"},
                   headers=odense.finance.headers)
    assert (r.status_code, r.json["bank_account"]) == (200, "0040 0440116243")
