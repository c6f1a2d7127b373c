"""What the read-audit tests check, for the core's routes and each plugin's alike: every GET in
the OpenAPI document, called with real records present, leaves an audit row for each person
whose records the response shows; refused access leaves one in the tenant of the URL."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.helpers import Municipality, Staff
from velferd.db import db
from velferd.models import AuditEvent, Case
from velferd.tenancy import tenant_scope

PREFIX = "/api/t/{tenant}"


def get_operations(app, below: str = "") -> list[str]:
    """The paths (below /api/t/{tenant}) of every GET in the app's OpenAPI document."""
    doc = app.test_client().get("/api/openapi.json").get_json()
    return sorted(path[len(PREFIX):] for path, item in doc["paths"].items()
                  if path.startswith(PREFIX + below) and "get" in item)


def fill(path: str, ids: dict) -> str:
    """``/cases/{case_id}`` → ``/cases/17``; ``ids["forms.name"]`` before ``ids["name"]``."""
    resource = path.strip("/").split("/")[0]
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(f"{resource}.{m.group(1)}", ids.get(m.group(1)))), path)


def audit_since(app, town: Municipality, after_id: int) -> list[AuditEvent]:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)).all()


def last_audit_id(app, town: Municipality) -> int:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0)))


def _values(body, key: str):
    if isinstance(body, dict):
        for k, v in body.items():
            if k == key and isinstance(v, int):
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(body, list):
        for v in body:
            yield from _values(v, key)


def persons_in(app, town: Municipality, path: str, body, case_keys: dict | None = None) -> set[int]:
    """The persons a response shows, read from it independently of the code under test: its
    ``person_id``s, the persons of its ``case_id``s, and the ids of a /persons response.
    `case_keys` adds keys of records that belong to a case: ``{"forum_decision_id": ForumDecision}``."""
    if path.startswith("/audit"):
        return set()  # the trail itself: which person ids were accessed, no record of theirs
    if path.endswith("/access-log"):
        return {int(path.split("/")[2])}  # the person whose log it is, not the persons in it
    persons = set(_values(body, "person_id"))
    if path.split("?")[0].startswith("/persons") and path.count("/") <= 2:
        persons |= set(_values(body if isinstance(body, list) else [body], "id"))
    case_ids = set(_values(body, "case_id"))
    for key, model in (case_keys or {}).items():
        if ids := set(_values(body, key)):
            with app.app_context(), tenant_scope(town.tenant):
                case_ids |= set(db.session.scalars(sa.select(model.case_id).where(model.id.in_(ids))))
    if path.startswith("/cases/") or path.startswith("/x/") and "/cases/" in path:
        case_ids |= {int(part) for part in path.split("/") if part.isdigit()}
    if case_ids:
        with app.app_context(), tenant_scope(town.tenant):
            persons |= set(db.session.scalars(sa.select(Case.person_id).where(Case.id.in_(case_ids))))
    return persons


def check_every_get_is_audited(app, client, town: Municipality, staff: Staff, paths: list[str], ids: dict,
                               case_keys: dict | None = None) -> set[str]:
    """Call each GET as `staff`; assert that every person the response shows has an audit row
    from that request naming the actor and the view. Returns the paths that showed persons."""
    showing = set()
    for path in paths:
        url = fill(path, ids)
        before = last_audit_id(app, town)
        r = client.get(town.url(url), headers=staff.headers)
        assert 200 <= r.status_code < 300, (url, r.status_code, r.get_data(as_text=True)[:300])
        shown = persons_in(app, town, url, r.get_json(silent=True), case_keys) if r.is_json else set()
        rows = audit_since(app, town, before)
        audited = {row.person_id for row in rows if row.person_id is not None}
        assert shown <= audited, f"GET {path} showed persons {sorted(shown - audited)} with no audit row: {rows}"
        for row in rows:
            assert row.actor_id == staff.user_id, (path, row.action)
        if shown:
            showing.add(path)
    return showing


def check_refusal_is_audited(app, client, town: Municipality, staff: Staff, url: str, status: int,
                             person_id: int | None) -> AuditEvent:
    """`url` at `town` answers `status` and leaves exactly one access.refused row in `town`."""
    before = last_audit_id(app, town)
    r = client.get(town.url(url), headers=staff.headers)
    assert r.status_code == status, (url, r.status_code)
    (row,) = audit_since(app, town, before)
    assert (row.action, row.record_type, row.person_id) == ("access.refused", "request", person_id), url
    assert row.details == {"status": status, "method": "GET", "path": town.url(url), "view": row.details["view"]}
    return row
