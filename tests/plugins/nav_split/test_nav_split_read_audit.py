"""Every nav_split GET that shows a citizen's records (allocations, agendas, the queue, Forum
decisions and complaints) leaves an audit row for each person shown — generated from the OpenAPI
document, with one of everything the plugin keeps present (see tests/read_audit_checks.py)."""

from __future__ import annotations

from velferd_nav_split.models import ForumDecision

from tests.helpers import add_staff
from tests.read_audit_checks import check_every_get_is_audited, check_refusal_is_audited, get_operations

from .flows import X
from .test_nav_split_isolation import kristiansands_records


def url_ids(records: dict) -> dict:
    return {"case_id": records["case"], "agenda_id": records["agenda"], "decision_id": records["forum_decision"],
            "forum-decisions.decision_id": records["forum_decision"], "complaint_id": records["complaint"]}


def test_every_nav_split_get_that_shows_a_person_is_audited(app, client, kristiansand):
    ids = url_ids(kristiansands_records(client, kristiansand))
    staff = add_staff(app, kristiansand, "every_role", sorted(app.extensions["velferd.plugins"].roles))
    showing = check_every_get_is_audited(app, client, kristiansand, staff, get_operations(app, X), ids,
                                         case_keys={"forum_decision_id": ForumDecision})
    expected = {f"{X}/cases/{{case_id}}/allocation", f"{X}/agendas", f"{X}/agendas/{{agenda_id}}",
                f"{X}/forum-decisions/{{decision_id}}", f"{X}/complaints/{{complaint_id}}"}
    assert expected <= showing, sorted(expected - showing)


def test_another_tenants_complaint_is_refused_and_audited_there(app, client, kristiansand, alta):
    ids = kristiansands_records(client, kristiansand)
    check_refusal_is_audited(app, client, alta, alta.forum_coordinator, f"{X}/complaints/{ids['complaint']}", 404, None)


def test_a_complaint_leads_to_its_person_through_the_forum_decision():
    from velferd_nav_split.models import Agenda, AgendaItem, Appointment, Complaint, ComplaintSignature

    from velferd.toolkit import Case, person_link

    assert person_link(ComplaintSignature).target is Complaint
    assert person_link(Complaint).target is ForumDecision
    assert person_link(ForumDecision).target is Case
    assert person_link(AgendaItem).target is Case and person_link(Appointment).target is Case
    assert person_link(Agenda) is None  # the agenda's persons are its items'
