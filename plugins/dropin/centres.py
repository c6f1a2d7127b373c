"""The drop-in centres and their cooperation agreements (samarbejdsaftaler), kept as data.

The seed's guide (Socialstyrelsen/KORA, ../shared/seeds/003_dbb2a96da9dea517.txt) is where the
rules come from:

- a centre is private or municipal — its organisation chart has "Private væresteder" and
  "Kommunale væresteder" side by side (`models.OWNERSHIPS`);
- each centre has its own agreement: "På baggrund af værestedsstrategien udformes
  samarbejdsaftaler med de enkelte væresteder, som fastlægger rammerne for samarbejdet [...] de
  fremskudte kommunale indsatser og tilrettelæggelsen af dem bør fastlægges individuelt fra
  værested til værested i særskilt udformede samarbejdsaftaler. Det er væsentligt, at aftalerne
  afspejler, at der er tale om et ligeværdigt og åbent samarbejde." — so an agreement names its
  parties and what each of them provides (the municipality, the centre), and runs from a day,
  possibly to a day, with a day by which it is to be renewed;
- a private room is a need, not a nicety: "PLADS TIL FORTROLIGHED. På værestedet skal der være et
  fysisk rum, som de fremskudte medarbejdere kan bruge til at have fortrolige samtaler med
  borgeren." — a centre without one is flagged wherever the centres are listed
  (`PRIVATE_ROOM_NEEDED`).

Every write needs CENTRES_MANAGE (checked by the API view and the page). The functions take the
loaded data (the schemas in `centre_schemas` validate the shape); the rules that need the
database or more than one field are here: a name and a slug unique in the municipality, a slug of
lower-case letters, digits and hyphens (derived from the name when none is given: it is the
address of the centre's public schedule later), an agreement not ending before it starts and not
to be renewed after it has ended.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Conflict, ValidationFailed, current_tenant, db, require_owned, tenant_today

from .markers import N_
from .models import OWNERSHIPS, Agreement, Centre

#: The flag on a centre without a private room (English; the pages translate it).
PRIVATE_ROOM_NEEDED = N_("The model needs a private room for confidential talks.")
#: The seed's words behind the flag, quoted where the flag is explained.
PRIVATE_ROOM_QUOTE = ("På værestedet skal der være et fysisk rum, som de fremskudte medarbejdere kan bruge til at "
                      "have fortrolige samtaler med borgeren.")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
CENTRE_FIELDS = ("name", "ownership", "address", "slug", "private_room", "active")
AGREEMENT_FIELDS = ("parties", "municipality_provides", "centre_provides", "starts_on", "ends_on", "renew_by")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "ß": "ss"})


# --- reading --------------------------------------------------------------------------------------

def centres(active_only: bool = False) -> list[Centre]:
    """The municipality's centres, by name."""
    query = sa.select(Centre).order_by(Centre.name, Centre.id)
    if active_only:
        query = query.where(Centre.active.is_(True))
    return list(db.session.scalars(query))


def centre(centre_id: int) -> Centre:
    """A centre of the tenant in scope (404 otherwise, another municipality's too)."""
    return require_owned(Centre, centre_id, "centre")


def agreement(agreement_id: int) -> Agreement:
    return require_owned(Agreement, agreement_id, "agreement")


def agreements_of(found: Centre) -> list[Agreement]:
    """A centre's agreements, the latest start first."""
    return list(db.session.scalars(sa.select(Agreement).where(Agreement.centre_id == found.id)
                                   .order_by(Agreement.starts_on.desc(), Agreement.id.desc())))


def in_force(found: Agreement, on: dt.date) -> bool:
    """Started on or before `on` and not ended before it (an agreement with no end runs on)."""
    return found.starts_on <= on and (found.ends_on is None or found.ends_on >= on)


def agreement_in_force(found: Centre, on: dt.date | None = None) -> Agreement | None:
    """The centre's agreement in force on `on` (today in the tenant's time if omitted); of two
    overlapping, the one that started last."""
    on = on or tenant_today(current_tenant())
    return next((one for one in agreements_of(found) if in_force(one, on)), None)


