"""Every DUE GET that shows a youth's records (placement, transfers, extra resources, reminders,
the waiting list, invoice lines …) leaves an audit row for each youth shown — generated from the
OpenAPI document, with one of everything DUE keeps present (see tests/read_audit_checks.py)."""

from __future__ import annotations

from tests.helpers import add_staff
from tests.read_audit_checks import check_every_get_is_audited, check_refusal_is_audited, get_operations

from .flows import X, enter_deflators, file_report, ok, report
from .test_due_isolation_and_jobs import bergens_records

#: Query strings the GETs need (a day, a period); the rest take none.
QUERIES = {f"{X}/coordination-flags": "?day=2025-04-01", f"{X}/invoice-lines": "?period=2025-04",
           f"{X}/reminders": "?on=2025-07-01"}


def test_every_due_get_that_shows_a_youth_is_audited(app, client, bergen):
    ids = bergens_records(client, bergen)
    ok(file_report(client, bergen, ids["case_id"], report("periodic", "2025-06-20", "achieved", "in_progress")), 201)
    enter_deflators(client, bergen, {year: "2.5" for year in range(2017, 2025)})  # so April 2025 has a price
    staff = add_staff(app, bergen, "every_role", sorted(app.extensions["velferd.plugins"].roles))
    paths = [path + QUERIES.get(path, "") for path in get_operations(app, X)]
    showing = check_every_get_is_audited(app, client, bergen, staff, paths, ids)
    expected = {f"{X}/cases/{{case_id}}/placement", f"{X}/cases/{{case_id}}/vedtak", f"{X}/transfers/{{transfer_id}}",
                f"{X}/cases/{{case_id}}/extra-resources", f"{X}/reminders?on=2025-07-01",
                f"{X}/cases/{{case_id}}/reports"}
    assert expected <= showing, sorted(expected - showing)


def test_another_towns_transfer_is_refused_and_audited_there(app, client, bergen, alta):
    ids = bergens_records(client, bergen)
    check_refusal_is_audited(app, client, alta, alta.caseworker, f"{X}/transfers/{ids['transfer_id']}", 404, None)


def test_dues_records_of_a_youth_are_person_linked_through_their_case():
    from velferd_due.models import Absence, Deflator, ExtraResource, Placement, Reminder, Report, Transfer, Vedtak

    from velferd.toolkit import Case, person_link

    for model in (Placement, Vedtak, Transfer, ExtraResource, Reminder, Report):
        assert person_link(model).target is Case, model
    for model in (Absence, Deflator):  # a coordinator's absence, the price index: about no youth
        assert person_link(model) is None, model
