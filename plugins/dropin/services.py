"""The outreach services' vocabulary, one for every part: the presence schedules, the contacts,
the statutory meetings, the costs and the evaluation name a service by these keys, so a cost
entered for a service is divided by the citizens that same service reached.

The model has three outreach services ("fremskudte indsatser"): outreach case processing by
caseworkers from the jobcenter, the social administration and the benefits office, "typisk én
dag om ugen"; outreach substance-abuse work at fixed times every week; and the support and
contact person scheme (SKP). The centre's own staff (``centre``) are not a municipal service, but
they record contacts and run the team activities, and their cost is entered too.
"""

from __future__ import annotations

from .markers import N_

CASE_PROCESSING, SUBSTANCE_ABUSE, SKP = "case_processing", "substance_abuse", "skp"
#: the centre's own staff and their team activities (not a municipal service)
CENTRE = "centre"
#: the municipality's services at the centres (presence schedules and statutory meetings)
OUTREACH_SERVICES = (CASE_PROCESSING, SUBSTANCE_ABUSE, SKP)
#: every service a contact is recorded, or a cost entered, for
ALL_SERVICES = (*OUTREACH_SERVICES, CENTRE)
SERVICE_TITLES: dict[str, str] = {
    CASE_PROCESSING: N_("Outreach case processing"),
    SUBSTANCE_ABUSE: N_("Outreach substance-abuse work"),
    SKP: N_("Support and contact person (SKP)"),
    CENTRE: N_("The centre's own staff and team activities"),
}
#: where an outreach caseworker comes from (jobcenteret, socialforvaltningen, ydelseskontoret)
ADMINISTRATIONS = ("jobcenter", "social_administration", "benefits_office")
