"""Correcting a person (GDPR art. 16): names, contact details and the national id (a D-number
that became a fødselsnummer) change with a reason, each changed field is kept in the person's
history, the change is audited by field name, and a person is never deleted through the API."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from tests.helpers import add_person, synthetic_id
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.models import AuditEvent, Person
from velferd.models.people import PersonCorrection
from velferd.corrections import CorrectionsAreKept
from velferd.tenancy import tenant_scope

BIRTH = dt.date(1999, 7, 21)


def d_number(birth: dt.date = BIRTH) -> str:
    return synthetic_national_id(birth, "NO", random.Random(7), kind="dnr")


def correct(client, town, person_id: int, role: str = "caseworker", **body):
    return client.patch(town.url(f"/persons/{person_id}"), json=body, headers=town.staff[role].headers)


def corrections(client, town, person_id: int) -> list[dict]:
    r = client.get(town.url(f"/persons/{person_id}/corrections"), headers=town.caseworker.headers)
    assert r.status_code == 200, r.json
    return r.json


def stored(app, town, person_id: int) -> Person:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.get(Person, person_id)


def audit_rows(app, town, action: str) -> list[AuditEvent]:
    with app.app_context(), tenant_scope(town.tenant):
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_a_misspelt_name_is_corrected_and_the_old_one_kept_in_the_history(app, client, bergen):
    kari = add_person(client, bergen, given_name="Karri", family_name="Nordmann")

    r = correct(client, bergen, kari["id"], given_name="Kari", reason="Misspelt at registration")
    assert r.status_code == 200, r.json
    assert (r.json["given_name"], r.json["family_name"]) == ("Kari", "Nordmann")
    assert r.json["corrected_fields"] == ["given_name"]

    (row,) = corrections(client, bergen, kari["id"])
    assert (row["field"], row["old_value"], row["new_value"], row["reason"]) == (
        "given_name", "Karri", "Kari", "Misspelt at registration")
    assert row["corrected_by_id"] == bergen.caseworker.user_id
    (event,) = audit_rows(app, bergen, "person.corrected")
    assert (event.person_id, event.details) == (kari["id"], {"fields": ["given_name"]})  # names, not values
    assert "Karri" not in str(event.details)


def test_a_d_number_becomes_a_fodselsnummer_and_the_kind_follows(app, client, bergen):
    person = add_person(client, bergen, national_id=d_number(), given_name="Amina", family_name="Hassan")
    assert person["national_id_kind"] == "dnr"
    fnr = synthetic_id("NO", BIRTH)

    r = correct(client, bergen, person["id"], national_id=fnr, reason="Fødselsnummer assigned by Skatteetaten")
    assert r.status_code == 200, r.json
    assert (r.json["national_id"], r.json["national_id_kind"], r.json["birth_date"]) == (fnr, "fnr", "1999-07-21")
    history = {row["field"]: (row["old_value"], row["new_value"]) for row in corrections(client, bergen, person["id"])}
    assert history == {"national_id": (d_number(), fnr), "national_id_kind": ("dnr", "fnr")}  # the same birth date


def test_a_typo_in_the_national_id_corrects_the_birth_date_too(client, bergen):
    person = add_person(client, bergen, national_id=synthetic_id("NO", dt.date(1990, 1, 2)))
    right = synthetic_id("NO", dt.date(1990, 2, 1))
    r = correct(client, bergen, person["id"], national_id=f"{right[:6]} {right[6:]}", reason="Day and month swapped")
    assert r.status_code == 200, r.json
    assert (r.json["national_id"], r.json["birth_date"]) == (right, "1990-02-01")
    assert sorted(row["field"] for row in corrections(client, bergen, person["id"])) == ["birth_date", "national_id"]


def test_a_national_id_another_person_has_is_refused_naming_them_and_nothing_is_written(app, client, bergen):
    first, second = add_person(client, bergen), add_person(client, bergen, given_name="Per")
    r = correct(client, bergen, second["id"], national_id=first["national_id"], given_name="Peder",
                reason="Wrong number")
    assert r.status_code == 409, r.json
    assert r.json["fields"] == {"person_id": first["id"]}
    assert stored(app, bergen, second["id"]).given_name == "Per"  # nothing half-written
    assert corrections(client, bergen, second["id"]) == []


def test_an_invalid_national_id_is_a_422_naming_the_field_and_nothing_is_written(app, client, bergen):
    person = add_person(client, bergen, given_name="Ola")
    wrong = person["national_id"][:-1] + str((int(person["national_id"][-1]) + 1) % 10)
    r = correct(client, bergen, person["id"], national_id=wrong, given_name="Olav", reason="New number")
    assert r.status_code == 422, r.json
    assert "national_id" in r.json["fields"]
    assert wrong not in r.get_data(as_text=True)  # the message masks the number
    assert stored(app, bergen, person["id"]).given_name == "Ola"
    r = correct(client, bergen, person["id"], national_id=synthetic_id("DK"), reason="A Danish number")
    assert r.status_code == 422 and "national_id" in r.json["fields"], r.json  # not valid for Bergen


@pytest.mark.parametrize("body,field", [
    ({"given_name": "Kari"}, "reason"),
    ({"given_name": "Kari", "reason": "  "}, "reason"),
    ({"reason": "Nothing to say"}, "_schema"),
    ({"given_name": "", "reason": "Blank"}, "given_name"),
    ({"email": "not an address", "reason": "Typo"}, "email"),
    ({"phone": "call me", "reason": "Typo"}, "phone"),
    ({"birth_date": "2000-01-01", "reason": "Follows the national id only"}, "birth_date"),
])
def test_bad_input_is_a_422_naming_the_field(client, bergen, body, field):
    person = add_person(client, bergen)
    r = correct(client, bergen, person["id"], **body)
    assert r.status_code == 422, r.json
    assert field in r.json["fields"], r.json


def test_contact_details_are_added_corrected_and_cleared(client, bergen):
    person = add_person(client, bergen)
    r = correct(client, bergen, person["id"], phone="+47 55 56 00 00", email="ola@example.test",
                address="Rådhusgaten 10, 5014 Bergen", reason="Given at the first meeting")
    assert r.status_code == 200, r.json
    r = correct(client, bergen, person["id"], phone=None, reason="Number no longer in use")
    assert (r.json["phone"], r.json["email"]) == (None, "ola@example.test")
    read = client.get(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers).json
    assert read["address"] == "Rådhusgaten 10, 5014 Bergen" and read["phone"] is None
    history = [(row["field"], row["old_value"], row["new_value"]) for row in corrections(client, bergen, person["id"])]
    assert history[-1] == ("phone", "+47 55 56 00 00", None)
    assert len(history) == 4


def test_a_correction_to_the_same_values_changes_nothing(app, client, bergen):
    person = add_person(client, bergen, given_name="Kari")
    r = correct(client, bergen, person["id"], given_name="Kari", reason="Checked")
    assert r.status_code == 200 and r.json["corrected_fields"] == [], r.json
    assert audit_rows(app, bergen, "person.corrected") == []


def test_a_person_is_not_deleted_and_the_answer_says_why(app, client, bergen):
    person = add_person(client, bergen)
    r = client.delete(bergen.url(f"/persons/{person['id']}"), headers=bergen.caseworker.headers)
    assert r.status_code == 405
    assert "retention" in r.json["message"] and "PATCH" in r.json["message"]
    assert "PATCH" in r.headers["Allow"]
    assert stored(app, bergen, person["id"]) is not None


def test_only_members_who_may_write_persons_correct_them(client, bergen):
    person = add_person(client, bergen)
    r = correct(client, bergen, person["id"], role="coordinator", given_name="Kari", reason="Typo")
    assert r.status_code == 403, r.json


def test_another_municipalitys_person_cannot_be_corrected(app, client, bergen, alta):
    person = add_person(client, bergen, given_name="Kari")
    assert correct(client, alta, person["id"], given_name="Mari", reason="Typo").status_code == 404
    assert client.get(alta.url(f"/persons/{person['id']}/corrections"),
                      headers=alta.caseworker.headers).status_code == 404
    assert stored(app, bergen, person["id"]).given_name == "Kari"


def test_reading_the_history_is_audited_on_the_persons_log(app, client, bergen):
    person = add_person(client, bergen, given_name="Karri")
    correct(client, bergen, person["id"], given_name="Kari", reason="Typo")
    corrections(client, bergen, person["id"])
    log = client.get(bergen.url(f"/persons/{person['id']}/access-log"), headers=bergen.auditor.headers).json
    views = [e["details"].get("view") for e in log if e["actor_id"] == bergen.caseworker.user_id]
    assert "GET /persons/<int:person_id>/corrections" in views


def test_a_correction_once_written_is_never_changed(app, client, bergen):
    person = add_person(client, bergen, given_name="Karri")
    correct(client, bergen, person["id"], given_name="Kari", reason="Typo")
    with app.app_context(), tenant_scope(bergen.tenant):
        row = db.session.scalar(sa.select(PersonCorrection))
        row.new_value = "Someone else"
        with pytest.raises(CorrectionsAreKept):
            db.session.flush()
