"""Odense's demo (issue item 8: "A demo seed for Odense: centres, agreements, a published week,
anonymous and consented contacts, meetings at both places with attendance, an activity, an
implementation-team meeting").

What a visitor finds, every date counted back from the municipality's today (`tenant_today`), so
the demo looks the same whatever day it is seeded:

- the two made-up centres with their cooperation agreements, one without a private room, so the
  flag shows ("På værestedet skal der være et fysisk rum [...]") — `centres.odense_centres`;
- the three outreach services at fixed weekly times for the last eight weeks and on
  ("typisk en dag om ugen", "på fastsatte tidspunkter hver uge"), the published weeks rebuilt as
  the Monday job does, and a holiday that closes Vest next week ("hvornår der er ferie og
  lignende") — `demo_presence`;
- contacts that start anonymous ("Som udgangspunkt er det frivilligt for borgerne"): visitors
  with no code, a citizen code that stays anonymous, and a code whose contacts become a case when
  the citizen consents; a second citizen who consented straight away; statutory meetings at the
  centre (the citizen's choice) and at the office with attendance, so the no-show page has
  figures — `demo_contacts`;
- an IT course with its sessions and a super-user, the implementation team (municipality, both
  centres, the local council of socially marginalised citizens) with its phases and two meetings
  held, and this year's costs per service — `demo_team`.

Everything goes through the plugin's services, acting as the demo's dropin staff (the core's demo
gives each of the manifest's roles a login: ``dropin-outreach@odense.demo``, …), so each write is
checked and audited as theirs. The citizens are the core demo's synthetic ones (never a real CPR
number): no national id is typed here. Re-runnable: once the services exist the demo has been
seeded, and nothing is added again.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import acting_as, db, tenant_today

from . import centres, demo_contacts, demo_presence, demo_team
from .presence_models import Service

COORDINATOR, OUTREACH, CENTRE_STAFF = "dropin_coordinator", "dropin_outreach", "dropin_centre_staff"


def seed(tenant, staff) -> None:
    """The centres always (idempotent), the rest once: see the module. `staff` maps each role to
    its demo user; the plugin's three roles act."""
    centres.odense_centres(tenant)
    if db.session.scalar(sa.select(Service.id).limit(1)) is not None:
        return
    if any(role not in staff for role in (COORDINATOR, OUTREACH, CENTRE_STAFF)):
        return  # the core's demo gives every role of the manifest a login; without them, act as nobody
    today = tenant_today(tenant)
    broen, vest = centres.odense_centres(tenant)  # with a private room, and without
    with acting_as(staff[COORDINATOR]):
        demo_presence.seed(tenant, today, broen, vest, staff)
    demo_contacts.seed(today, broen, vest, staff)
    demo_team.seed(today, broen, vest, staff)
