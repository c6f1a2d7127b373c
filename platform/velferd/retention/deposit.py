"""Archive packages: a deposited record written as JSON, one file per record, to the tenant's
archive outbox ``instance/tenants/<id>/archive-outbox/``.

**The folder stands in for the transfer to the archive depot** (IKA / Arkivverket's deposit, in
Denmark the municipality's archive under arkivloven), as the EHF outbox stands in for the PEPPOL
access point: whatever carries the packages on (a Noark 5 extraction, an ADDML/SIARD package, a
file transfer the depot agrees to) reads them from there. The package holds every column of the
record's rows, the personal ones included — the archive must keep what the case said.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from velferd.billing.files import relative_to_instance, tenant_folder, write_atomically
from velferd.models import Tenant

ARCHIVE_OUTBOX = "archive-outbox"
PACKAGE_FORMAT = "velferd-archive-package/1"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_as_dict(row: Any) -> dict[str, Any]:
    return {attribute.key: _plain(getattr(row, attribute.key)) for attribute in sa.inspect(type(row)).column_attrs}


def package_for(tenant: Tenant, rule: str, record_type: str, record_id: int, rows: list[tuple[str, Any]],
                reason: str, disposal_id: int) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, row in rows:
        tables.setdefault(table, []).append(row_as_dict(row))
    return {
        "format": PACKAGE_FORMAT, "tenant": {"id": tenant.id, "name": tenant.name,
                                             "organisation_number": tenant.organisation_number},
        "record_type": record_type, "record_id": record_id, "rule": rule, "reason": reason,
        "disposal_id": disposal_id, "written_at": dt.datetime.now(dt.UTC).isoformat(), "tables": tables,
    }


def write_package(tenant: Tenant, package: dict[str, Any]) -> str:
    """Write one record's package (atomically); returns its path under the instance folder."""
    name = f"{package['record_type']}-{package['record_id']}-disposal-{package['disposal_id']}.json"
    path: Path = tenant_folder(tenant.id, ARCHIVE_OUTBOX) / name
    write_atomically(path, json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True).encode())
    return relative_to_instance(path)
