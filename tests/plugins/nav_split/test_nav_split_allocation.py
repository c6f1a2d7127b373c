"""The allocation rule through the API: submit the kartlegging, evaluate, appoint — the expected
unit, NAV team and reasons for every branch and boundary (turning 30 on the decision date)."""

from __future__ import annotations

import pytest

from .flows import allocation, assess, born, kartlegging, move

WORK = "realistic within two years: the coordinator is appointed in NAV (the main rule, arbeidslinjen)"
LIVS = "the coordinator is appointed in Livsmestring"
COOP = "it goes to a cooperation meeting (samarbeidsmøte)"
LEADER = "it is taken to leader level between the units"
FORUM = "Rusfaglig Forum decides where the user is followed up"
TAKEN = "NAV took the user over directly from"
FINANCIAL = "NAV's financial caseworker decides on social assistance"

TRANSITION = {"nav": "appoint_nav", "livsmestring": "appoint_livsmestring", "rusfaglig_forum": "refer_forum",
              "cooperation_meeting": "refer_cooperation", "leader_level": "escalate"}
STATE = {"nav": "allocated_nav", "livsmestring": "allocated_livsmestring", "rusfaglig_forum": "queued_forum",
         "cooperation_meeting": "queued_cooperation", "leader_level": "escalated_leader"}

# (id, kartlegging changes, outcome, NAV team, fragments every one of which is in the reasons)
TABLE = [
    ("work-yes-no-job-25", {}, "nav", "no_job_under_30", [WORK, "The user is 25", "has no job", FINANCIAL]),
    ("work-yes-job-25", {"has_job": True}, "nav", "job_under_30", [WORK, "has a job", "in work under 30"]),
    ("work-yes-job-45", {"has_job": True, "date_of_birth": born(45)}, "nav", "job_30_and_over", [WORK, "The user is 45"]),
    ("work-yes-no-job-45", {"date_of_birth": born(45)}, "nav", "no_job_30_and_over", [WORK, "without work aged 30 and over"]),
    ("turns-30-today-no-job", {"date_of_birth": born(30)}, "nav", "no_job_30_and_over", ["The user is 30"]),
    ("turns-30-today-job", {"has_job": True, "date_of_birth": born(30)}, "nav", "job_30_and_over", ["The user is 30"]),
    ("turns-30-tomorrow-no-job", {"date_of_birth": born(30, days_to_birthday=1)}, "nav", "no_job_under_30",
     ["The user is 29"]),
    ("turns-30-tomorrow-job", {"has_job": True, "date_of_birth": born(30, days_to_birthday=1)}, "nav", "job_under_30",
     ["The user is 29"]),
    ("turned-30-yesterday-job", {"has_job": True, "date_of_birth": born(30, days_to_birthday=-1)}, "nav",
     "job_30_and_over", ["The user is 30"]),
    ("age-18-job", {"has_job": True, "date_of_birth": born(18)}, "nav", "job_under_30", ["The user is 18"]),
    ("work-yes-with-quality-of-life-purpose", {"purposes": ["maintain_quality_of_life"]}, "nav", "no_job_under_30",
     [WORK, "does not move the coordinator", "Livsmestring may still follow up, for example at home"]),
    ("work-yes-larger-case", {"larger_case": True}, "nav", "no_job_under_30", [WORK]),
    ("work-no-improve", {"work_line_realistic": "no", "purposes": ["improve_quality_of_life"]}, "livsmestring", None,
     ["is not realistic within two years", "to improve quality of life", LIVS, FINANCIAL]),
    ("work-no-prevent", {"work_line_realistic": "no", "purposes": ["prevent"]}, "livsmestring", None,
     ["prevent a loss of quality of life", LIVS]),
    ("work-no-maintain", {"work_line_realistic": "no", "purposes": ["maintain_quality_of_life"]}, "livsmestring", None,
     ["maintain quality of life", LIVS]),
    ("work-no-motivation", {"work_line_realistic": "no", "purposes": ["motivation_for_treatment"]}, "livsmestring",
     None, ["motivate, long-term and at a low threshold, for treatment", LIVS]),
    ("work-no-two-purposes", {"work_line_realistic": "no", "purposes": ["improve_quality_of_life",
                                                                       "motivation_for_treatment"]},
     "livsmestring", None, ["improve quality of life and motivate, long-term", LIVS]),
    ("work-no-no-purpose", {"work_line_realistic": "no"}, "cooperation_meeting", None,
     ["No purpose of follow-up is recorded", COOP]),
    ("work-no-no-purpose-larger", {"work_line_realistic": "no", "larger_case": True}, "leader_level", None, [LEADER]),
    ("work-unclear", {"work_line_realistic": "unclear"}, "cooperation_meeting", None,
     ["It is unclear whether education, work", COOP]),
    ("work-unclear-with-purpose", {"work_line_realistic": "unclear", "purposes": ["prevent"]}, "cooperation_meeting",
     None, ["points to Livsmestring, but the work line must be clarified first", COOP]),
    ("work-unclear-larger", {"work_line_realistic": "unclear", "larger_case": True}, "leader_level", None, [LEADER]),
    ("substance-from-other-unclear", {"work_line_realistic": "unclear", "substance_use": True,
                                      "from_other_municipality": True, "previous_municipality": "Arendal"},
     "rusfaglig_forum", None, ["has come from Arendal", FORUM]),
    ("substance-from-other-unclear-larger", {"work_line_realistic": "unclear", "substance_use": True,
                                             "from_other_municipality": True, "larger_case": True},
     "rusfaglig_forum", None, ["has come from another municipality", FORUM]),
    ("substance-from-other-work-yes", {"substance_use": True, "from_other_municipality": True}, "nav",
     "no_job_under_30", [WORK]),
    ("substance-from-other-work-no", {"work_line_realistic": "no", "purposes": ["motivation_for_treatment"],
                                      "substance_use": True, "from_other_municipality": True}, "livsmestring", None,
     [LIVS]),
    ("substance-local-unclear", {"work_line_realistic": "unclear", "substance_use": True}, "cooperation_meeting",
     None, [COOP]),
    ("from-other-no-substance-unclear", {"work_line_realistic": "unclear", "from_other_municipality": True},
     "cooperation_meeting", None, [COOP]),
    ("taken-over-by-nav", {"work_line_realistic": "no", "purposes": ["prevent"], "from_other_municipality": True,
                           "taken_over_by_nav": True, "previous_municipality": "Grimstad", "has_job": True,
                           "date_of_birth": born(52)},
     "nav", "job_30_and_over", [f"{TAKEN} Grimstad", "without an appointment by Forvaltning"]),
    ("taken-over-beats-forum", {"work_line_realistic": "unclear", "substance_use": True,
                                "from_other_municipality": True, "taken_over_by_nav": True}, "nav", "no_job_under_30",
     [f"{TAKEN} another municipality"]),
    ("units-disagree", {"units_disagree": True}, "cooperation_meeting", None, ["NAV and Livsmestring disagree", COOP]),
    ("units-disagree-larger", {"units_disagree": True, "larger_case": True}, "leader_level", None,
     ["disagree", LEADER]),
    ("forum-before-disagreement", {"units_disagree": True, "work_line_realistic": "unclear", "substance_use": True,
                                   "from_other_municipality": True}, "rusfaglig_forum", None, [FORUM]),
]


