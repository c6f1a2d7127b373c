"""NAV Kristiansand's four follow-up teams: job or no job × under 30 or 30 and over.

Age is counted at the decision date in the municipality's time zone; the 30th birthday counts as
30 (a person born 29 February turns a year older on 1 March in other years).
"""

from __future__ import annotations

import datetime as dt

TEAMS = {
    ("job", False): "job_under_30",
    ("job", True): "job_30_and_over",
    ("no_job", False): "no_job_under_30",
    ("no_job", True): "no_job_30_and_over",
}
AGE_LIMIT = 30
TITLES = {
    "job_under_30": "the NAV team for users in work under 30",
    "job_30_and_over": "the NAV team for users in work aged 30 and over",
    "no_job_under_30": "the NAV team for users without work under 30",
    "no_job_30_and_over": "the NAV team for users without work aged 30 and over",
}


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on `day` (the birthday itself counts)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def team_for(has_job: bool, birth: dt.date, decided_on: dt.date) -> str:
    return TEAMS[("job" if has_job else "no_job", age_on(birth, decided_on) >= AGE_LIMIT)]


def team_title(team: str) -> str:
    return TITLES[team]
