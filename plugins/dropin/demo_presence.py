"""The demo's presence: the three outreach services, their weekly slots at the two centres for
the last eight weeks and on, a holiday that closes Vest next week, one cancelled session, and the
published weeks rebuilt as the Monday job does (`weekly.run_now`).

The guide's times (../shared/seeds/003_dbb2a96da9dea517.txt): case processing "typisk en dag om
ugen" at each centre, with authority ("De fremskudte sagsbehandlere har en myndighedsfunktion");
substance-abuse work "på fastsatte tidspunkter hver uge"; the SKP scheme staffed by the centre
("kan varetages af [...] værestedets medarbejdere"), with home visits. The talks at Broen are in
its private room; Vest has none, so nothing there is booked in one. Called acting as the
coordinator (SCHEDULE_MANAGE); the reasons published are for the public, so no names.
"""

from __future__ import annotations

import datetime as dt

from . import presence, weekly
from .sessions import WEEK, monday_of

#: how far back the slots start, so the contacts and meetings of the last weeks fall in them
WEEKS_BACK = 8
HOLIDAY_REASON = "Værestedet holder lukket en uge (ferie)."
CANCEL_REASON = "Sagsbehandleren er på kursus; næste gang som vanligt."


def seed(tenant, today: dt.date, broen, vest, staff) -> dict[str, object]:
    """Services, slots, the holiday and the cancellation; then every published week rebuilt."""
    outreach, centre_staff = staff["dropin_outreach"].id, staff["dropin_centre_staff"].id
    case_processing = presence.create_service({
        "kind": "case_processing", "administration": "jobcenter", "decides_cases": True,
        "note": "Sagsbehandler fra Jobcenter Odense: ansøgninger, handleplaner og ydelser."})
    substance_abuse = presence.create_service({
        "kind": "substance_abuse", "note": "Rådgivning om misbrug og hjælp videre til behandling."})
    skp = presence.create_service({
        "kind": "skp", "staffed_by": "centre", "home_visits": True,
        "note": "Støtte- og kontaktperson; kan også komme på hjemmebesøg."})
    since = monday_of(today) - WEEKS_BACK * WEEK
    rows = (
        (broen, case_processing, outreach, "tuesday", (10, 0), (14, 0), True),
        (vest, case_processing, outreach, "wednesday", (10, 0), (14, 0), False),
        (broen, substance_abuse, outreach, "thursday", (13, 0), (15, 0), True),
        (vest, skp, centre_staff, "friday", (10, 0), (13, 0), False),
    )
    slots = [presence.create_slot(centre, {
        "service_id": service.id, "user_id": user_id, "weekday": weekday, "starts": dt.time(*starts),
        "ends": dt.time(*ends), "valid_from": since, "valid_until": None, "private_room": private_room})
        for centre, service, user_id, weekday, starts, ends, private_room in rows]
    next_monday = monday_of(today) + WEEK
    presence.create_holiday(vest, {"starts_on": next_monday, "ends_on": next_monday + dt.timedelta(days=6),
                                   "reason": HOLIDAY_REASON})
    broen_tuesdays = slots[0]
    presence.cancel(broen_tuesdays, {"falls_on": next_monday + WEEK + dt.timedelta(days=1),
                                     "reason": CANCEL_REASON})
    weekly.run_now(tenant, today)
    return {"services": (case_processing, substance_abuse, skp), "slots": slots}
