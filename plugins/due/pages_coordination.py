"""Who coordinates which youth: a case's coordinator (the API's ``PUT coordinator``), the
coordinators' absences with their substitutes, and the coordination flags — running cases with
no one to answer for them today."""

from __future__ import annotations

from velferd.toolkit import current_user, form_fields, render_template, require_permission
from velferd.toolkit import gettext as _

from . import coordination
from .manifest import COORDINATE
from .pages import (
    Form,
    Prefilled,
    blp,
    case_url,
    done,
    due_case,
    loaded,
    names_of,
    page_url,
    posted,
    staff_choices,
    today,
)
from .schemas import AbsenceCreateSchema, AssignmentCreateSchema


def _assignment_form() -> Form:
    """Filled in with the API's defaults (8 hours, weekdays 08:00–20:00), so what is left as it
    is means what leaving the field out of the API's body means."""
    defaults = Prefilled({"weekly_hours": "8", "reachable_from": "08:00", "reachable_to": "20:00",
                          "assigned_on": today().isoformat(), "reachable_days": list(coordination.WEEKDAYS[:5])})
    return Form("coordinator", form_fields(AssignmentCreateSchema, {"user_id": _("Coordinator")}),
                {"user_id": staff_choices()}, defaults)


def _coordinator_page(case, form: Form | None = None):
    return render_template("due/coordinator.html", title=_("Coordinator"), case=case,
                           current=coordination.current_assignment(case.id), form=form or _assignment_form(),
                           staff_names=names_of(staff_choices()))


@blp.get("/cases/<int:case_id>/coordinator")
def coordinator(case_id: int):
    require_permission(COORDINATE)
    return _coordinator_page(due_case(case_id))


@blp.post("/cases/<int:case_id>/coordinator")
def assign_coordinator(case_id: int):
    """Assign the coordinator: weekly hours (8 by default), reachable weekdays 08:00–20:00 by default."""
    require_permission(COORDINATE)
    case = due_case(case_id)

    def action():
        coordination.assign(case, loaded(AssignmentCreateSchema), current_user())
        return done(_("The coordinator is assigned."), case_url(case.id, "confirmation"))

    return posted(lambda form: _coordinator_page(case, form), _assignment_form(), action)


def _absence_form() -> Form:
    staff = staff_choices()
    return Form("absence", form_fields(AbsenceCreateSchema, {"user_id": _("Coordinator who is away"),
                                                             "substitute_user_id": _("Substitute")}),
                {"user_id": staff, "substitute_user_id": staff})


def _absences_page(form: Form | None = None):
    return render_template("due/absences.html", title=_("Coordinators and absences"),
                           absences=coordination.absences(), coordinated=coordination.caseload_of_coordinators(),
                           flags=coordination.flags(today()), today=today(),
                           form=form or _absence_form(), staff_names=names_of(staff_choices()))


@blp.get("/absences")
def absences():
    require_permission(COORDINATE)
    return _absences_page()


@blp.post("/absences")
def record_absence():
    """A coordinator's sickness, holiday or other absence, with the substitute who stands in."""
    require_permission(COORDINATE)

    def action():
        coordination.record_absence(loaded(AbsenceCreateSchema), current_user())
        return done(_("The absence is recorded."), page_url("absences", _anchor="confirmation"))

    return posted(_absences_page, _absence_form(), action)
