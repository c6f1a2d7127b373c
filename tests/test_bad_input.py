"""Bad input gets a 4xx JSON answer that names the field and the reason — never a 500, never a
traceback — and a refused request leaves nothing half-written."""

from __future__ import annotations

import copy
import datetime as dt
import io
import random
import re
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from tests.all_plugins import all_plugins_database, every_plugin_world  # noqa: F401  (fixtures)
from tests.databases import restore_snapshot, seeded_once
from tests.helpers import add_person, make_municipality, open_case, reloaded, row_counts
from tests.plugins.example import ExamplePlugin
from velferd.db import db
from velferd.identity import complete_norwegian_number, synthetic_national_id
from velferd.models import (
    ApiToken,
    AuditEvent,
    Case,
    CaseEvent,
    Decision,
    FormSubmission,
    Meeting,
    Membership,
    Person,
    Tenant,
    TenantPlugin,
    Unit,
    User,
)
from velferd.plugins.enablement import settings_for
from velferd.tenancy import tenant_scope

KNOWN_ID = synthetic_national_id(dt.date(2004, 5, 6), "NO", random.Random(1))
WRONG_CHECK_DIGIT = KNOWN_ID[:10] + str((int(KNOWN_ID[10]) + 1) % 10)
#: Check digits fine, but 31 February: the birth date does not exist.
NO_SUCH_DAY = next(n for s in range(100) if (n := complete_norwegian_number(f"318205{s:03d}")))
REFERRAL = {"motivation": "Needs housing.", "criteria": ["needs_housing"], "age": 19}


@dataclass
class Bad:
    """One bad request: what is sent, by whom, what must come back, and which tables it touches."""

    id: str
    method: str
    path: str  # relative to /api/t/bergen unless it starts with /api
    status: int
    says: str  # part of the message
    field: str | None = None  # must be in `fields`
    json: Any = None
    raw: str | None = None  # sent as an application/json body as is
    caller: str = "caseworker"  # a Bergen role, or one of CALLERS below
    tables: tuple = ()


