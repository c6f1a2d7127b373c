"""The evaluation report: the effects the seed's guide says the outreach has, and the unit cost per
citizen per year, for a period — per centre and for the whole municipality (all its centres).

What the guide (../shared/seeds/003_dbb2a96da9dea517.txt) says is gained, and how each is measured
here from what the other parts record (this module writes nothing; every figure is a pure query
of the period, whose days are the municipality's local days, both ends included):

- "Man får fat i borgere, som man ikke havde kendskab til i forvejen" (p. 3) — *previously
  unknown citizens*: the distinct citizens (`contacts.citizens_reached`) with at least one contact
  in the period recorded as not known to the municipality before (``previously_known = no``), and
  their share of the citizens reached;
- "og kontakten bliver skabt tidligere end før" / "Kommunen kommer tidligere i kontakt med
  borgerne end ved en traditionel indsats" (p. 3, 7) — *earlier contact*: the contacts part does
  not record how long a citizen's problems had lasted, so no time to contact can be computed;
  what it records is whether a contact was the citizen's *first* contact with the outreach
  services (``first_contact = yes``). The report counts those first contacts and gives their share
  of the citizens reached: the part of the citizens whom the outreach at the centres reached for
  the first time in the period. It is an indicator of new, early contact, not a measured delay;
- "Der er væsentligt færre udeblivelser fra møder med sagsbehandleren, når de foregår på
  værestedet frem for på kommunen" (p. 3) — *no-shows*: the statutory meetings' no-show rate at
  the centre against at the office, every service together and per outreach service
  (`no_shows`: held = attended + no-shows, rate in per cent, one decimal, half up; None if none
  was held). A centre's own figures are its meetings; the office's belong to no centre, so a
  centre shows None for the office;
- "Enhedsudgifterne for de samlede indsatser varierer fra kr. til kr. pr. borger, der anvender
  tilbuddet. Den fremskudte sagsbehandling har de laveste omkostninger med ca kr. pr. år pr.
  borger." (p. 3) — *the unit cost per citizen per year*: a service's costs entered for a calendar
  year (`costs.total_by_service`) divided by the distinct citizens whose contacts that year name
  the service; and "de samlede indsatser": every service's costs together divided by the distinct
  citizens with any contact that year. DKK, a Decimal rounded half up to **2 decimals (øre)**;
  None where no citizen used the service (a cost with no users has no unit cost, it is not 0).
  The costs are the municipality's, not a centre's, so the unit cost is the municipality's only.
  As the guide warns, "Den tid, som ville være blevet anvendt i den traditionelle indsats på
  området, er ikke fraregnet i opgørelserne": these are gross costs;
- "Evalueringen bør inddrage både borgernes syn på indsatsen, medarbejdernes vurdering af
  samarbejdet og de videre udviklingsmuligheder" (p. 15) — *the surveys*: the recorded answers
  summed up per kind (the citizens' view, the staff's assessment; `surveys.summary`).

An anonymous contact without a citizen code is a citizen of its own, so the citizens reached are
an upper bound where such contacts exist (``uncoded`` says how many): a share and a unit cost
built on them are then a lower bound. The report says so on its page.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from velferd.toolkit import ValidationFailed

from . import centres, contacts, costs, no_shows, surveys
from .services import ALL_SERVICES, OUTREACH_SERVICES

ONE_DECIMAL, ORE = Decimal("0.1"), Decimal("0.01")
#: a report spans at most this many calendar years (each year is a unit cost computed in full)
MAX_YEARS = 10


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent, half up to one decimal; None when `whole` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def per_citizen(amount: Decimal, citizens: int) -> Decimal | None:
    """`amount` (DKK) divided by `citizens`, half up to 2 decimals (øre); None without citizens."""
    if citizens == 0:
        return None
    return (Decimal(amount) / Decimal(citizens)).quantize(ORE, rounding=ROUND_HALF_UP)


def check_period(start: dt.date, end: dt.date) -> None:
    """End before start, or a period over more than MAX_YEARS calendar years, is a 422 naming end."""
    if end < start:
        raise ValidationFailed("a period does not end before it starts",
                               {"end": [f"must not be before the start ({start.isoformat()})"]})
    if end.year - start.year >= MAX_YEARS:
        raise ValidationFailed("the period is too long",
                               {"end": [f"a report spans at most {MAX_YEARS} calendar years"]})


# --- the parts of a report ------------------------------------------------------------------------

def reach(start: dt.date, end: dt.date, centre_id: int | None = None) -> dict[str, Any]:
    """The contacts and citizens reached, with the previously unknown and the first contacts as
    counts and as shares (per cent) of the citizens reached."""
    found = contacts.citizens_reached(start, end, centre_id)
    return {**found, "previously_unknown_share": share(found["previously_unknown"], found["citizens"]),
            "first_contact_share": share(found["first_contacts"], found["citizens"])}


def _figures(figures: no_shows.Figures | None) -> dict[str, Any] | None:
    return None if figures is None else no_shows.body(figures)


def no_show_rows(start: dt.date, end: dt.date, centre_id: int | None = None) -> list[dict[str, Any]]:
    """Centre against office: first every service together (``service`` None), then each outreach
    service. For one centre, its own meetings at the centre, and None for the office."""
    if centre_id is not None:
        return _centre_no_show_rows(start, end, [centre_id])[centre_id]
    rows = []
    for service in (None, *OUTREACH_SERVICES):
        places = no_shows.by_place(start, end, service)
        rows.append({"service": service, "centre": _figures(places[no_shows.CENTRE]),
                     "office": _figures(places[no_shows.OFFICE])})
    return rows


def _centre_no_show_rows(start: dt.date, end: dt.date, centre_ids) -> dict[int, list[dict[str, Any]]]:
    """`no_show_rows` of each centre in `centre_ids`: one query per service for all of them."""
    rows: dict[int, list[dict[str, Any]]] = {centre_id: [] for centre_id in centre_ids}
    for service in (None, *OUTREACH_SERVICES):
        held_at = no_shows.at_centres(start, end, service)
        for centre_id, mine in rows.items():
            mine.append({"service": service, "centre": _figures(held_at.get(centre_id, no_shows.Figures())),
                         "office": None})
    return rows


def survey_summary(start: dt.date, end: dt.date, centre_id: int | None = None) -> dict[str, Any]:
    """`surveys.summary` with each distribution keyed by the score as text (as JSON keys are)."""
    return surveys.keyed_by_text(surveys.summary(start, end, centre_id))


def effects(start: dt.date, end: dt.date, centre_id: int | None = None) -> dict[str, Any]:
    """Reach, no-shows and surveys of one centre, or of every centre together (None)."""
    return {"reach": reach(start, end, centre_id), "no_shows": no_show_rows(start, end, centre_id),
            "surveys": survey_summary(start, end, centre_id)}


def centre_effects(start: dt.date, end: dt.date, listed) -> list[dict[str, Any]]:
    """`effects` of each centre in `listed`, the no-shows and the surveys read for all the centres
    together (not a query per centre); the reach is the contacts part's, per centre."""
    ids = [found.id for found in listed]
    meetings = _centre_no_show_rows(start, end, ids)
    answers = surveys.summaries_by_centre(start, end, ids)
    return [{"centre_id": found.id, "name": found.name, "reach": reach(start, end, found.id),
             "no_shows": meetings[found.id], "surveys": surveys.keyed_by_text(answers[found.id])}
            for found in listed]


