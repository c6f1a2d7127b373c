"""A kartlegging checked against what the platform already knows: the person, the municipality
and the decision date. The same check runs when the form is submitted and when the allocation
rule is evaluated, so the form refuses exactly what the rule would refuse (422 naming the field).

* The date of birth must agree with the person's national id. The allocation counts the age for
  NAV's under-30 / 30-and-over teams ("NAV Kristiansand er oppdelt ut fra om bruker har
  arbeidsforhold eller ikke, og om bruker er over eller under 30 år"), so a form saying 35 for a
  27-year-old would send the user to the wrong team. We refuse rather than silently take the
  national id's date: the stored form then never contradicts the decision it fed, and the
  caseworker sees the typo. (Without a case there is no person, and only the date itself is checked.)
* A previous municipality equal to the tenant's own is a contradiction: the Forum exception is
  for users "som kommer fra andre kommuner".
* The date of birth cannot be after the decision date, nor make the user older than 120.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from velferd.toolkit import Case, Person, Tenant, ValidationFailed, get_owned

from .teams import age_on

OLDEST = 120


def _municipality(name: str) -> str:
    """'Kristiansand kommune', ' kristiansand ' and 'Kristiansand' are one municipality."""
    words = name.casefold().split()
    return " ".join(words[:-1] if words[-1:] == ["kommune"] else words)


def problems(inputs: Mapping[str, Any], tenant: Tenant, case: Case | None, today: dt.date) -> dict[str, list[str]]:
    """Field → reasons; empty when the kartlegging agrees with the person, the tenant and the date."""
    found: dict[str, list[str]] = {}
    previous = inputs.get("previous_municipality")
    if previous and _municipality(previous) == _municipality(tenant.name):
        found["previous_municipality"] = [f"{previous.strip()} is this municipality ({tenant.name}); "
                                          "a user coming from another municipality names that one"]
    birth = inputs["date_of_birth"]
    if birth > today:
        found["date_of_birth"] = [f"{birth.isoformat()} is after the decision date {today.isoformat()}"]
    elif age_on(birth, today) > OLDEST:
        found["date_of_birth"] = [f"the user would be more than {OLDEST} years old"]
    elif case is not None:
        person = get_owned(Person, case.person_id)
        if person is not None and person.birth_date != birth:
            found["date_of_birth"] = ["does not agree with the date of birth in the person's national id"]
    return found


def check(inputs: Mapping[str, Any], tenant: Tenant, case: Case | None, today: dt.date, what: str) -> None:
    """Raise the 422 (`what` names the form or rule) if `problems` finds any."""
    found = problems(inputs, tenant, case, today)
    if found:
        raise ValidationFailed(f"{what} is invalid: {', '.join(found)}", found)
