"""Where billing keeps files: under ``<instance>/tenants/<tenant id>/…``, one folder per tenant,
so no path is shared between municipalities. Writes are atomic (a temporary file renamed into
place), so a reader — the finance system, an access-point client — never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app

EHF_OUTBOX = "ehf-outbox"
FINANCE_EXPORT = "finance-export"


def tenant_folder(tenant_id: int, *parts: str) -> Path:
    folder = Path(current_app.instance_path, "tenants", str(int(tenant_id)), *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_atomically(path: Path, content: bytes) -> Path:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def relative_to_instance(path: Path) -> str:
    return str(Path(path).relative_to(current_app.instance_path))


def instance_file(relative: str) -> Path:
    return Path(current_app.instance_path, relative)
