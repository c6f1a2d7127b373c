"""Everything the municipality holds about one person, for their right of access (GDPR art. 15):
one zip archive with a JSON file per table, a manifest and a readable PDF.

What is "about the person" is the rule velferd.read_audit already keeps: a row is person-linked
when it is the `Person` or leads to it through its foreign keys (a case's ``person_id``, a
meeting's ``case_id``, a complaint's ``forum_decision_id`` …). `person_rows` walks that rule for
any set of models, one query per table, so the core's tables and each plugin's are found the same
way and a new table is in the export the day it is added. The core walks its own tables; each
plugin the tenant enabled contributes its own through the ``velferd_person_data`` hook (usually
`person_rows` over its package, plus what the walk cannot find — dropin's anonymous contacts,
tied to the person only by their citizen code). The audit trail's rows about the person are in
it as the access log (velferd.access_log), with staff shown as the log shows them.

Only the person's rows, and nothing in them about anyone else: a reference to *another* person
(a duplicate candidate, a merge) is left out, and a meeting's participants keep their names only
where they are the person or staff (the professional roles); a relative's or another citizen's
name is replaced by ``MASKED``.

It must find the person's rows regardless of the caller's need-to-know scope: the privacy officer
answers for the whole municipality, and an art. 15 answer that silently left out the cases of
units the caller does not work in would be wrong. The caller holds ``audit:read``, a role of
scope ``all`` (velferd.permissions.CASE_SCOPES); the queries here are the tenant's, unnarrowed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd import access_log, audit, need_to_know
from velferd.db import db, utcnow
from velferd.errors import NotFound
from velferd.models import Meeting, Person, Tenant
from velferd.personal_data import declared_columns, mapped_models
from velferd.plugins.enablement import call_hook_by_plugin, enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.privacy_pdf import PrivacyPdf
from velferd.privacy_texts import language_of, text
from velferd.read_audit import person_link
from velferd.tenancy import get_owned

CORE = "core"
MASKED = "***"
#: meeting participants whose name is the person's own or a professional's, kept in the export
KEPT_PARTICIPANT_ROLES = frozenset({"youth", "coordinator", "caseworker", "referring_unit", "other_unit", "leader"})
#: columns never exported: the tenant is the archive's own, a password hash is never read
LEFT_OUT = frozenset({"tenant_id", "password_hash"})
HOOK = "velferd_person_data"


# --- rows as plain JSON ------------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A column's value as JSON: dates and times ISO 8601, money and quantities as text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _other_person_columns(model: type) -> list[str]:
    """Columns of `model` that point at a person (a duplicate candidate, a merge's survivor)."""
    mapper = sa.inspect(model)
    return [attribute.key for attribute in mapper.column_attrs
            if any(key.column.table.name == Person.__tablename__ for key in attribute.columns[0].foreign_keys)]


def exported_row(row: Any, person_id: int) -> dict[str, Any]:
    """`row` as a dict of its columns, with any reference to another person than `person_id` left
    out (None)."""
    model = type(row)
    values = {a.key: plain(getattr(row, a.key)) for a in sa.inspect(model).column_attrs if a.key not in LEFT_OUT}
    for key in _other_person_columns(model):
        if values.get(key) not in (None, person_id):
            values[key] = None
    return values


# --- the walk ----------------------------------------------------------------------------------

def _ids_leading_to(model: type, person_id: int) -> sa.Select:
    """The ids of `model`'s rows that lead to the person, one subquery per step of the link."""
    link = person_link(model)
    if link.target is None:
        return sa.select(model.id).where(model.id == person_id)
    return sa.select(model.id).where(getattr(model, link.column).in_(_ids_leading_to(link.target, person_id)))


def _models_of(package: str) -> list[type]:
    return [m for m in mapped_models() if m.__module__ == package or m.__module__.startswith(f"{package}.")]


def person_rows(person: Person, models: str | Iterable[type]) -> dict[str, list[dict[str, Any]]]:
    """Table → the rows of each person-linked model that lead to `person` (`exported_row`), for
    the models given or every model defined in the package named (a plugin passes its own:
    ``person_rows(person, __package__)``). Tables with no row of the person are left out."""
    chosen = _models_of(models) if isinstance(models, str) else list(models)
    found = {}
    for model in chosen:
        if person_link(model) is None:
            continue
        rows = db.session.scalars(sa.select(model).where(model.id.in_(_ids_leading_to(model, person.id)))
                                  .order_by(model.id)).all()
        if rows:
            found[model.__tablename__] = [exported_row(row, person.id) for row in rows]
    return found


def _masked_participants(rows: list[dict[str, Any]], person: Person) -> list[dict[str, Any]]:
    """A meeting's participants keep the names of the person and of staff; any other name (a
    relative, another citizen) is masked."""
    own_name = person.full_name
    for row in rows:
        row["participants"] = [
            {**p, "name": MASKED} if p.get("name") and p.get("name") != own_name
            and p.get("role") not in KEPT_PARTICIPANT_ROLES else p
            for p in row.get("participants") or []]
    return rows


def core_models() -> list[type]:
    """The core's person-linked models, the person first."""
    models = [m for m in mapped_models() if m.__module__.startswith("velferd.") and person_link(m) is not None]
    return sorted(models, key=lambda m: (m is not Person, m.__tablename__))


# --- the export --------------------------------------------------------------------------------

@dataclass
class Table:
    name: str
    source: str  # "core" or the plugin's id
    rows: list[dict[str, Any]]
    declared: dict[str, str] = field(default_factory=dict)


@dataclass
class SubjectExport:
    tenant: Tenant
    person: Person
    made_at: dt.datetime
    tables: list[Table]
    log: dict[str, Any]

    @property
    def language(self) -> str:
        return language_of(self.tenant.locale)


def _declared_by_table() -> dict[str, dict[str, str]]:
    return {m.__tablename__: declared_columns(m) for m in mapped_models()}


def collect(tenant: Tenant, person_id: int) -> SubjectExport:
    """Everything held about the person (see the module's docstring); 404 for no such person.
    Reads the person's rows whoever the caller is: no need-to-know scope applies (the module's
    docstring says why), so it looks past the caller's (velferd.need_to_know.unscoped) even if a
    role of narrower scope were ever given ``audit:read``."""
    with need_to_know.unscoped():
        return _collect(tenant, person_id)


def _collect(tenant: Tenant, person_id: int) -> SubjectExport:
    person = get_owned(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    declared = _declared_by_table()
    core = person_rows(person, core_models())
    if Meeting.__tablename__ in core:
        _masked_participants(core[Meeting.__tablename__], person)
    tables = [Table(name, CORE, rows, declared.get(name, {})) for name, rows in core.items()]
    for plugin_id, results in sorted(call_hook_by_plugin(HOOK, tenant, person=person).items()):
        for contributed in results:
            for name, rows in (contributed or {}).items():
                tables.append(Table(name, plugin_id, list(rows), declared.get(name, {})))
    for plugin_id, models in sorted(_switched_off_plugins_models(tenant).items()):
        for name, rows in person_rows(person, models).items():
            tables.append(Table(name, plugin_id, rows, declared.get(name, {})))
    return SubjectExport(tenant, person, utcnow(), tables, access_log.access_log(tenant, person_id))


def _switched_off_plugins_models(tenant: Tenant) -> dict[str, list[type]]:
    """Plugin id → the migrated models of each installed programme the municipality does not run
    (now): their rows about the person are still held, so art. 15 covers them. Such a plugin is
    not asked (its hooks reach enabled plugins only); its rows are found by the person links."""
    plugins = registry()
    present = set(sa.inspect(db.session.connection()).get_table_names())
    found = {}
    for plugin_id in sorted(set(plugins.manifests) - enabled_plugin_ids(tenant)):
        implementation = plugins.pm.get_plugin(plugin_id)
        package = getattr(implementation, "__name__", None) or type(implementation).__module__
        models = [m for m in _models_of(package) if m.__tablename__ in present]
        if models:
            found[plugin_id] = models
    return found


def manifest(export: SubjectExport) -> dict[str, Any]:
    return {
        "person_id": export.person.id, "tenant": export.tenant.slug, "tenant_name": export.tenant.name,
        "generated_at": export.made_at.isoformat(), "language": export.language,
        "legal_basis": "GDPR art. 15",
        "files": [{"file": _file_name(t), "table": t.name, "source": t.source, "rows": len(t.rows),
                   "personal_columns": sorted(k for k, v in t.declared.items() if v == "personal"),
                   "special_category_columns": sorted(k for k, v in t.declared.items() if v == "special")}
                  for t in export.tables]
        + [{"file": "access_log.json", "table": "audit_event", "source": CORE, "rows": len(export.log["entries"])},
           {"file": "export.pdf", "table": None, "source": CORE}],
    }


def _file_name(table: Table) -> str:
    return f"{table.name}.json" if table.source == CORE else f"{table.source}/{table.name}.json"


def _value_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def export_pdf(export: SubjectExport) -> bytes:
    """The export as the citizen reads it: per table, each row's filled-in columns, its id and
    the declared personal ones first."""
    language, person = export.language, export.person
    pdf = PrivacyPdf(text(language, "export_title"), export.tenant.name, export.made_at)
    pdf.paragraph(text(language, "export_intro", tenant=export.tenant.name))
    zone = zoneinfo.ZoneInfo(export.tenant.time_zone)
    pdf.facts([(text(language, "person"), person.full_name),
               (text(language, "birth_date"), person.birth_date.strftime("%d.%m.%Y")),
               (text(language, "generated"), export.made_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"))])
    for table in export.tables:
        title = table.name if table.source == CORE else f"{table.name} ({table.source})"
        pdf.heading(f"{title}: {len(table.rows)} {text(language, 'rows')}", size=11)
        for row in table.rows:
            first = ["id"] + [k for k in table.declared if k in row]
            order = first + [k for k in row if k not in first]
            pdf.facts((key, _value_text(row[key])) for key in order if row.get(key) not in (None, "", [], {}))
            pdf.separator()
    pdf.heading(text(language, "access_log_title"), size=11)
    pdf.paragraph(f"{len(export.log['entries'])} {text(language, 'rows')} (access_log.json)")
    return pdf.render()


def archive(export: SubjectExport) -> bytes:
    """The zip: manifest.json, one JSON file per table, access_log.json and export.pdf."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_file:
        def write(name: str, data: Any) -> None:
            archive_file.writestr(name, json.dumps(data, ensure_ascii=False, indent=2, default=plain))

        write("manifest.json", manifest(export))
        for table in export.tables:
            write(_file_name(table), table.rows)
        write("access_log.json", export.log)
        archive_file.writestr("export.pdf", export_pdf(export))
    return buffer.getvalue()


def exported(tenant: Tenant, person_id: int) -> tuple[bytes, str]:
    """The archive and its file name, the export audited (``person.exported``, with the number
    of rows per table) in the open transaction; the caller commits."""
    export = collect(tenant, person_id)
    audit.record("person.exported", "person", person_id, person_id=person_id,
                 details={"tables": {f"{t.source}:{t.name}": len(t.rows) for t in export.tables}})
    return archive(export), f"person-{person_id}-{export.made_at:%Y%m%d}.zip"

