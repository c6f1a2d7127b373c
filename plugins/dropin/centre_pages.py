"""The pages of the centres part: "Drop-in centres" (every centre, whether an agreement is in
force on the day and when it is to be renewed, a flag on a centre without a private room, and the
form that adds a centre), a centre's page (its facts, its cooperation agreements, the forms that
change it and add an agreement) and an agreement's edit page.

The forms post what the API's schemas load (`centre_schemas`, through the toolkit's
`attempt_form`) to the same services (`centres`), so a page refuses what the API refuses, with the
same reason: a 422 names its inputs, a 409 says why, the page drawn again with what was typed and
the error summary first. Reading needs READ, every form CENTRES_MANAGE.
"""

from __future__ import annotations

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import centres
from .centre_schemas import AgreementChanges, AgreementInput, CentreChanges, CentreInput, CentreQuery
from .manifest import CENTRES_MANAGE, READ
from .models import Agreement, Centre
from .page_kit import Refusal, attempt, blp, done, page

CENTRE_FORM, CHANGE_FORM, AGREEMENT_FORM, DAY_FORM = "centre", "centre-changes", "agreement", "centres-day"
TEMPLATES = "dropin/centres/"


def _values_of(record, names) -> dict:
    """A record's values as its form shows them (a date as YYYY-MM-DD, a ticked box "on")."""
    values: dict = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, bool):
            if value:
                values[name] = "on"
        elif value is not None:
            values[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return values


# --- the list -------------------------------------------------------------------------------------

def _centres_page(failed: Refusal | None = None, on=None, day_text: str | None = None):
    require_permission(READ)
    on = on or centres.today()
    rows = [(found, centres.agreement_in_force(found, on)) for found in centres.centres()]
    mine = failed.of(CENTRE_FORM) if failed else None
    return page(TEMPLATES + "centres.html", gettext("Drop-in centres"), failed.status if failed else 200,
                rows=rows, on=on, day_text=day_text if day_text is not None else on.isoformat(), failed=failed,
                day_errors=failed.errors if failed and failed.of(DAY_FORM) else {},
                may_manage=has_permission(CENTRES_MANAGE), fields=form_fields(CentreInput),
                values=mine.values if mine else {"active": "on"}, errors=mine.errors if mine else {},
                quote=centres.PRIVATE_ROOM_QUOTE)


@blp.get("/centres")
def centres_page():
    """The drop-in centres: private or municipal, a private room or the flag that one is needed,
    whether an agreement is in force on the day (today unless `on`) and when it is to be renewed."""
    require_permission(READ)
    try:
        query = CentreQuery().load(request.args)
    except ValidationError as error:
        failed = Refusal(DAY_FORM, ValidationFailed("the day is invalid", error.normalized_messages()),
                         form_fields(CentreQuery), request.args)
        return _centres_page(failed, day_text=request.args.get("on", ""))
    return _centres_page(on=query["on"])


@blp.post("/centres")
def create_centre():
    """Add a centre (the API's POST centres)."""
    require_permission(CENTRES_MANAGE)
    created, refused = attempt(CENTRE_FORM, CentreInput, centres.create_centre)
    if refused:
        return _centres_page(refused)
    return done(gettext("The centre %(name)s is added.", name=created.name), "dropin_pages.centre_page",
                centre_id=created.id)


# --- one centre -----------------------------------------------------------------------------------

def _centre_page(centre_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = centres.centre(centre_id)
    on = centres.today()
    agreements = [(one, centres.in_force(one, on)) for one in centres.agreements_of(found)]
    changes = failed.of(CHANGE_FORM) if failed else None
    adding = failed.of(AGREEMENT_FORM) if failed else None
    return page(TEMPLATES + "centre.html", found.name, failed.status if failed else 200,
                centre=found, agreements=agreements, current=next((one for one, now in agreements if now), None),
                on=on, failed=failed, may_manage=has_permission(CENTRES_MANAGE), quote=centres.PRIVATE_ROOM_QUOTE,
                change_fields=form_fields(CentreChanges), agreement_fields=form_fields(AgreementInput),
                change_values=changes.values if changes else _values_of(found, centres.CENTRE_FIELDS),
                change_errors=changes.errors if changes else {},
                agreement_values=adding.values if adding else {}, agreement_errors=adding.errors if adding else {})


@blp.get("/centres/<int:centre_id>")
def centre_page(centre_id: int):
    """A centre: its facts, the private-room flag, its cooperation agreements and (for whoever
    manages the centres) the forms that change it and add an agreement."""
    return _centre_page(centre_id)


@blp.post("/centres/<int:centre_id>")
def update_centre(centre_id: int):
    """Change a centre (the API's PATCH centres/<id>)."""
    require_permission(CENTRES_MANAGE)
    found = centres.centre(centre_id)
    _, refused = attempt(CHANGE_FORM, CentreChanges, lambda data: centres.update_centre(found, data))
    if refused:
        return _centre_page(centre_id, refused)
    return done(gettext("The centre %(name)s is saved.", name=found.name), "dropin_pages.centre_page",
                centre_id=centre_id)


@blp.post("/centres/<int:centre_id>/agreements")
def create_agreement(centre_id: int):
    """Add a cooperation agreement to a centre (the API's POST centres/<id>/agreements)."""
    require_permission(CENTRES_MANAGE)
    found = centres.centre(centre_id)
    _, refused = attempt(AGREEMENT_FORM, AgreementInput, lambda data: centres.create_agreement(found, data))
    if refused:
        return _centre_page(centre_id, refused)
    return done(gettext("The agreement is added to %(name)s.", name=found.name), "dropin_pages.centre_page",
                centre_id=centre_id)


# --- one agreement --------------------------------------------------------------------------------

def _agreement_page(agreement_id: int, failed: Refusal | None = None):
    require_permission(CENTRES_MANAGE)
    found: Agreement = centres.agreement(agreement_id)
    owner: Centre = centres.centre(found.centre_id)
    return page(TEMPLATES + "agreement.html", gettext("The agreement with %(name)s", name=owner.name),
                failed.status if failed else 200, agreement=found, centre=owner, failed=failed,
                fields=form_fields(AgreementChanges),
                values=failed.values if failed else _values_of(found, centres.AGREEMENT_FIELDS),
                errors=failed.errors if failed else {})


@blp.get("/agreements/<int:agreement_id>")
def agreement_page(agreement_id: int):
    """An agreement's edit form (whoever manages the centres)."""
    return _agreement_page(agreement_id)


@blp.post("/agreements/<int:agreement_id>")
def update_agreement(agreement_id: int):
    """Change an agreement (the API's PATCH agreements/<id>)."""
    require_permission(CENTRES_MANAGE)
    found = centres.agreement(agreement_id)
    centre_id = found.centre_id
    _, refused = attempt("agreement-changes", AgreementChanges, lambda data: centres.update_agreement(found, data))
    if refused:
        return _agreement_page(agreement_id, refused)
    return done(gettext("The agreement is saved."), "dropin_pages.centre_page", centre_id=centre_id)
