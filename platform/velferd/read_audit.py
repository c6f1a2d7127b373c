"""Every read of a citizen's records leaves an audit row, without any view having to remember it.

Which rows are about a person is declared once, by the data model (velferd.person_links: a
`Person`, or a row with a foreign key to a person-linked table), so a plugin's new table is
covered the day it is added.

During a GET (or HEAD) under ``/api/t/<tenant>/…`` or a page under ``/t/<tenant>/…`` the ORM's ``load`` event collects each
person-linked row the request loads. When the response is ready, the rows are traced to their
persons (one query per step, e.g. meeting → case → person) and one audit row is written **per
person shown**: ``<record>.read`` for one record, ``<record>.listed`` for a list, with the view
and the ids of what was shown in ``details``. One row per person, not one per list with a JSON
array of ids, so a person's access log is an indexed ``person_id = …`` query on every database,
and it lists the list views that showed them.

Writes are not also audited as reads (their own row says what happened), so only GET and HEAD
collect. A person who already has an audit row from this request (a view that recorded its own)
gets no second one.

Refused access is audited too: a 403 or 404 on a URL of a known tenant writes
``access.refused`` in *that* tenant (the one in the URL), with the status, method and path. The
record's person is named only when the URL's ``person_id``/``case_id`` exists in that tenant;
another tenant's id finds nothing there, so nothing of the other tenant is read or written.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g, request
from sqlalchemy import event

from velferd import audit, need_to_know
from velferd.db import Base, db
from velferd.models import Case, Person
from velferd.person_links import audit_name, person_link
from velferd.tenancy import current_tenant

READ_METHODS = frozenset({"GET", "HEAD"})
REFUSED_STATUSES = frozenset({403, 404})
#: the API's tenant routes and the web pages' (velferd.web): the same reads, the same rule
TENANT_PATHS = ("/api/t/", "/t/")


# --- collecting what a request loaded ----------------------------------------------------------

@dataclass
class _Reads:
    """Person-linked rows this request loaded: model → {row id: the value of its link column}."""

    rows: dict[type, dict[int, Any]] = field(default_factory=dict)
    resolving: bool = False


#: this request's collection, or None: set before a read of a tenant's records is handled and reset
#: after it (`_start_collecting`, `_stop_collecting`). A context variable rather than `g`: a page
#: loads a hundred rows and each one asks, and `g` is reached through a proxy every time.
_READS: ContextVar[_Reads | None] = ContextVar("velferd_reads", default=None)
TOKEN_KEY = "velferd_reads_token"


def _start_collecting() -> None:
    if request.method in READ_METHODS and request.path.startswith(TENANT_PATHS):
        setattr(g, TOKEN_KEY, _READS.set(_Reads()))


def _stop_collecting(error: BaseException | None) -> None:
    token = g.pop(TOKEN_KEY, None)
    if token is not None:
        _READS.reset(token)


def _collecting() -> _Reads | None:
    """This request's collection, or None when it collects nothing (not a read of a tenant's
    records, or its reads are being resolved)."""
    reads = _READS.get()
    return None if reads is None or reads.resolving else reads


@event.listens_for(Base, "load", propagate=True)
def _collect_loaded_row(target, context) -> None:
    reads = _collecting()
    if reads is None:
        return
    link = person_link(type(target))
    if link is not None:
        values = target.__dict__
        reads.rows.setdefault(type(target), {})[values.get("id")] = values.get(link.column)


# --- from rows to persons ----------------------------------------------------------------------

class _PersonResolver:
    """Traces rows to their persons, reading each missing step with one query per model."""

    def __init__(self, rows: dict[type, dict[int, Any]]):
        self.links = {model: dict(by_id) for model, by_id in rows.items()}

    def person_of(self, model: type, ids) -> dict[int, int | None]:
        link = person_link(model)
        if link.target is None:
            return {i: i for i in ids}
        known = self.links.setdefault(model, {})
        missing = [i for i in ids if i not in known]
        if missing:
            column = getattr(model, link.column)
            known.update(db.session.execute(sa.select(model.id, column).where(model.id.in_(missing))).tuples().all())
        steps = {i: known.get(i) for i in ids}
        upward = self.person_of(link.target, {v for v in steps.values() if v is not None})
        return {i: upward.get(v) for i, v in steps.items()}


def persons_shown(rows: dict[type, dict[int, Any]]) -> dict[int, dict[type, list[int]]]:
    """person id → the records of each model this request showed of them."""
    resolver = _PersonResolver(rows)
    shown: dict[int, dict[type, list[int]]] = {}
    for model, by_id in rows.items():
        for row_id, person_id in resolver.person_of(model, list(by_id)).items():
            if person_id is not None:
                shown.setdefault(person_id, {}).setdefault(model, []).append(row_id)
    return shown


def _view() -> str:
    """The route that showed the records, without its tenant part: ``GET /cases/<int:case_id>``
    for the API, ``GET /cases/<int:case_id> (web)`` for a page."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    if rule.startswith("/api/t/<tenant>"):
        return f"{request.method} {rule.removeprefix('/api/t/<tenant>')}"
    return f"{request.method} {rule.removeprefix('/t/<tenant>')} (web)"


