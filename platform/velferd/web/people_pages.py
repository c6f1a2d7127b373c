"""People: the caseworker's person search and person page (with opening a case, registering and
correcting a person), the review of possible duplicates, and the auditor's access log of a person.

Every rule is the API's (velferd.api.people_api, cases_api): the same permissions, the same
services (`people.search_persons`, `people.read_person` — audited —, `people.register_person`,
`people.access_log`, `cases.open_case`) and schemas.

Why the search is a POST that answers with the results (no redirect): a national id typed into a
GET form would be in the URL, and so in the access logs of every proxy on the way, in the
browser's history and in the ``path`` of an audit row. A redirect after the POST would have to
carry the id in the URL or the session; rendering the results as the POST's answer keeps it in
the request body only. The cost is that the results cannot be bookmarked — a search is cheap.
A POST is not seen by velferd.read_audit (it audits GETs), so the persons a search shows are
audited here with `people.record_listed`.

National ids in lists are masked with `velferd.identity.mask_national_id`: the first six digits
(the birth date, which caseworkers use to tell people apart) are shown and the personal number
is replaced by ``*`` (``150380*****``). The person page shows the whole number; opening it is
the audited ``person.read``.

A correction (GDPR art. 16) is the API's PATCH: the form is filled with the person's values, the
fields sent are those the caseworker changed (an emptied contact field is cleared), with the
required reason; `people.correct_person` keeps the history, shown on the person page. The review
of possible duplicates (`velferd.duplicates`) lists the open flags with both persons side by side
(national ids masked) and dismisses, links or merges one.

The auditor holds ``audit:read`` but not ``persons:read`` (the API lets them read access logs,
not persons), so they cannot use the search: the "Access log" page takes a person's whole
national id and opens that person's log (the lookup is audited as a ``person.listed``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import marshmallow as ma
import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError, fields, validate

from velferd import cases, duplicates, people, tenants
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.person_schemas import DismissSchema, PersonCorrectionInputSchema
from velferd.api.schemas import CaseCreateSchema, PersonCreateSchema
from velferd.auth import has_permission, require_permission
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed, VelferdError
from velferd.identity import mask_national_id
from velferd.models import Person, User
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.web import navigation
from velferd.web.blueprint import blp, wants_html
from velferd.web.case_pages import FailedForm
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.validation_messages import N_

#: The most persons one search shows; a longer list asks for a narrower search.
SEARCH_LIMIT = 50
#: The most cases the person page lists.
CASES_LIMIT = 200

navigation.core_entry("web.people", lazy_gettext("People"), "persons:read")
navigation.core_entry("web.duplicates", lazy_gettext("Possible duplicates"), "persons:write")
navigation.core_entry("web.access_log", lazy_gettext("Access log"), "audit:read")

#: the schemas' own messages (velferd.api.person_schemas), for the catalogue
SCHEMA_MESSAGES = (N_("Must not be blank."), N_("A telephone number: digits, and + ( ) - or spaces."),
                   N_("give at least one field to correct"))


class PersonSearchForm(ma.Schema):
    """The search form: part of a name, or a whole national id (or both: both must match)."""

    name = fields.String(validate=validate.Length(max=200))
    national_id = fields.String(validate=validate.Length(max=20))


class AccessLogLookupForm(ma.Schema):
    """The auditor's way to a person: their whole national id."""

    national_id = fields.String(required=True, validate=validate.Length(min=1, max=20))


def _search_fields() -> list[FormField]:
    hints = {"name": _("Part of the given or family name."), "national_id": _("The whole number: a part finds no one.")}
    return [dataclasses.replace(field, hint=hints[field.key])
            for field in form_fields(PersonSearchForm, {"name": _("Name"), "national_id": _("National id")})]


def _person_fields() -> list[FormField]:
    """The API's person schema's inputs; its national id (a String without a length, which the
    renderer draws as a text area) is one line."""
    described = form_fields(PersonCreateSchema, {"national_id": _("National id"), "given_name": _("Given name"),
                                                 "family_name": _("Family name")})
    return [dataclasses.replace(field, widget="text") if field.key == "national_id" else field for field in described]


