"""Values that reach the session by any path — a service, a job, a plugin without a schema —
are checked against their columns before the flush: a 422 naming the field, the same on
SQLite (which would store them) and PostgreSQL (which would fail with a 500), and nothing is
written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import add_person, open_case, row_counts
from velferd.db import db
from velferd.errors import ValidationFailed
from velferd.models import BillingProfile, CaseEvent, Meeting
from velferd.tenancy import tenant_scope

LATE = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
EARLY = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def meeting(case_id, **changes) -> Meeting:
    values = {"case_id": case_id, "kind": "first", "starts_at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)}
    return Meeting(**{**values, **changes})


def journal_entry(case_id, **changes) -> CaseEvent:
    return CaseEvent(**{"case_id": case_id, "kind": "note", **changes})


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


BAD_ROWS = [
    ("string-longer-than-its-column", lambda c: meeting(c, place="x" * 201), "place", "at most 200 characters"),
    ("nul-in-free-text", lambda c: meeting(c, minutes="held\x00"), "minutes", "control character"),
    ("line-break-in-a-one-line-column", lambda c: meeting(c, kind="first\nsecond"), "kind", "line break"),
    ("lone-surrogate", lambda c: journal_entry(c, text="\ud800"), "text", "surrogate"),
    ("nan-in-json", lambda c: journal_entry(c, data={"score": float("nan")}), "data.score", "finite"),
    ("nul-in-json", lambda c: journal_entry(c, data={"items": ["ok", "\x00"]}), "data.items.1", "control character"),
    ("json-nested-too-deep", lambda c: journal_entry(c, data={"a": nested(40)}), "data.a" + ".0" * 31, "nested deeper"),
    ("integer-beyond-its-column", lambda c: journal_entry(c, actor_id=2**31), "actor_id", "out of range"),
    ("datetime-after-year-9999-in-utc", lambda c: meeting(c, starts_at=LATE), "starts_at", "UTC"),
    ("datetime-before-year-1-in-utc", lambda c: meeting(c, starts_at=EARLY), "starts_at", "UTC"),
]


@pytest.mark.parametrize("make, field, says", [row[1:] for row in BAD_ROWS], ids=[row[0] for row in BAD_ROWS])
def test_a_value_its_column_cannot_hold_is_refused_before_the_flush(app, client, bergen, make, field, says):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    before = row_counts(app, Meeting, CaseEvent)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.add(make(case["id"]))
        with pytest.raises(ValidationFailed) as refused:
            db.session.flush()
        db.session.rollback()
    assert field in refused.value.fields, refused.value.fields
    assert says in refused.value.fields[field][0]
    assert row_counts(app, Meeting, CaseEvent) == before


def test_numeric_beyond_its_precision_is_refused(app, bergen):
    """``vat_rate`` is NUMERIC(5, 2): 1000.00 overflows it (PostgreSQL's NumericValueOutOfRange)."""
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.add(BillingProfile(vat_rate=Decimal("1000.00")))
        with pytest.raises(ValidationFailed) as refused:
            db.session.flush()
        db.session.rollback()
    assert "3 digits before the decimal point" in refused.value.fields["vat_rate"][0]


def test_free_text_keeps_tabs_and_line_breaks_and_a_changed_row_is_checked_too(app, client, bergen):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    with app.app_context(), tenant_scope(bergen.tenant):
        row = meeting(case["id"], minutes="1.\tAgenda\r\n2.\tNext steps\n")
        db.session.add(row)
        db.session.commit()
        row.place = "y" * 300
        with pytest.raises(ValidationFailed) as refused:
            db.session.flush()
        db.session.rollback()
        assert list(refused.value.fields) == ["place"]
        assert db.session.get(Meeting, row.id).minutes == "1.\tAgenda\r\n2.\tNext steps\n"
