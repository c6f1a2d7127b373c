"""The caseload page's reads, audited as the API audits its case list (velferd.read_audit): one
``case.listed`` row per person shown, with the view and the ids of that person's cases.

read_audit collects what a request loads only under ``/api/t/``; the page records its one list
here in the same shape, so a person's access log lists the page beside the API's views.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request

from velferd import audit
from velferd.models import Case


def audit_cases_listed(shown: Iterable[Case]) -> None:
    by_person: dict[int, list[int]] = {}
    for case in shown:
        by_person.setdefault(case.person_id, []).append(case.id)
    view = f"GET {request.url_rule.rule.removeprefix('/t/<tenant>')} (web)"
    for person_id, case_ids in sorted(by_person.items()):
        ids = sorted(case_ids)
        audit.record("case.listed", "case", ids[0] if len(ids) == 1 else None, person_id=person_id,
                     details={"view": view, "records": {"case": ids}})