def _lookup_fields() -> list[FormField]:
    return form_fields(AccessLogLookupForm, {"national_id": _("National id")})


def _referring_units() -> dict[str, str] | None:
    """The units a case may name as referring (id → name); None for a user who may not read units."""
    return {str(unit.id): unit.name for unit in tenants.list_units()} if has_permission("units:read") else None


def _open_case_fields(units: Mapping[str, str] | None) -> list[FormField]:
    """The inputs of the API's `CaseCreateSchema` a person's page asks for: the programme and
    (when `units` are offered) the referring unit, which a programme may require (DUE).
    person.html draws the selects itself, labelled with the programmes' titles and the units'
    names (the renderer's select shows its choices' values)."""
    described = [FormField(key="plugin", input_name="plugin", label=_("Programme"), hint=None, required=True,
                           widget="select", choices=tuple(sorted(enabled_plugin_ids(tenant()))))]
    if units is not None:
        described.append(FormField(key="referring_unit_id", input_name="referring_unit_id",
                                   label=_("Referring unit"), hint=None, required=False, widget="select",
                                   choices=tuple(units)))
    return described


def _failed(form_id: str, described: list[FormField], error: VelferdError) -> FailedForm:
    errors = errors_by_input(described, error.fields) if error.status == 422 and error.fields else {"": [error.message]}
    return FailedForm(form_id, request.form, errors, error_summary(described, errors, form_id))


def _invalid(error: ValidationError, what: str) -> ValidationFailed:
    return ValidationFailed(what, error.normalized_messages())


# --- the person search ------------------------------------------------------------------------

@blp.get("/t/<tenant>/people", endpoint="people")
def people_search():
    """The search form (and, for a user with ``persons:write``, the form to register a person)."""
    require_permission("persons:read")
    return _search_page()


def _search_page(status: int = 200, failed: FailedForm | None = None, found: list[Person] | None = None,
                 message: str | None = None) -> Response:
    page = render_template("web/people_search.html", title=_("People"), search_fields=_search_fields(),
                           person_fields=_person_fields() if has_permission("persons:write") else [],
                           failed=failed, found=found, message=message, limit=SEARCH_LIMIT,
                           masked=mask_national_id)
    return Response(page, status=status)


@blp.post("/t/<tenant>/people/search")
def search_people():
    """Persons by part of a name or by a whole national id, answered in the POST (see the module)."""
    require_permission("persons:read")
    described = _search_fields()
    try:
        query = PersonSearchForm().load(submitted_data(PersonSearchForm, request.form))
        number = _typed_number(query.get("national_id"))
    except ValidationError as error:
        return _search_refused(_invalid(error, "the search is invalid"), described)
    except ValidationFailed as error:
        return _search_refused(error, described)
    name = query.get("name")
    if not name and not number:
        return _search_page(message=_("Type part of a name or a whole national id to search."))
    found = people.search_persons(limit=SEARCH_LIMIT, name=name, national_id_number=number)
    people.record_listed(found, "POST /people/search (web)")
    db.session.commit()
    return _search_page(found=found, message=None if found else _("No one in this municipality matches the search."))


def _typed_number(typed: str | None) -> str | None:
    """The compact number of the national id typed into a search, or a 422 in the page's words
    (the service's message is for the API; the page's says what to do)."""
    if not typed:
        return None
    try:
        return people.parsed_national_id(tenant(), typed).number
    except ValidationFailed:
        raise ValidationFailed("the national id is invalid", {"national_id": [
            _("This is not a valid national id. Type all its digits; a part of a number finds no one.")]}) from None