def test_the_table_is_large_enough_and_covers_every_outcome_and_team():
    assert len(TABLE) >= 25
    assert {row[2] for row in TABLE} == set(TRANSITION)
    assert {row[3] for row in TABLE} - {None} == {"job_under_30", "job_30_and_over", "no_job_under_30",
                                                  "no_job_30_and_over"}


@pytest.mark.parametrize("changes, outcome, team, fragments", [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_allocation_decision_table(client, kristiansand, changes, outcome, team, fragments):
    case, decision = assess(client, kristiansand, kartlegging(**changes))
    assert (decision["rule"], decision["outcome"]) == ("allocation", outcome)
    text = " ".join(decision["reasons"])
    missing = [f for f in fragments if f not in text]
    assert missing == [], decision["reasons"]
    assert all(reason.endswith(".") and reason[0].isupper() for reason in decision["reasons"])
    if team:
        assert f"({team})" in text
    # Forvaltning appoints (or queues) from the decision; the NAV team is on the appointment
    r = move(client, kristiansand, case["id"], TRANSITION[outcome])
    assert r.status_code == 200, r.json
    assert r.json["state"] == STATE[outcome]
    body = allocation(client, kristiansand, case["id"]).json
    assert body["decision"]["id"] == decision["id"]
    appointment = body["appointment"]
    if outcome in ("nav", "livsmestring"):
        assert (appointment["coordinator_unit"], appointment["nav_team"]) == (outcome, team)
        assert appointment["financial_caseworker_unit"] == "nav"
    else:
        assert appointment is None
