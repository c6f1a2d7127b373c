"""The words of the citizen's access log and data export, per tenant language (nb, da, en).

Kept here rather than in the web pages' translation catalogues: these documents are made for the
citizen by the privacy officer, in the *municipality's* language (``tenant.locale``), whatever
language the officer's own browser asks for, and as JSON as well as PDF.
"""

from __future__ import annotations

LANGUAGES = ("nb", "da", "en")
FALLBACK = "nb"

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "access_log_title": "Innsynslogg",
        "access_log_intro": ("Her er hvem som har lest eller endret opplysninger om deg i {tenant}, hva og når "
                             "(tider i {zone}). Ansatte vises med rolle og enhet."),
        "access_log_intro_names": ("Her er hvem som har lest eller endret opplysninger om deg i {tenant}, hva og "
                                   "når (tider i {zone}). Ansatte vises med navn, rolle og enhet."),
        "export_title": "Innsyn i opplysninger om deg",
        "export_intro": ("Dette er alle opplysninger {tenant} har registrert om deg (personvernforordningen "
                         "art. 15), per register. Filene i arkivet har de samme opplysningene maskinlesbart."),
        "person": "Person", "birth_date": "Fødselsdato", "generated": "Laget",
        "when": "Når", "who": "Hvem", "what": "Hva", "how": "Handling",
        "no_entries": "Ingen oppslag er registrert.", "no_rows": "Ingen opplysninger.",
        "system": "Systemet (automatisk jobb)", "unknown_unit": "ingen enhet",
        "reason": "Begrunnelse", "view": "Visning", "rows": "rader",
        "kind.read": "leste", "kind.listed": "så i en liste", "kind.changed": "endret",
        "kind.break_glass": "åpnet utenfor tjenstlig behov", "kind.refused": "ble nektet tilgang",
        "kind.exported": "tok ut innsyn",
        "role.tenant_admin": "administrator", "role.caseworker": "saksbehandler", "role.coordinator": "koordinator",
        "role.leader": "leder", "role.finance": "økonomi", "role.auditor": "revisor", "role.archivist": "arkivar",
        "record.person": "personopplysninger", "record.case": "sak", "record.case_event": "journalnotat",
        "record.meeting": "møte", "record.deadline": "frist", "record.form_submission": "skjema",
        "record.decision": "vedtak/beslutning", "record.invoice_line": "fakturalinje", "record.request": "forespørsel",
    },
    "da": {
        "access_log_title": "Min log",
        "access_log_intro": ("Her kan du se, hvem der har læst eller ændret oplysninger om dig i {tenant}, hvad og "
                             "hvornår (tider i {zone}). Medarbejdere vises med rolle og enhed."),
        "access_log_intro_names": ("Her kan du se, hvem der har læst eller ændret oplysninger om dig i {tenant}, "
                                   "hvad og hvornår (tider i {zone}). Medarbejdere vises med navn, rolle og enhed."),
        "export_title": "Indsigt i oplysninger om dig",
        "export_intro": ("Dette er alle oplysninger, {tenant} har registreret om dig (databeskyttelsesforordningen "
                         "art. 15), pr. register. Filerne i arkivet har de samme oplysninger maskinlæsbart."),
        "person": "Person", "birth_date": "Fødselsdato", "generated": "Dannet",
        "when": "Hvornår", "who": "Hvem", "what": "Hvad", "how": "Handling",
        "no_entries": "Der er ikke registreret opslag.", "no_rows": "Ingen oplysninger.",
        "system": "Systemet (automatisk job)", "unknown_unit": "ingen enhed",
        "reason": "Begrundelse", "view": "Visning", "rows": "rækker",
        "kind.read": "læste", "kind.listed": "så på en liste", "kind.changed": "ændrede",
        "kind.break_glass": "åbnede uden for arbejdsbetinget behov", "kind.refused": "blev nægtet adgang",
        "kind.exported": "udtog indsigt",
        "role.tenant_admin": "administrator", "role.caseworker": "sagsbehandler", "role.coordinator": "koordinator",
        "role.leader": "leder", "role.finance": "økonomi", "role.auditor": "revisor", "role.archivist": "arkivar",
        "record.person": "personoplysninger", "record.case": "sag", "record.case_event": "journalnotat",
        "record.meeting": "møde", "record.deadline": "frist", "record.form_submission": "skema",
        "record.decision": "afgørelse", "record.invoice_line": "fakturalinje", "record.request": "forespørgsel",
    },
    "en": {
        "access_log_title": "Access log",
        "access_log_intro": ("Who read or changed information about you at {tenant}, what and when (times in "
                             "{zone}). Staff are shown by role and unit."),
        "access_log_intro_names": ("Who read or changed information about you at {tenant}, what and when (times "
                                   "in {zone}). Staff are shown by name, role and unit."),
        "export_title": "Your personal data",
        "export_intro": ("All information {tenant} holds about you (GDPR art. 15), by register. The files of the "
                         "archive hold the same information, machine-readable."),
        "person": "Person", "birth_date": "Date of birth", "generated": "Made",
        "when": "When", "who": "Who", "what": "What", "how": "Action",
        "no_entries": "No access is recorded.", "no_rows": "No information.",
        "system": "The system (a background job)", "unknown_unit": "no unit",
        "reason": "Reason", "view": "View", "rows": "rows",
        "kind.read": "read", "kind.listed": "saw in a list", "kind.changed": "changed",
        "kind.break_glass": "opened outside their need to know", "kind.refused": "was refused access",
        "kind.exported": "exported",
        "role.tenant_admin": "administrator", "role.caseworker": "caseworker", "role.coordinator": "coordinator",
        "role.leader": "leader", "role.finance": "finance", "role.auditor": "auditor", "role.archivist": "archivist",
        "record.person": "personal details", "record.case": "case", "record.case_event": "journal note",
        "record.meeting": "meeting", "record.deadline": "deadline", "record.form_submission": "form",
        "record.decision": "decision", "record.invoice_line": "invoice line", "record.request": "request",
    },
}


def language_of(locale: str | None) -> str:
    """The tenant's language if these texts have it (``nb``, ``da``, ``en``), else bokmål."""
    return locale if locale in TEXTS else FALLBACK


def text(language: str, key: str, **values: str) -> str:
    """The text `key` in `language`; a role or record type without one (a plugin's) is its own name."""
    words = TEXTS[language_of(language)]
    if key in words:
        return words[key].format(**values) if values else words[key]
    return key.split(".", 1)[-1].replace("_", " ")