def _search_refused(error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    return _search_page(error.status, _failed("search", described, error))


@blp.post("/t/<tenant>/people/new")
def register_person():
    """Register a person through the API's `PersonCreateSchema` and `people.register_person`;
    on success, their page."""
    require_permission("persons:write")
    described = _person_fields()
    try:
        data = PersonCreateSchema().load(submitted_data(PersonCreateSchema, request.form))
        person, matches = people.register(tenant(), **data)
    except ValidationError as error:
        return _register_refused(_invalid(error, "the person is invalid"), described)
    except (ValidationFailed, Conflict) as error:
        return _register_refused(error, described)
    db.session.commit()
    flash(_("%(name)s is registered.", name=person.full_name))
    if matches:
        flash(_("A person of the same name and date of birth is registered already: the two are listed "
                "under Possible duplicates for review."))
    return redirect(url_for("web.person_page", tenant=tenant().slug, person_id=person.id, _anchor="confirmation"),
                    303)


def _register_refused(error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    return _search_page(error.status, _failed("person", described, error))


# --- the person page ----------------------------------------------------------------------------

@blp.get("/t/<tenant>/people/<int:person_id>")
def person_page(person_id: int):
    """One person with the whole national id (the audited ``person.read``) and their cases."""
    return _person_page(person_id)


def _person_page(person_id: int, status: int = 200, failed: FailedForm | None = None) -> Response:
    require_permission("persons:read")
    person = people.read_person(person_id)  # audited: person.read
    their_cases = cases.list_cases(limit=CASES_LIMIT, newest_first=True, person_id=person.id)
    history = people.corrections_of(person.id)
    may_open = has_permission("cases:write")
    may_correct = has_permission("persons:write") and person.merged_into_id is None
    db.session.commit()
    units = _referring_units() if may_open else None
    described = _open_case_fields(units) if may_open else []
    page = render_template("web/person.html", title=person.full_name, person=person, cases=their_cases,
                           open_case_fields=described, unit_names=units or {}, corrections=history,
                           correct_fields=_correct_fields() if may_correct else [],
                           current=_current_values(person), field_label=_field_label,
                           may_read_access_log=has_permission("audit:read"),
                           may_review_duplicates=has_permission("persons:write"), failed=failed)
    return Response(page, status=status)


# --- correcting a person ------------------------------------------------------------------------

#: the inputs of the correction form, in its order (the API's `PersonCorrectionInputSchema`)
CORRECT_INPUTS = ("given_name", "family_name", "national_id", "phone", "email", "address", "reason")
CONTACT_INPUTS = ("phone", "email", "address")


def _field_labels() -> dict[str, str]:
    return {"given_name": _("Given name"), "family_name": _("Family name"), "national_id": _("National id"),
            "national_id_kind": _("Kind of national id"), "birth_date": _("Date of birth"),
            "phone": _("Telephone"), "email": _("E-mail"), "address": _("Address"),
            "same_as_id": _("Same person as"), "merged_into_id": _("Merged into"),
            "reason": _("Reason for the correction")}


def _field_label(field: str) -> str:
    """A history row's field in words; a merge's ``table.column`` as it is."""
    return _field_labels().get(field, field)


def _correct_fields() -> list[FormField]:
    labels = _field_labels()
    described = {field.key: field for field in form_fields(PersonCorrectionInputSchema, labels)}
    hints = {"national_id": _("A D-number that became a fødselsnummer, or a typo: the date of birth follows the number."),
             "reason": _("Kept with the person's history of corrections.")}
    # one line each (the renderer draws a String without a short length as a text area); the
    # names and the number are filled with the person's and must stay filled
    one_line, kept = ("national_id", "email", "phone"), ("given_name", "family_name", "national_id")
    return [dataclasses.replace(described[key], hint=hints.get(key), required=described[key].required or key in kept,
                                widget="text" if key in one_line else described[key].widget)
            for key in CORRECT_INPUTS]


def _current_values(person: Person) -> dict[str, str]:
    """The form's starting values: the person as they are."""
    return {key: getattr(person, key) or "" for key in CORRECT_INPUTS if key != "reason"}


def _correction_data(form: Mapping[str, str]) -> dict[str, str | None]:
    """What the form sends, for the API's schema: every input (the service keeps only what
    changed), an emptied contact field as None (cleared)."""
    data: dict[str, str | None] = {}
    for key in CORRECT_INPUTS:
        value = form.get(key, "").strip()
        data[key] = None if key in CONTACT_INPUTS and not value else value
    return data


@blp.post("/t/<tenant>/people/<int:person_id>/correct")
def correct_person(person_id: int):
    """Correct the person through the API's `PersonCorrectionInputSchema` and
    `people.correct_person`; on success, their page with the history."""
    require_permission("persons:write")
    described = _correct_fields()
    try:
        data = PersonCorrectionInputSchema().load(_correction_data(request.form))
        reason = data.pop("reason")
        corrected, corrections, matches = people.correct_person(tenant(), person_id, data, reason)
    except ValidationError as error:
        return _correct_refused(person_id, _invalid(error, "the correction is invalid"), described)
    except (ValidationFailed, Conflict) as error:
        return _correct_refused(person_id, error, described)
    db.session.commit()
    flash(_("The correction is saved.") if corrections else _("Nothing was changed: the values are the same."))
    if matches:
        flash(_("The corrected person now has the same name and date of birth as another: the two are listed "
                "under Possible duplicates for review."))
    return redirect(url_for("web.person_page", tenant=tenant().slug, person_id=corrected.id, _anchor="confirmation"),
                    303)


def _correct_refused(person_id: int, error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    status = error.status
    if status == 409 and error.fields.get("person_id"):  # the number is taken: said beside the input
        error = ValidationFailed(error.message, {"national_id": [
            _("Another person of this municipality has this national id.")]})
    return _person_page(person_id, status, _failed("correct", described, error))


# --- possible duplicates ------------------------------------------------------------------------

REVIEW_ACTIONS = ("dismiss", "link", "merge")


@blp.get("/t/<tenant>/duplicates", endpoint="duplicates")
def duplicates_page():
    """The open flags, each pair side by side (national ids masked; the persons shown are
    audited by velferd.read_audit), with what a reviewer may do."""
    require_permission("persons:write")
    return _duplicates_page()


def _duplicates_page(status: int = 200, failed: FailedForm | None = None) -> Response:
    flags = duplicates.list_flags("open", limit=SEARCH_LIMIT)
    page = render_template("web/duplicates.html", title=_("Possible duplicates"), flags=flags,
                           masked=mask_national_id, failed=failed, limit=SEARCH_LIMIT)
    return Response(page, status=status)


@blp.post("/t/<tenant>/duplicates/<int:duplicate_id>/<action>")
def review_duplicate(duplicate_id: int, action: str):
    """Dismiss (with the note the API requires), link or merge one flag (`velferd.duplicates`)."""
    require_permission("persons:write")
    if action not in REVIEW_ACTIONS:
        raise NotFound(f"no review action '{action}'")
    note = request.form.get("note", "").strip() or None
    described = form_fields(DismissSchema, {"note": _("Note")})
    try:
        if action == "dismiss":
            duplicates.dismiss(duplicate_id, DismissSchema().load({"note": note or ""})["note"])
        elif action == "link":
            duplicates.link(duplicate_id, note)
        else:
            duplicates.merge(duplicate_id, "candidate", note)
    except ValidationError as error:
        return _review_refused(duplicate_id, _invalid(error, "the note is missing"), described)
    except Conflict as error:
        return _review_refused(duplicate_id, error, described)
    db.session.commit()
    flash({"dismiss": _("The two are kept apart: the flag is dismissed."),
           "link": _("The two records are linked as the same person."),
           "merge": _("The records are merged into the earlier one; both histories are kept.")}[action])
    return redirect(url_for("web.duplicates", tenant=tenant().slug, _anchor="confirmation"), 303)


def _review_refused(duplicate_id: int, error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    return _duplicates_page(error.status, _failed(f"review-{duplicate_id}", described, error))


@blp.post("/t/<tenant>/people/<int:person_id>/cases")
def open_case(person_id: int):
    """Open a case for the person in a programme, through the API's `CaseCreateSchema` and
    `cases.open_case`; on success, the new case's page."""
    require_permission("cases:write")
    described = _open_case_fields(_referring_units())
    try:
        data = CaseCreateSchema().load({"person_id": person_id, **_chosen_values(described, request.form)})
        case = cases.open_case(tenant(), **data)
    except ValidationError as error:
        return _open_case_refused(person_id, _invalid(error, "the case is invalid"), described)
    except (ValidationFailed, Conflict) as error:
        return _open_case_refused(person_id, error, described)
    except NotFound as error:  # a programme not enabled here: the API's 404, the form's message
        return _open_case_refused(person_id, ValidationFailed(error.message, {"plugin": [
            _("Choose one of the programmes in the list.")]}), described)
    db.session.commit()
    flash(_("The case is opened."))
    return redirect(url_for("web.case_page", tenant=tenant().slug, case_id=case.id, _anchor="confirmation"), 303)


def _chosen_values(described: list[FormField], form: Mapping[str, str]) -> dict[str, str]:
    """The chosen values of the open-case form's selects, those left empty left out."""
    chosen = {field.key: form.get(field.input_name, "").strip() for field in described}
    return {key: value for key, value in chosen.items() if value}


def _open_case_refused(person_id: int, error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    if error.status == 422 and error.fields and "person_id" in error.fields:
        raise NotFound(f"no person {person_id}")  # another municipality's person: nothing here
    return _person_page(person_id, error.status, _failed("open-case", described, error))


# --- the auditor's access log -------------------------------------------------------------------

@blp.get("/t/<tenant>/access-log")
def access_log():
    """Where the auditor types a person's national id to open their access log."""
    require_permission("audit:read")
    return _lookup_page()


def _lookup_page(status: int = 200, failed: FailedForm | None = None, message: str | None = None) -> Response:
    page = render_template("web/access_log_lookup.html", title=_("Access log"), lookup_fields=_lookup_fields(),
                           failed=failed, message=message)
    return Response(page, status=status)


@blp.post("/t/<tenant>/access-log")
def find_access_log():
    """The person with this whole national id → their access log (a redirect naming the
    person's record id, never the national id)."""
    require_permission("audit:read")
    described = _lookup_fields()
    try:
        typed = AccessLogLookupForm().load(submitted_data(AccessLogLookupForm, request.form))
        number = _typed_number(typed["national_id"])
    except ValidationError as error:
        return _lookup_refused(_invalid(error, "the national id is missing"), described)
    except ValidationFailed as error:
        return _lookup_refused(error, described)
    found = people.search_persons(limit=1, national_id_number=number)
    if not found:
        return _lookup_page(message=_("No one with this national id is registered in this municipality."))
    people.record_listed(found, "POST /access-log (web)")
    db.session.commit()
    return redirect(url_for("web.person_access_log", tenant=tenant().slug, person_id=found[0].id), 303)


def _lookup_refused(error: VelferdError, described: list[FormField]) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    return _lookup_page(error.status, _failed("lookup", described, error))


@blp.get("/t/<tenant>/people/<int:person_id>/access-log")
def person_access_log(person_id: int):
    """Who read or changed this person's records, when and how, newest first (`people.access_log`,
    as the API's ``/persons/<id>/access-log``). Like the API, it shows the auditor nothing of
    the person but their record id."""
    require_permission("audit:read")
    events = people.access_log(person_id)
    actors = _names_of({event.actor_id for event in events if event.actor_id is not None})
    db.session.commit()
    return render_template("web/access_log.html", title=_("Access log of person %(id)s", id=person_id),
                           events=events, actors=actors, person_id=person_id, what_happened=_what_happened,
                           may_read_person=has_permission("persons:read"))


def _what_happened(action: str) -> str:
    """An audit action in words by its last part (``case.read`` → "Read"); the action's own
    name stays beside it in the log, so an action without words here is still shown."""
    verb = action.rpartition(".")[2]
    words = {"read": _("Read"), "listed": _("Shown in a list"), "created": _("Created"),
             "refused": _("Access refused")}
    return words.get(verb, "")


def _names_of(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).tuples().all())