def today() -> dt.date:
    return tenant_today(current_tenant())


def agreement_body(found: Agreement, on: dt.date | None = None) -> dict[str, Any]:
    on = on or today()
    return {"id": found.id, "centre_id": found.centre_id, **{name: getattr(found, name) for name in AGREEMENT_FIELDS},
            "in_force": in_force(found, on)}


def centre_body(found: Centre, on: dt.date | None = None) -> dict[str, Any]:
    """A centre as the API shows it on a day: its facts, whether an agreement is in force that day
    and when that one is to be renewed, the private-room flag, and its agreements."""
    on = on or today()
    agreements = agreements_of(found)
    current = next((one for one in agreements if in_force(one, on)), None)
    return {"id": found.id, **{name: getattr(found, name) for name in CENTRE_FIELDS}, "on": on,
            "agreement_in_force": current is not None, "agreement_id": current.id if current else None,
            "renew_by": current.renew_by if current else None,
            "private_room_needed": not found.private_room,
            "flag": None if found.private_room else PRIVATE_ROOM_NEEDED,
            "agreements": [agreement_body(one, on) for one in agreements]}


# --- the rules ------------------------------------------------------------------------------------

def slug_of(name: str) -> str:
    """``Værestedet Åen`` → ``vaerestedet-aaen``: lower-case letters, digits and hyphens."""
    plain = unicodedata.normalize("NFKD", name.translate(_DANISH)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:SLUG_MAX].strip("-")
    return slug or "centre"


def _check_slug(slug: str) -> None:
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise ValidationFailed("a slug is lower-case letters, digits and single hyphens between them",
                               {"slug": ["use lower-case letters, digits and hyphens (e.g. cafe-vest)"]})


def _taken(column, value: str, except_id: int | None) -> bool:
    return db.session.scalar(sa.select(Centre.id).where(column == value, Centre.id != (except_id or 0))) is not None


def _unique_name(name: str, except_id: int | None = None) -> None:
    if _taken(Centre.name, name, except_id):
        raise Conflict(f"there is already a centre named '{name}'", {"name": ["already used by another centre"]})


def _unique_slug(slug: str, except_id: int | None = None) -> None:
    if _taken(Centre.slug, slug, except_id):
        raise Conflict(f"the slug '{slug}' is already another centre's", {"slug": ["already used by another centre"]})


def _derived_slug(name: str) -> str:
    """The name's slug; when another centre has it (``Café Vest`` and ``Cafe Vest``), -2, -3, …"""
    base = slug_of(name)
    slug, number = base, 1
    while _taken(Centre.slug, slug, None):
        number += 1
        suffix = f"-{number}"
        slug = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def _check_ownership(ownership: str) -> None:
    if ownership not in OWNERSHIPS:
        raise ValidationFailed(f"a centre is one of {', '.join(OWNERSHIPS)}", {"ownership": ["unknown ownership"]})


def _check_dates(values: Mapping[str, Any]) -> None:
    """An agreement does not end before it starts, nor is it to be renewed after it has ended."""
    starts_on, ends_on, renew_by = values["starts_on"], values.get("ends_on"), values.get("renew_by")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed("an agreement cannot end before it starts",
                               {"ends_on": [f"must not be before the start ({starts_on.isoformat()})"]})
    if renew_by is not None and ends_on is not None and renew_by > ends_on:
        raise ValidationFailed("an agreement is renewed before it ends, not after",
                               {"renew_by": [f"must not be after the end ({ends_on.isoformat()})"]})


# --- writing --------------------------------------------------------------------------------------

