"""The demo's contacts, consents and statutory meetings, over the last six weeks.

- Visitors who stay anonymous, with no code ("Som udgangspunkt er det frivilligt for borgerne, om
  de vil tage imod tilbuddene fra kommunen"), and the code ``SOL``, whose two contacts stay
  anonymous too.
- The code ``ANKER``: two anonymous contacts, then the citizen consents with the code, which makes
  a case of the contacts (`consent.give`); the contacts after it are the case's.
- A second citizen who consents at the first talk, by their registration (the core demo's
  synthetic citizens: the first two registered).
- Statutory meetings at the centre, held there because the citizen chose it ("Borgerne har her
  pligt til at komme, men det er et tilbud, at det kan foregå på værestederne"), and at the
  office, with what happened — four held at the centres with one no-show, three at the office
  with two — and one planned at Broen next week.

Authority goes with case processing (`contacts.AUTHORITY_SERVICE`), so the outreach caseworker
records those contacts as a municipal worker with authority, the substance-abuse work's as a
municipal worker without it; the centre's staff record the centre's. The notes and subjects name nobody.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import Person, acting_as, db

from . import consent, contacts, meetings
from .sessions import WEEK, monday_of

TUE, WED, THU, FRI = 1, 2, 3, 4
ANKER, SOL = "ANKER", "SOL"


def seed(today: dt.date, broen, vest, staff) -> None:
    week = _weeks(today)
    outreach, centre_staff = staff["dropin_outreach"], staff["dropin_centre_staff"]
    citizens = db.session.scalars(sa.select(Person).order_by(Person.id).limit(2)).all()
    with acting_as(centre_staff):
        for back, centre, weekday in ((6, broen, TUE), (5, broen, TUE), (4, vest, FRI), (3, vest, FRI),
                                      (1, vest, FRI)):
            _contact(centre, week(back, weekday), "centre", "centre_staff", ["forms_paperwork"])
    with acting_as(outreach):
        _contact(broen, week(6, TUE), "case_processing", "municipal_authority", ["municipal_support_advice"],
                 code=ANKER, first_contact="yes", previously_known="no")
        _contact(broen, week(5, THU), "substance_abuse", "municipal_worker", ["health_substance_advice"], code=ANKER)
        _contact(vest, week(5, WED), "case_processing", "municipal_authority", ["personal_finances"], code=SOL,
                 first_contact="yes", previously_known="yes")
        _contact(vest, week(3, WED), "case_processing", "municipal_authority", ["forms_paperwork"], code=SOL)
        cases = []
        if len(citizens) == 2:
            cases.append(consent.give({"person_id": citizens[0].id, "citizen_code": ANKER,
                                       "given_on": week(4, TUE), "scope": ["jobcentre", "centre_staff"]}).case_id)
            _contact(broen, week(3, TUE), "case_processing", "municipal_authority", ["action_plans_benefits"],
                     code=ANKER)
            _contact(broen, week(2, THU), "substance_abuse", "municipal_worker", ["into_treatment"], code=ANKER)
            cases.append(consent.give({"person_id": citizens[1].id, "given_on": week(4, WED),
                                       "scope": ["social_administration", "benefits_office"]}).case_id)
            _contact(vest, week(4, WED), "case_processing", "municipal_authority", ["action_plans_benefits"],
                     person_id=citizens[1].id, previously_known="no")
            _contact(vest, week(2, WED), "case_processing", "municipal_authority", ["escort_to_meetings"],
                     person_id=citizens[1].id)
        _meetings(week, broen, vest, cases + [None, None])


def _weeks(today: dt.date):
    """`week(back, weekday)`: that weekday `back` weeks before this week (always a past day)."""
    this_monday = monday_of(today)
    return lambda back, weekday: this_monday - back * WEEK + dt.timedelta(days=weekday)


def _contact(centre, on: dt.date, service: str, role: str, help_given: list[str], code: str | None = None,
             person_id: int | None = None, first_contact: str = "unknown", previously_known: str = "unknown"):
    return contacts.record_contact({
        "centre_id": centre.id, "contact_on": on, "contact_at": dt.time(11, 0), "help": help_given,
        "service": service, "worker_role": role, "previously_known": previously_known,
        "first_contact": first_contact, "citizen_code": code, "note": None, "person_id": person_id})


def _meetings(week, broen, vest, cases) -> None:
    """Held at the centres: 3 attended, 1 no-show; at the office: 1 attended, 2 no-shows; one planned."""
    anker, second = cases[0], cases[1]
    rows = (
        (broen, week(3, TUE), anker, "attended", "Opfølgning på handleplan"),
        (broen, week(1, TUE), anker, "attended", "Samtale om ydelse"),
        (None, week(2, 0), anker, "no_show", "Opfølgningssamtale"),
        (None, week(3, 0), second, "no_show", "Lovpligtig samtale"),
        (None, week(2, THU), second, "attended", "Lovpligtig samtale"),
        (vest, week(1, WED), second, "attended", "Opfølgning på handleplan"),
        (broen, week(2, THU), None, "no_show", "Samtale om behandling"),
        (broen, week(-1, TUE), anker, "planned", "Opfølgning på handleplan"),
    )
    for centre, on, case_id, attendance, subject in rows:
        abuse = subject == "Samtale om behandling"
        meetings.plan_meeting({
            "service": "substance_abuse" if abuse else "case_processing",
            "administration": None if abuse else "jobcenter", "subject": subject, "meets_on": on,
            "meets_at": dt.time(13, 30) if abuse else dt.time(10, 30),
            "place": "centre" if centre is not None else "office", "centre_id": centre.id if centre else None,
            "chosen_by_citizen": centre is not None, "attendance": attendance, "case_id": case_id})