def cost_per_citizen(year: int) -> dict[str, Any]:
    """The unit cost of each service in a calendar year, and of every service together: the
    year's costs, the distinct citizens who used it that year, the cost per citizen (DKK, 2
    decimals, half up; None without users)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    totals = costs.total_by_service(year)
    rows = []
    for service in ALL_SERVICES:
        used = contacts.citizens_reached(start, end, service=service)
        rows.append({"service": service, "cost": totals[service], "contacts": used["contacts"],
                     "citizens": used["citizens"], "cost_per_citizen": per_citizen(totals[service], used["citizens"])})
    every = contacts.citizens_reached(start, end)
    total = sum(totals.values(), costs.ZERO)
    return {"year": year, "services": rows,
            "all": {"service": None, "cost": total, "contacts": every["contacts"], "citizens": every["citizens"],
                    "cost_per_citizen": per_citizen(total, every["citizens"])}}


# --- the report -----------------------------------------------------------------------------------

def report(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The evaluation of a period: the municipality's effects (every centre together), each
    centre's (by name, inactive ones too: they may have had contacts in the period), and the unit
    cost per citizen of each calendar year the period touches."""
    check_period(start, end)
    return {"start": start, "end": end, "municipality": effects(start, end),
            "centres": centre_effects(start, end, centres.centres()),
            "cost_per_citizen": [cost_per_citizen(year) for year in range(start.year, end.year + 1)]}
