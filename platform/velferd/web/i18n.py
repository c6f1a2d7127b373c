"""Language and formats of the pages: Flask-Babel with the catalogues in ``web/translations``.

The language is the user's choice (kept in the session, `LANGUAGE_KEY`), else the tenant's
locale, else Norwegian bokmål. Dates and times are shown in the tenant's time zone
(velferd.clock), with the CLDR locales the invoices use (velferd.billing.wording).

The compiled catalogues (``.mo``) are committed beside the ``.po`` files, so a wheel built from
any checkout ships them (pyproject's package-data) with no build step of our own;
tests/web/test_translations.py fails when one no longer matches its ``.po``. At app start
`compile_catalogues` rewrites one that is missing or older than its ``.po`` (a translator's
edit in a source checkout shows without a manual step).

Each plugin has its own catalogue (`WebPages.translations`, the same layout); `init_app` merges
them into the one "messages" domain, so a plugin's templates and Python find their texts with
the same `_()`. Flask-Babel merges the directories in order, a later one's message replacing an
earlier one's, so the plugins come first and the core last: the core's wording wins a clash
(a plugin cannot reword the core's pages). A plugin's ``.mo`` is compiled like the core's.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from babel.dates import format_time
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, session
from flask_babel import Babel

from velferd.billing import wording
from velferd.billing.wording import BABEL_LOCALES, babel_locale
from velferd.clock import tenant_zone
from velferd.plugins.manager import PluginRegistry
from velferd.tenancy import current_tenant

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = tuple(BABEL_LOCALES)  # nb, da, en: the tenant locales
DEFAULT_LANGUAGE = "nb"
LANGUAGE_KEY = "lang"
#: What marks a text for the catalogues: Babel's keywords, and ``lazy_gettext`` (a text kept at
#: import time — a menu entry, a role's title — translated when shown) and the no-op ``N_``.
EXTRACTION_KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_": None}


def catalogue_files(language: str, folder: Path | str = TRANSLATIONS) -> tuple[Path, Path]:
    """The ``.po`` and ``.mo`` of `language` in the catalogue `folder` (the core's by default)."""
    messages = Path(folder) / language / "LC_MESSAGES"
    return messages / "messages.po", messages / "messages.mo"


def compile_catalogues(folder: Path | str = TRANSLATIONS) -> None:
    """Write each language's ``.mo`` from its ``.po`` when it is missing or out of date."""
    for language in LANGUAGES:
        po_path, mo_path = catalogue_files(language, folder)
        if not po_path.exists() or mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalogue = read_po(source, locale=language)
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        try:
            with partial.open("wb") as target:
                write_mo(target, catalogue)
            os.replace(partial, mo_path)  # whole or not at all: another process may be reading it
        except OSError:  # an installed, read-only package: the wheel's own .mo is used
            partial.unlink(missing_ok=True)


def page_language() -> str:
    """The user's choice, else the tenant's locale, else nb."""
    chosen = session.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    tenant = current_tenant()
    if tenant is not None and tenant.locale in LANGUAGES:
        return tenant.locale
    return DEFAULT_LANGUAGE


def _page_zone() -> str:
    tenant = current_tenant()
    return tenant.time_zone if tenant is not None else "Europe/Oslo"


def local_date(day: dt.date | dt.datetime) -> str:
    """A date as the invoices write it (``15.01.2020``), in the page's language; a point in time
    is first moved to the tenant's zone, so a case opened at 00:30 in Oslo is dated that day."""
    if isinstance(day, dt.datetime):
        day = local_time(day).date()
    return wording.format_date(day, page_language())


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored (UTC) point in time in the tenant's zone."""
    tenant = current_tenant()
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(tenant_zone(tenant)) if tenant is not None else aware


def local_datetime(moment: dt.datetime) -> str:
    """A point in time in the tenant's zone, the date as `local_date` writes it and the time in
    hours and minutes: ``02.03.2026 14:05`` (nb, da), ``02/03/2026 14:05`` (en)."""
    local = local_time(moment)
    return f"{local_date(local)} {format_time(local, format='short', locale=babel_locale(page_language()))}"


def translation_directories(plugins: PluginRegistry | None) -> list[str]:
    """The plugins' catalogue folders (by plugin id, for a stable order), then the core's: the
    last one wins a clash in Flask-Babel's merge."""
    web = plugins.web if plugins is not None else {}
    folders = [str(web[plugin_id].translations) for plugin_id in sorted(web) if web[plugin_id].translations]
    return [*folders, str(TRANSLATIONS)]


def init_app(app: Flask) -> None:
    directories = translation_directories(app.extensions.get("velferd.plugins"))
    for folder in directories:
        compile_catalogues(folder)
    Babel(app, locale_selector=page_language, timezone_selector=_page_zone,
          default_translation_directories=";".join(directories))
    app.jinja_env.filters.update(local_date=local_date, local_datetime=local_datetime)
    app.jinja_env.globals.update(page_language=page_language, languages=LANGUAGES)
