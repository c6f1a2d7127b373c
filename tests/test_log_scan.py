"""The scan that fails the run on a national id or name in its logs (tests/log_scan.py) finds them."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.log_scan import findings_in, has_valid_check_digits
from velferd.testing import synthetic_id


def test_a_known_national_id_and_name_are_found_masked_with_the_test_that_wrote_them():
    national_id = synthetic_id("NO", dt.date(1990, 5, 17))
    text = "\n".join(['{"test": "tests/test_x.py::test_a"}', '{"message": "fine"}',
                      '{"test": "tests/test_x.py::test_b"}', f'{{"message": "found {national_id} for Kari Holm"}}'])
    found = findings_in(text, "run.jsonl", {national_id}, {"Kari Holm"})
    assert [(f.line, f.what, f.test) for f in found] == [
        (4, f"national id {national_id[:6]}*****", "tests/test_x.py::test_b"),
        (4, "the name of a person (K.H.)", "tests/test_x.py::test_b")]
    assert national_id not in str(found)


def test_an_unknown_id_with_valid_check_digits_is_found_also_with_a_dash():
    danish = synthetic_id("DK", dt.date(1985, 2, 3))
    text = f"worker: looked up {danish[:6]}-{danish[6:]} and {synthetic_id('NO')}"
    assert [f.what for f in findings_in(text, "worker.log", set(), set())] == [
        f"national id {danish[:6]}****", f"national id {synthetic_id('NO')[:6]}*****"]


def test_ids_timestamps_hashes_and_redacted_text_are_not_findings():
    text = " ".join([uuid.uuid4().hex * 3, "1733155200 seconds", "job 12345678901234", "[redacted]",
                     "010190*****", "2026-12-02T21:00:00.000Z", "invoice 20261200001"])
    assert findings_in(text, "run.jsonl", set(), set()) == []
    assert not has_valid_check_digits("12345678901") and not has_valid_check_digits("3213213213")
