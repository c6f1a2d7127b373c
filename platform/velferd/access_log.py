"""The citizen's access log: who read or changed what of one person's records, and when.

The right it answers: Normen's factsheet 15 (the patient's right to see who has had access), the
Danish "Min Log", and the EU Court's C-579/21 (Pankki S), which gives the data subject a right of
access to the log of who consulted their data and when — with the staff's *function* rather than
their name, unless the controller decides otherwise. So staff are shown by role and unit, and by
name only where the municipality's policy says so (``tenant.access_log_staff_names``, migration
0016; off by default). The roles and units are the member's *current* ones (a membership keeps
no history of them).

The log is read from the audit trail alone: every ``audit_event`` row naming the person
(``person_id``), which velferd.read_audit writes for every GET that showed them — one record
(``*.read``) or a list view (``*.listed``, with the view and the rows shown) — and the services
write for every change, break of the glass (``case.break_glass`` with the stated reason), refusal
and export. Nothing else of the row is shown: its ``details`` can hold what was changed, and only
the view, the rows shown and a break-the-glass reason are the citizen's to read here.

It must find every row of the person whoever asks (the privacy officer answers for the whole
municipality): it reads the audit trail, which no need-to-know scope narrows, and members and
units, which none narrows either.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from velferd import audit
from velferd.db import db, utcnow
from velferd.errors import NotFound
from velferd.models import AuditEvent, Membership, Person, Tenant, Unit
from velferd.privacy_pdf import PrivacyPdf
from velferd.privacy_texts import language_of, text
from velferd.tenancy import get_owned

READ, LISTED, CHANGED, BREAK_GLASS, REFUSED, EXPORTED = "read", "listed", "changed", "break_glass", "refused", "exported"
KINDS = (READ, LISTED, CHANGED, BREAK_GLASS, REFUSED, EXPORTED)
BREAK_GLASS_ACTION = "case.break_glass"
EXPORT_ACTIONS = frozenset({"person.exported", "person.access_log_exported"})
FORMATS = ("json", "pdf")


def kind_of(action: str) -> str:
    """What an audit action was, for the citizen: read, seen in a list, changed, …"""
    if action == BREAK_GLASS_ACTION:
        return BREAK_GLASS
    if action == "access.refused":
        return REFUSED
    if action in EXPORT_ACTIONS:
        return EXPORTED
    if action.endswith(".read"):
        return READ
    if action.endswith(".listed"):
        return LISTED
    return CHANGED


def staff_names_shown(tenant: Tenant) -> bool:
    """The municipality's policy, read fresh: the request's tenant is a cached copy (api.context)."""
    return bool(db.session.scalar(sa.select(Tenant.access_log_staff_names).where(Tenant.id == tenant.id)))


@dataclass(frozen=True)
class Reader:
    """Who did it, as the citizen is shown them."""

    roles: tuple[str, ...]
    units: tuple[str, ...]
    name: str | None


def _readers(actor_ids: set[int], with_names: bool) -> dict[int, Reader]:
    memberships = db.session.scalars(sa.select(Membership).where(Membership.user_id.in_(actor_ids))).all()
    unit_ids = {unit_id for m in memberships for unit_id in (m.unit_ids or [])}
    units = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).tuples().all())
    return {m.user_id: Reader(tuple(sorted(m.roles or [])), tuple(units[u] for u in (m.unit_ids or []) if u in units),
                              m.user.name if with_names else None)
            for m in memberships}


def _who(reader: Reader | None, language: str) -> dict[str, Any]:
    if reader is None:
        return {"roles": [], "role_names": [], "units": [], "text": text(language, "system")}
    role_names = [text(language, f"role.{role}") for role in reader.roles]
    units = list(reader.units) or [text(language, "unknown_unit")]
    shown = ", ".join(role_names) + f" ({', '.join(units)})"
    who = {"roles": list(reader.roles), "role_names": role_names, "units": list(reader.units),
           "text": f"{reader.name}, {shown}" if reader.name else shown}
    if reader.name:
        who["name"] = reader.name
    return who


def _entry(event: AuditEvent, reader: Reader | None, language: str, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    kind = kind_of(event.action)
    details = event.details or {}
    local = event.at.astimezone(zone)
    entry = {
        "id": event.id, "at": event.at.isoformat(), "local_time": local.strftime("%d.%m.%Y %H:%M"),
        "kind": kind, "kind_text": text(language, f"kind.{kind}"), "action": event.action,
        "record_type": event.record_type, "record_id": event.record_id,
        "record_text": text(language, f"record.{event.record_type}"),
        "view": details.get("view"), "records": details.get("records"),
        "who": _who(reader, language),
    }
    if kind == BREAK_GLASS:
        entry["reason"] = details.get("reason")
    return entry


def access_log(tenant: Tenant, person_id: int) -> dict[str, Any]:
    """The person's access log, oldest first, in the tenant's language; 404 for no such person."""
    person = get_owned(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    language = language_of(tenant.locale)
    zone = zoneinfo.ZoneInfo(tenant.time_zone)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.person_id == person_id)
                                .order_by(AuditEvent.at, AuditEvent.id)).all()
    with_names = staff_names_shown(tenant)
    readers = _readers({e.actor_id for e in events if e.actor_id is not None}, with_names)
    return {
        "person_id": person.id, "given_name": person.given_name, "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat(), "tenant": tenant.slug, "tenant_name": tenant.name,
        "language": language, "time_zone": tenant.time_zone, "generated_at": utcnow().isoformat(),
        "staff_names": with_names,
        "entries": [_entry(e, readers.get(e.actor_id) if e.actor_id is not None else None, language, zone)
                    for e in events],
    }


def access_log_pdf(log: dict[str, Any]) -> bytes:
    """The log as the citizen reads it: one line per access, in the tenant's language."""
    language = log["language"]
    made_at = dt.datetime.fromisoformat(log["generated_at"])
    pdf = PrivacyPdf(text(language, "access_log_title"), log["tenant_name"], made_at)
    intro = "access_log_intro_names" if log["staff_names"] else "access_log_intro"
    pdf.paragraph(text(language, intro, tenant=log["tenant_name"], zone=log["time_zone"]))
    pdf.facts([(text(language, "person"), f"{log['given_name']} {log['family_name']}"),
               (text(language, "birth_date"), dt.date.fromisoformat(log["birth_date"]).strftime("%d.%m.%Y")),
               (text(language, "generated"), made_at.astimezone(zoneinfo.ZoneInfo(log["time_zone"]))
                .strftime("%d.%m.%Y %H:%M"))])
    if not log["entries"]:
        pdf.paragraph(text(language, "no_entries"))
        return pdf.render()
    rows = []
    for entry in log["entries"]:
        what = entry["record_text"] + (f" {entry['record_id']}" if entry["record_id"] else "")
        if entry["kind"] == LISTED and entry["view"]:
            what += f"\n{text(language, 'view')}: {entry['view']}"
        how = entry["kind_text"]
        if entry.get("reason"):
            how += f"\n{text(language, 'reason')}: {entry['reason']}"
        rows.append((entry["local_time"], entry["who"]["text"], how, what))
    pdf.table([text(language, key) for key in ("when", "who", "how", "what")], rows, widths=(26, 62, 44, 46))
    return pdf.render()


def exported(tenant: Tenant, person_id: int, format: str) -> dict[str, Any] | bytes:
    """The log as JSON (a dict) or PDF (bytes), the export itself audited
    (``person.access_log_exported``) in the open transaction; the caller commits."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    log = access_log(tenant, person_id)
    audit.record("person.access_log_exported", "person", person_id, person_id=person_id,
                 details={"format": format, "entries": len(log["entries"])})
    return log if format == "json" else access_log_pdf(log)
