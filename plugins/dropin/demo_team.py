"""The demo's team work: Broen's IT course, the implementation team and this year's costs.

- The IT course is the guide's example ("digital kommunikation, herunder kommunikation med
  offentlige myndigheder og anvendelse af NemID og netbank"), run by the centre's staff, with a
  session a week for the last five weeks (counts, never names) and a super-user known by a first
  name only ("Sådanne superbrugere kan fungere som rollemodeller for øvrige brugere").
- The implementation team has the guide's three sides ("repræsentanter fra kommunen, de
  involverede væresteder og det lokale udsatte-råd"), a preparation phase behind it, the
  development phase now (so the cadence "minimum én gang hver anden måned" is followed: the last
  meeting five weeks ago, the next due in about four weeks), a roll-out of about 14 months ("et
  til halvandet år"), a working group and an item of the shared competence plan.
- The costs of the current year, one per service, so the evaluation can divide them by the
  citizens each service reached. They are the demo's own round figures, labelled so: the guide's
  amounts are not in the seed's text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from velferd.toolkit import acting_as

from . import activities, costs, implementation
from .sessions import WEEK, monday_of

#: the demo's yearly costs per service (DKK): (service, label, amount, what it covers)
COSTS = (
    ("case_processing", "Sagsbehandler, 1 dag om ugen på hvert værested (demo)", Decimal("182000.00"),
     "Løn inkl. pension for to dage om ugen i alt"),
    ("substance_abuse", "Misbrugskonsulent, 2 timer om ugen (demo)", Decimal("48000.00"), "Løn inkl. pension"),
    ("skp", "Støtte- og kontaktperson, 3 timer om ugen (demo)", Decimal("64000.00"), "Løn og kørsel"),
    ("centre", "Holdbaserede aktiviteter (demo)", Decimal("15500.00"), "Materialer og forplejning"),
)


def seed(today: dt.date, broen, vest, staff) -> None:
    this_monday = monday_of(today)
    with acting_as(staff["dropin_centre_staff"]):
        course = activities.create_activity(broen, {
            "title": "IT-café: Digital Post, MitID og netbank", "kind": "it_course",
            "topics": ["Digital Post", "MitID", "Netbank"], "starts_on": this_monday - 6 * WEEK,
            "ends_on": this_monday + 4 * WEEK})
        for back, anonymous, known in ((5, 4, None), (4, 6, 1), (3, 5, 1), (2, 7, 2), (1, 6, 1)):
            activities.add_session(course, {"held_on": this_monday - back * WEEK, "anonymous_count": anonymous,
                                            "known_count": known, "note": None})
        activities.add_super_user(course, {"alias": "Bente", "trained_on": this_monday - 6 * WEEK, "active": True})
    with acting_as(staff["dropin_coordinator"]):
        _team(today, broen, vest)
        for service, label, amount, covers in COSTS:
            costs.add_cost({"year": today.year, "service": service, "label": label, "amount": amount,
                            "covers": covers})


def _team(today: dt.date, broen, vest) -> None:
    members = (
        ("Koordinator for væresteder (demo)", "municipality", None, "Odense Kommune, Socialafdelingen", "Formand"),
        ("Leder af Jobcenter Odense (demo)", "municipality", None, "Jobcenter Odense", "Medlem"),
        ("Leder af Broen (demo)", "centre", broen.id, None, "Medlem"),
        ("Leder af Vest (demo)", "centre", vest.id, None, "Medlem"),
        ("Repræsentant for Rådet for socialt udsatte (demo)", "council", None,
         "Rådet for socialt udsatte i Odense", "Medlem"),
    )
    for name, kind, centre_id, organisation, role in members:
        implementation.create_member({"name": name, "organisation_kind": kind, "centre_id": centre_id,
                                      "organisation": organisation, "role": role, "active": True})
    development_from = implementation.add_months(today, -3)
    implementation.create_phase({"kind": "preparation", "starts_on": implementation.add_months(today, -6),
                                 "ends_on": development_from - dt.timedelta(days=1),
                                 "note": "Samarbejdsaftaler og fælles kompetenceudviklingsplan."})
    implementation.create_phase({"kind": "development", "starts_on": development_from,
                                 "ends_on": implementation.add_months(today, 8), "note": None})
    implementation.create_meeting({"held_on": today - dt.timedelta(weeks=15), "agenda": "Samarbejdsaftaler med "
                                   "Broen og Vest; rollefordeling", "minutes": "Aftalerne er godkendt.",
                                   "decisions": "En arbejdsgruppe om rollefordelingen nedsættes."})
    implementation.create_meeting({"held_on": today - dt.timedelta(weeks=5), "agenda": "Status på fremmøde og "
                                   "kontakter; IT-caféen", "minutes": "Færre udeblivelser fra møder på værestedet.",
                                   "decisions": None})
    implementation.create_working_group({"name": "Rollefordeling", "purpose": "At afklare, hvem der gør hvad, "
                                         "så borgerne ved, om de taler med værestedet eller kommunen.",
                                         "members": "Sagsbehandler, værestedsleder", "started_on":
                                         today - dt.timedelta(weeks=15), "ended_on": None})
    implementation.create_plan_item({"topic": "Fælles temadag om myndighedsrollen på værestedet",
                                     "audience": "both", "planned_on": today - dt.timedelta(weeks=8),
                                     "done_on": today - dt.timedelta(weeks=8)})
