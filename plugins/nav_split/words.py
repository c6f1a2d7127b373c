"""The names the pages show for the plugin's codes (units, meeting kinds, statuses, measures,
capacities), translated when drawn; a code without a name is shown as it is."""

from __future__ import annotations

from velferd.toolkit import lazy_gettext

from .allocation import COOPERATION, FORUM, LEADER, LIVSMESTRING, NAV

OUTCOMES = {NAV: lazy_gettext("NAV"), LIVSMESTRING: lazy_gettext("Livsmestring"),
            FORUM: lazy_gettext("Rusfaglig Forum"), COOPERATION: lazy_gettext("Cooperation meeting"),
            LEADER: lazy_gettext("Leader level")}
MEETINGS = {FORUM: lazy_gettext("Rusfaglig Forum"), COOPERATION: lazy_gettext("Cooperation meeting"),
            LEADER: lazy_gettext("Leader-level meeting")}
ITEM_STATUSES = {"queued": lazy_gettext("Queued"), "scheduled": lazy_gettext("On an agenda"),
                 "decided": lazy_gettext("Decided"), "withdrawn": lazy_gettext("Withdrawn")}
MEASURES = {"private_institution": lazy_gettext("Private institution"),
            "social_rehabilitation": lazy_gettext("Social rehabilitation"),
            "private_care": lazy_gettext("Private care")}
VERDICTS = {"admission": lazy_gettext("Admission"), "refusal": lazy_gettext("Refusal")}
TEAMS = {"spesialteam": lazy_gettext("Spesialteamet (NAV)"), "rusteam": lazy_gettext("Rusteamet (Livsmestring)"),
         "job_under_30": lazy_gettext("Users in work, under 30"),
         "job_30_and_over": lazy_gettext("Users in work, 30 and over"),
         "no_job_under_30": lazy_gettext("Users without work, under 30"),
         "no_job_30_and_over": lazy_gettext("Users without work, 30 and over")}
DECISION_STATUSES = {"draft": lazy_gettext("Draft"), "approved": lazy_gettext("Approved")}
COMPLAINT_STATUSES = {"draft": lazy_gettext("Draft"), "sent": lazy_gettext("Sent to the county governor")}
CAPACITIES = {"forum_leader": lazy_gettext("Leader of Rusfaglig Forum"),
              "forvaltning_head": lazy_gettext("Head of Forvaltning")}


def named(names: dict, code: str | None) -> str:
    return str(names.get(code, code or ""))