CASES = [
    Bad("malformed-json", "POST", "/persons", 400, "not valid JSON", "json", raw='{"national_id": "1',
        tables=(Person,)),
    Bad("json-not-an-object", "POST", "/persons", 422, "is invalid", "_schema", raw="[1, 2]", tables=(Person,)),
    Bad("form-encoded-instead-of-json", "POST", "/persons", 422, "national_id", "national_id", tables=(Person,)),
    Bad("unknown-field-on-person", "POST", "/persons", 422, "nickname", "nickname",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann", "nickname": "Olen"},
        tables=(Person,)),
    Bad("unknown-field-on-case", "POST", "/cases", 422, "priority", "priority",
        json={"person_id": "{person}", "plugin": "example", "priority": "high"}, tables=(Case, CaseEvent)),
    Bad("unknown-field-on-transition", "POST", "/cases/{case}/transitions", 422, "force", "force",
        json={"transition": "assess", "force": True}, tables=(CaseEvent,)),
    Bad("unknown-query-parameter", "GET", "/persons?sort=name", 422, "sort", "sort"),
    Bad("national-id-wrong-check-digit", "POST", "/persons", 422, "wrong second check digit", "national_id",
        json={"national_id": WRONG_CHECK_DIGIT, "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("national-id-too-short", "POST", "/persons", 422, "must be 11 digits, not 6", "national_id",
        json={"national_id": "010180", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("national-id-no-such-birth-date", "POST", "/persons", 422, "does not exist", "national_id",
        json={"national_id": NO_SUCH_DAY, "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("duplicate-national-id", "POST", "/persons", 409, "already registered", "person_id",
        json={"national_id": KNOWN_ID, "given_name": "Ola", "family_name": "Igjen"}, tables=(Person,)),
    Bad("duplicate-national-id-typed-with-a-space", "POST", "/persons", 409, "already registered", "person_id",
        json={"national_id": KNOWN_ID[:6] + " " + KNOWN_ID[6:], "given_name": "Ola", "family_name": "Igjen"},
        tables=(Person,)),
    Bad("wrong-tenant-slug", "POST", "/api/t/nowhere/persons", 404, "no tenant 'nowhere'",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("missing-token", "POST", "/persons", 401, "log in or send a bearer token", caller="nobody",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("expired-token", "POST", "/persons", 401, "expired at", caller="expired",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("revoked-token", "POST", "/persons", 401, "unknown or revoked", caller="revoked",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("malformed-token", "POST", "/persons", 401, "malformed", caller="malformed",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("token-of-another-tenant", "POST", "/persons", 403, "another tenant", caller="alta",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("transition-not-allowed-from-state", "POST", "/cases/{case}/transitions", 409, "from state 'referred'",
        "state", json={"transition": "accept"}, tables=(Case, CaseEvent)),
    Bad("unknown-transition", "POST", "/cases/{case}/transitions", 404, "has no transition 'approve'",
        json={"transition": "approve"}, tables=(CaseEvent,)),
    Bad("transition-without-permission", "POST", "/cases/{case}/transitions", 403, "decisions:override",
        json={"transition": "close"}, tables=(CaseEvent,)),
    Bad("settings-out-of-range", "PATCH", "/plugins/example/settings", 422, "max_age", "max_age",
        json={"max_age": 99}, caller="tenant_admin", tables=(TenantPlugin,)),
    Bad("settings-unknown-key", "PATCH", "/plugins/example/settings", 422, "colour", "colour",
        json={"max_age": 25, "colour": "red"}, caller="tenant_admin", tables=(TenantPlugin,)),
    Bad("settings-wrong-type", "PATCH", "/plugins/example/settings", 422, "places", "places",
        json={"places": "many"}, caller="tenant_admin", tables=(TenantPlugin,)),
    Bad("case-for-a-person-of-another-tenant", "POST", "/cases", 422, "do not exist here", "person_id",
        json={"person_id": "{alta_person}", "plugin": "example"}, tables=(Case, CaseEvent)),
    Bad("case-for-a-person-id-beyond-any-row", "POST", "/cases", 422, "person_id", "person_id",
        json={"person_id": 10**30, "plugin": "example"}, tables=(Case, CaseEvent)),
    Bad("case-with-a-non-existent-unit", "POST", "/cases", 422, "do not exist here", "referring_unit_id",
        json={"person_id": "{person}", "plugin": "example", "referring_unit_id": 4711}, tables=(Case, CaseEvent)),
    Bad("path-id-beyond-any-row", "GET", "/persons/99999999999999999999", 404, "not found"),
    Bad("page-size-too-large", "GET", "/cases?limit=1000", 422, "limit", "limit"),
    Bad("paging-from-a-huge-id", "GET", "/cases?after_id=99999999999999999999", 422, "after_id", "after_id"),
    Bad("form-missing-field", "POST", "/forms/example/referral/submissions", 422, "motivation", "motivation",
        json={"data": {"criteria": [], "age": 19}}, tables=(FormSubmission,)),
    Bad("form-for-another-tenants-case", "POST", "/forms/example/referral/submissions", 422, "case", "case_id",
        json={"data": REFERRAL, "case_id": "{alta_case}"}, tables=(FormSubmission,)),
    Bad("rule-input-not-a-number", "POST", "/rules/example/eligibility/evaluations", 422, "age", "age",
        json={"inputs": {"age": "old", "criteria": []}}, tables=(Decision,)),
    Bad("override-without-reason", "POST", "/decisions/{decision}/overrides", 422, "reason", "reason",
        json={"outcome": "eligible"}, caller="leader", tables=(Decision,)),
    Bad("meeting-without-time-zone", "POST", "/cases/{case}/meetings", 422, "starts_at", "starts_at",
        json={"kind": "first", "starts_at": "2026-03-02T09:30:00"}, tables=(Meeting,)),
    Bad("token-valid-too-long", "POST", "/tokens", 422, "valid_days", "valid_days",
        json={"name": "forever", "valid_days": 10000}, tables=(ApiToken,)),
    Bad("member-with-an-unknown-role", "POST", "/members", 422, "unknown roles: king", "roles",
        json={"email": "new@bergen.test", "name": "New", "roles": ["king"]}, caller="tenant_admin",
        tables=(User, Membership)),
    Bad("member-with-a-short-password", "POST", "/members", 422, "password", "password",
        json={"email": "new@bergen.test", "name": "New", "roles": ["caseworker"], "password": "short"},
        caller="tenant_admin", tables=(User, Membership)),
    Bad("unit-with-an-invalid-organisation-number", "POST", "/units", 422, "wrong check digit",
        "organisation_number", json={"name": "NAV Bergenhus", "kind": "nav_office", "organisation_number": "974600952"},
        caller="tenant_admin", tables=(Unit,)),
    Bad("login-with-a-wrong-password", "POST", "/api/auth/login", 401, "wrong e-mail or password",
        json={"email": "caseworker@bergen.test", "password": "guess"}, caller="nobody"),
    # --- characters, lengths and numbers no column can hold (500 on PostgreSQL, stored on SQLite) ---
    Bad("nul-in-a-name", "POST", "/persons", 422, "control character", "given_name",
        json={"national_id": "{new_id}", "given_name": "Ola\u0000", "family_name": "Nordmann"}, tables=(Person,)),
    Bad("line-break-in-a-name", "POST", "/persons", 422, "line break", "family_name",
        json={"national_id": "{new_id}", "given_name": "Ola", "family_name": "Nord\nmann"}, tables=(Person,)),
    Bad("unpaired-surrogate-in-a-name", "POST", "/persons", 422, "surrogate", "given_name",
        raw='{"national_id": "01010012345", "given_name": "\\ud800", "family_name": "N"}', tables=(Person,)),
    Bad("nul-in-journal-text", "POST", "/cases/{case}/journal", 422, "control character", "text",
        json={"text": "Met at\u0000 noon"}, tables=(CaseEvent,)),
    Bad("nul-in-a-query-filter", "GET", "/persons?q=%00", 422, "control character", "q"),
    Bad("nul-as-the-tenant-slug-without-credentials", "GET", "/api/t/%00", 400, "control character",
        caller="nobody"),
    Bad("nul-in-the-tenant-slug-without-credentials", "GET", "/api/t/%00/persons", 400, "control character",
        caller="nobody"),
    Bad("meeting-place-longer-than-its-column", "POST", "/cases/{case}/meetings", 422, "200", "place",
        json={"kind": "first", "starts_at": "2026-03-02T09:30:00+01:00", "place": "x" * 201}, tables=(Meeting,)),
    Bad("member-name-longer-than-its-column", "POST", "/members", 422, "name", "name",
        json={"email": "long@bergen.test", "name": "x" * 201, "roles": ["caseworker"]}, caller="tenant_admin",
        tables=(User, Membership)),
    Bad("unit-invoice-email-longer-than-its-column", "POST", "/units", 422, "invoice_email", "invoice_email",
        json={"name": "NAV Bergenhus", "kind": "nav_office", "invoice_email": "a" * 64 + "@" + "b" * 60 + ".no" + ".b" * 70},
        caller="tenant_admin", tables=(Unit,)),
    Bad("datetime-beyond-year-9999-in-utc", "POST", "/cases/{case}/meetings", 422, "UTC", "starts_at",
        json={"kind": "first", "starts_at": "9999-12-31T23:59:59-05:00"}, tables=(Meeting,)),
    Bad("datetime-before-year-1-in-utc", "POST", "/cases/{case}/meetings", 422, "UTC", "starts_at",
        json={"kind": "first", "starts_at": "0001-01-01T00:00:00+05:00"}, tables=(Meeting,)),
    Bad("transition-data-with-nan", "POST", "/cases/{case}/transitions", 400, "NaN is not a JSON number", "json",
        raw='{"transition": "assess", "data": {"score": NaN}}', tables=(Case, CaseEvent)),
    Bad("transition-data-with-infinity", "POST", "/cases/{case}/transitions", 400, "too large", "json",
        raw='{"transition": "assess", "data": {"score": 1e400}}', tables=(Case, CaseEvent)),
    Bad("transition-data-with-nul", "POST", "/cases/{case}/transitions", 422, "control character", "data.note",
        json={"transition": "assess", "data": {"note": "\u0000"}}, tables=(Case, CaseEvent)),
    Bad("json-nested-100000-deep", "POST", "/persons", 400, "nested too deeply", "json",
        raw="[" * 100_000 + "]" * 100_000, tables=(Person,)),
    Bad("json-nested-beyond-the-limit", "POST", "/forms/example/referral/submissions", 400, "nested deeper", "json",
        raw='{"data": {"motivation": ' + "[" * 40 + "]" * 40 + "}}", tables=(FormSubmission,)),
    Bad("body-larger-than-the-limit", "POST", "/cases/{case}/journal", 413, "larger than",
        raw='{"text": "' + "x" * 2_000_000 + '"}', tables=(CaseEvent,)),
]


@pytest.fixture
def world(app, seeded_world):
    """`bad_input_world` in this test's own database: (Bergen, callers' headers, ids)."""
    snapshot, (bergen, callers, ids) = seeded_world
    restore_snapshot(snapshot, app)
    return reloaded(app, bergen), copy.deepcopy(callers), dict(ids)


def bad_input_world(app, client):
    """Bergen with a person, a case and a decision; Alta with a person and a case; tokens gone bad."""
    bergen = make_municipality(app, "bergen")
    alta = make_municipality(app, "alta", roles=("caseworker",))
    person = add_person(client, bergen, national_id=KNOWN_ID)
    case = open_case(client, bergen, person["id"])
    decision = client.post(bergen.url("/rules/example/eligibility/evaluations"),
                           json={"inputs": {"age": 30, "criteria": []}}, headers=bergen.caseworker.headers).json
    alta_person = add_person(client, alta)
    alta_case = open_case(client, alta, alta_person["id"])
    expired = client.post(bergen.url("/tokens"), json={"name": "old", "valid_days": 1}, headers=bergen.leader.headers).json
    revoked = client.post(bergen.url("/tokens"), json={"name": "gone"}, headers=bergen.leader.headers).json
    client.delete(bergen.url(f"/tokens/{revoked['id']}"), headers=bergen.leader.headers)
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.get(ApiToken, expired["id"]).expires_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        db.session.commit()
    callers = {role: staff.headers for role, staff in bergen.staff.items()}
    callers.update({
        "nobody": {}, "alta": alta.caseworker.headers, "malformed": {"Authorization": "Bearer not-a-token"},
        "expired": {"Authorization": f"Bearer {expired['token']}"},
        "revoked": {"Authorization": f"Bearer {revoked['token']}"},
    })
    ids = {"person": person["id"], "case": case["id"], "decision": decision["id"], "alta_person": alta_person["id"],
           "alta_case": alta_case["id"], "new_id": synthetic_national_id(dt.date(2006, 7, 8), "NO", random.Random(2))}
    return bergen, callers, ids


seeded_world = seeded_once(bad_input_world, ExamplePlugin)  # seeded once for the module


def _fill(value, ids):
    """Put the world's ids into a request template ("{case}" → 3)."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _snapshot(app, town, tables) -> dict:
    """Row counts of the touched tables and of the audit trail (a refused access is audited by
    design, so those rows are left out), and Bergen's plugin settings."""
    counts = row_counts(app, *tables)
    with app.app_context():
        counts["audit_event"] = 0
        for each in db.session.scalars(sa.select(Tenant)).all():
            with tenant_scope(each):
                counts["audit_event"] += db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                                           .where(AuditEvent.action != "access.refused"))
        with tenant_scope(town.tenant):
            counts["settings"] = settings_for(town.tenant, "example")
    return counts


def assert_error_shape(r, status: int) -> None:
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.is_json
    assert set(r.json) <= {"status", "error", "message", "fields"}
    assert r.json["status"] == status
    assert isinstance(r.json["error"], str) and r.json["error"]
    assert isinstance(r.json["message"], str) and r.json["message"]
    assert "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_bad_request_is_a_4xx_json_error_and_changes_nothing(app, client, world, bad):
    bergen, callers, ids = world
    path = bad.path if bad.path.startswith("/api") else bergen.url(bad.path)
    path = path.format(**ids)
    kwargs: dict[str, Any] = {"headers": callers[bad.caller]}
    if bad.raw is not None:
        kwargs.update(data=bad.raw, content_type="application/json")
    elif bad.json is not None:
        kwargs["json"] = _fill(bad.json, ids)
    elif bad.method == "POST":
        kwargs.update(data=f"national_id={KNOWN_ID}", content_type="application/x-www-form-urlencoded")
    before = _snapshot(app, bergen, bad.tables)

    r = client.open(path, method=bad.method, **kwargs)

    assert_error_shape(r, bad.status)
    assert bad.says in r.json["message"]
    if bad.field is not None:
        assert bad.field in r.json["fields"], r.json
    assert _snapshot(app, bergen, bad.tables) == before


# --- a sweep over every route: whatever is sent, no 5xx and no traceback -----------------------

JUNK = [None, "{", "null", "[]", '{"junk": 1, "name": 12345, "person_id": "x"}']
PARAMS = {"tenant": "bergen", "plugin": "example", "plugin_id": "example", "name": "referral"}


ROUTE_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _urls(app, int_value: str):
    """Every method of every route, with its arguments filled in (ints with `int_value`)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = ROUTE_ARGUMENT.sub(
            lambda m: int_value if m.group(1) == "int" else PARAMS.get(m.group(2), "x"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.endpoint) != ("DELETE", "tenant.revoke_token"):  # would revoke the caller's own token
                yield method, path


@pytest.mark.parametrize("role", ["leader", "tenant_admin"])
@pytest.mark.parametrize("record", ["case", "absent"])
def test_no_route_answers_junk_with_a_5xx_or_a_traceback(app, client, world, role, record):
    bergen, callers, ids = world
    seen = 0
    for method, path in _urls(app, str(ids.get(record, 4711))):
        for body in JUNK:
            kwargs = {} if body is None else {"data": body, "content_type": "application/json"}
            r = client.open(path, method=method, headers=callers[role], **kwargs)
            # a PDF or zip answered (the citizen's access log, their export) is no text to search
            binary = r.status_code < 400 and r.mimetype in ("application/pdf", "application/zip")
            text = "" if binary else r.get_data(as_text=True)
            assert r.status_code < 500, f"{method} {path} {body!r}: {text}"
            assert "Traceback" not in text, f"{method} {path} {body!r}"
            if r.status_code >= 400:
                assert_error_shape(r, r.status_code)
            seen += 1
    assert seen > 100


# --- the programmes: DUE's invoice-line preview and nav_split's transitions -----------------------


@pytest.mark.parametrize("period", ["0000-01", "1999-12", "2026-13", "9999-12"])
def test_due_invoice_line_preview_refuses_an_impossible_period_with_a_422(every_plugin_world, period):
    world = every_plugin_world
    r = world.client.get(world.town.url(f"/x/due/invoice-lines?period={period}"), headers=world.town.every_role.headers)
    if period == "9999-12":  # a real month, if far away: nothing to bill yet
        assert r.status_code == 200, r.json
        assert r.json == []
    else:
        assert_error_shape(r, 422)
        assert "period" in r.json["fields"]


@pytest.mark.parametrize("data, status, field", [
    ('{"score": NaN}', 400, "json"),
    ('{"score": 1e400}', 400, "json"),
    ('{"note": "\\u0000"}', 422, "data.note"),
    ('{"note": "fine"}', 422, "note"),  # nav_split's transitions declare an empty payload
])
def test_nav_split_transition_data_is_its_declared_payload(every_plugin_world, data, status, field):
    world = every_plugin_world
    headers = world.town.every_role.headers
    person = world.client.post(world.town.url("/persons"), headers=headers, json={
        "national_id": KNOWN_ID, "given_name": "Kari", "family_name": "Nordmann"}).json
    case = world.client.post(world.town.url("/cases"), json={"person_id": person["id"], "plugin": "nav_split"},
                             headers=headers).json
    before = row_counts(world.app, CaseEvent)

    r = world.client.post(world.town.url(f"/cases/{case['id']}/transitions"), headers=headers,
                          data='{"transition": "escalate", "data": ' + data + "}", content_type="application/json")

    assert_error_shape(r, status)
    assert field in r.json["fields"], r.json
    assert row_counts(world.app, CaseEvent) == before
    journal = world.client.get(world.town.url(f"/cases/{case['id']}/journal"), headers=headers)
    assert journal.status_code == 200 and "NaN" not in journal.get_data(as_text=True)


def test_a_body_sent_without_a_length_is_cut_off_at_the_limit_with_a_413(app, client, world):
    """Chunked uploads carry no Content-Length; Flask's MAX_CONTENT_LENGTH stops them as they grow."""
    bergen, callers, ids = world
    app.config["MAX_CONTENT_LENGTH"] = 1000
    before = _snapshot(app, bergen, (CaseEvent,))
    body = io.BytesIO(b'{"text": "' + b"x" * 5000 + b'"}')

    r = client.post(bergen.url(f"/cases/{ids['case']}/journal"), input_stream=body, content_type="application/json",
                    headers={**callers["caseworker"], "Transfer-Encoding": "chunked"},
                    environ_overrides={"wsgi.input_terminated": True})  # as gunicorn says of chunked input

    assert_error_shape(r, 413)
    assert _snapshot(app, bergen, (CaseEvent,)) == before