def create_centre(data: Mapping[str, Any]) -> Centre:
    _check_ownership(data["ownership"])
    _unique_name(data["name"])
    if data.get("slug"):
        _check_slug(data["slug"])
        _unique_slug(data["slug"])
        slug = data["slug"]
    else:
        slug = _derived_slug(data["name"])
    created = Centre(name=data["name"], ownership=data["ownership"], address=data.get("address"), slug=slug,
                     private_room=bool(data.get("private_room", False)), active=bool(data.get("active", True)))
    db.session.add(created)
    db.session.flush()
    return created


def update_centre(found: Centre, changes: Mapping[str, Any]) -> Centre:
    """Change a centre; only the fields given change (the slug stays when the name changes)."""
    if "ownership" in changes:
        _check_ownership(changes["ownership"])
    if "name" in changes and changes["name"] != found.name:
        _unique_name(changes["name"], found.id)
    if "slug" in changes and changes["slug"] != found.slug:
        _check_slug(changes["slug"])
        _unique_slug(changes["slug"], found.id)
    for name in CENTRE_FIELDS:
        if name in changes:
            setattr(found, name, changes[name])
    db.session.flush()
    return found


def create_agreement(found: Centre, data: Mapping[str, Any]) -> Agreement:
    values = {"ends_on": None, "renew_by": None, **data}
    _check_dates(values)
    created = Agreement(centre_id=found.id, **{name: values[name] for name in AGREEMENT_FIELDS})
    db.session.add(created)
    db.session.flush()
    return created


def update_agreement(found: Agreement, changes: Mapping[str, Any]) -> Agreement:
    """Change an agreement; the dates are checked as they will be (422 naming the field)."""
    values = {**{name: getattr(found, name) for name in AGREEMENT_FIELDS}, **changes}
    _check_dates(values)
    for name in AGREEMENT_FIELDS:
        setattr(found, name, values[name])
    db.session.flush()
    return found


# --- the demo -------------------------------------------------------------------------------------

#: Two made-up centres (no real ones): a private one with a private room and a municipal one without.
ODENSE_CENTRES = (
    dict(name="Værestedet Broen (demo)", ownership="private", address="Demovej 1, 5000 Odense C",
         private_room=True, slug="broen"),
    dict(name="Det kommunale værested Vest (demo)", ownership="municipal", address="Demovej 2, 5200 Odense V",
         private_room=False, slug="vest"),
)
_MUNICIPALITY_PROVIDES = ("Fremskudt sagsbehandling fra jobcenter, socialforvaltning og ydelseskontor, typisk en dag "
                          "om ugen; fremskudt misbrugsindsats på faste tider hver uge; støtte- og kontaktpersoner.")
_CENTRE_PROVIDES = {
    "private": "Et fysisk rum til fortrolige samtaler; personale og frivillige, der bygger bro til de fremskudte "
               "medarbejdere; holdbaserede aktiviteter.",
    "municipal": "Personale, der bygger bro til de fremskudte medarbejdere; holdbaserede aktiviteter. Et rum til "
                 "fortrolige samtaler mangler endnu.",
}


def odense_centres(tenant=None) -> list[Centre]:
    """The demo's two centres, each with a cooperation agreement for the current calendar year
    (renewal by 1 October). Idempotent: a centre (by name) is created only when missing, its
    agreement only when it has none, and nothing that exists is changed. `tenant` is for the
    caller's clarity; the rows are written in the tenant in scope."""
    year = today().year
    made = []
    for spec in ODENSE_CENTRES:
        found = db.session.scalar(sa.select(Centre).where(Centre.name == spec["name"]))
        if found is None:
            slug = spec["slug"] if not _taken(Centre.slug, spec["slug"], None) else None
            found = create_centre({**spec, "slug": slug})
        if not agreements_of(found):
            create_agreement(found, {
                "parties": f"Odense Kommune og {found.name}",
                "municipality_provides": _MUNICIPALITY_PROVIDES,
                "centre_provides": _CENTRE_PROVIDES[found.ownership],
                "starts_on": dt.date(year, 1, 1), "ends_on": dt.date(year, 12, 31),
                "renew_by": dt.date(year, 10, 1)})
        made.append(found)
    return made