def _names_one_record() -> bool:
    return any(isinstance(value, int) for value in (request.view_args or {}).values())


def _record_reads(reads: _Reads) -> None:
    """One audit row per person the response showed (see the module's docstring)."""
    reads.resolving = True
    shown = persons_shown(reads.rows)
    already = g.get("velferd_audited_persons", set())
    order = list(reads.rows)  # models in the order the request first loaded them
    primary = next((m for m in order if m is not Person), Person)
    entries, view = [], _view()
    for person_id in sorted(set(shown) - already):
        records = shown[person_id]
        model = primary if primary in records else next(m for m in order if m in records)
        ids = sorted(records[model])
        single = len(ids) == 1 and _names_one_record() and len(reads.rows[model]) == 1
        entries.append(audit.Entry(
            f"{audit_name(model)}.{'read' if single else 'listed'}", audit_name(model),
            ids[0] if len(ids) == 1 else None, person_id,
            {"view": view, "records": {audit_name(m): sorted(v) for m, v in records.items()}}))
    audit.record_each(entries)


# --- refused access ----------------------------------------------------------------------------

def _person_named_by_url() -> int | None:
    """The person whose record the URL names, if it is this tenant's (tenant-scoped queries; past
    the caller's need to know, so that a refusal of a case outside it is on the person's record)."""
    with need_to_know.unscoped():
        return _person_of_url_args(request.view_args or {})


def _person_of_url_args(args: dict) -> int | None:
    if isinstance(args.get("person_id"), int):
        return db.session.scalar(sa.select(Person.id).where(Person.id == args["person_id"]))
    if isinstance(args.get("case_id"), int):
        return db.session.scalar(sa.select(Case.person_id).where(Case.id == args["case_id"]))
    return None


def _record_refusal(status: int) -> None:
    db.session.rollback()  # whatever the refused request had begun is not kept
    reads = _READS.get()
    if reads is not None:
        reads.resolving = True
    audit.record("access.refused", "request", None, person_id=_person_named_by_url(),
                 details={"status": status, "method": request.method, "path": request.path, "view": _view()})


def _audit_what_the_response_showed(response: Response) -> Response:
    if current_tenant() is None or not request.path.startswith(TENANT_PATHS):
        return response
    if response.status_code in REFUSED_STATUSES:
        _record_refusal(response.status_code)
    elif 200 <= response.status_code < 300 and request.method in READ_METHODS:
        reads = _READS.get()
        if reads is None or not reads.rows:
            return response
        _record_reads(reads)
    else:
        return response
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start_collecting)  # before any row is loaded
    app.after_request(_audit_what_the_response_showed)
    app.teardown_request(_stop_collecting)
