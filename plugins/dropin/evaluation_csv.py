"""The evaluation report as CSV, for a spreadsheet: one figure a line — where (the municipality or
a centre), what, for which service, the value — so every figure of the page is in the file and a
column of values can be summed or compared without parsing a layout. Decimals are written with a
point (12.5, 91500.01) and an empty cell where there is no figure (no rate, no unit cost), as a
spreadsheet reads them in any language; the words are the page's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from velferd.toolkit import gettext, safe_row

from . import surveys
from .markers import N_
from .services import SERVICE_TITLES

REACH = (("contacts", N_("Contacts")), ("citizens", N_("Citizens reached")),
         ("previously_unknown", N_("Citizens not known to the municipality before")),
         ("previously_unknown_share", N_("Citizens not known before, per cent of those reached")),
         ("first_contacts", N_("First contacts")),
         ("first_contact_share", N_("First contacts, per cent of the citizens reached")),
         ("uncoded", N_("Contacts without a citizen code (each counted as a citizen)")))
PLACES = (("centre", N_("No-show rate at the centre, per cent"), N_("Meetings held at the centre")),
          ("office", N_("No-show rate at the office, per cent"), N_("Meetings held at the office")))
KINDS = ((surveys.CITIZEN, N_("The citizens' view")), (surveys.STAFF, N_("The staff's assessment")))


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def _service(service: str | None) -> str:
    return gettext(SERVICE_TITLES[service]) if service else gettext("Every service")


def _effects(where: str, effects: dict[str, Any]) -> Iterator[list[str]]:
    for key, title in REACH:
        yield [where, gettext(title), "", _value(effects["reach"][key])]
    for row in effects["no_shows"]:
        for place, rate_title, held_title in PLACES:
            if row[place] is not None:
                yield [where, gettext(rate_title), _service(row["service"]), _value(row[place]["rate"])]
                yield [where, gettext(held_title), _service(row["service"]), _value(row[place]["held"])]
    for kind, title in KINDS:
        summary = effects["surveys"][kind]
        yield [where, gettext("%(survey)s: answers", survey=gettext(title)), "", _value(summary["responses"])]
        for key, question in surveys.QUESTIONS[kind]:
            yield [where, gettext("%(survey)s: %(question)s (average 1–5)", survey=gettext(title),
                                  question=gettext(question)), "",
                   _value(summary["questions"][key]["average"])]


def rows(report: dict[str, Any]) -> Iterator[list[str]]:
    yield [gettext("Where"), gettext("Figure"), gettext("Service"), gettext("Value")]
    yield from _effects(gettext("Every centre"), report["municipality"])
    for centre in report["centres"]:
        yield from _effects(centre["name"], centre)
    for year in report["cost_per_citizen"]:
        for row in (*year["services"], year["all"]):
            where = gettext("Every centre")
            yield [where, gettext("Costs %(year)s, DKK", year=year["year"]), _service(row["service"]),
                   _value(row["cost"])]
            yield [where, gettext("Citizens who used it in %(year)s", year=year["year"]), _service(row["service"]),
                   _value(row["citizens"])]
            yield [where, gettext("Cost per citizen %(year)s, DKK", year=year["year"]), _service(row["service"]),
                   _value(row["cost_per_citizen"])]


def csv_text(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(safe_row(row) for row in rows(report))
    return out.getvalue()
