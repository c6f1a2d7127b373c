"""Contacts at a centre: anonymous by default (no person, no case), the worker's role shown
("Brugerne må ikke være i tvivl om, hvem de taler med [...] om det er en medarbejder på værestedet
eller en fremskudt medarbejder med en myndighedsopgave"), a centre worker may not act as a
municipal worker with authority, a CPR-like citizen code or note refused naming the field, bad
input a 422 naming the fields, another municipality's contact a 404 (the count of the citizens
reached is test_evaluation.py's, with its route)."""

from __future__ import annotations

import datetime as dt

from velferd_dropin.contact_models import Contact

from tests.helpers import row_counts
from tests.plugins.dropin.contact_flows import DAY, add_centre, add_contact, contact_body, post_contact
from tests.plugins.dropin.pages import X, page, text_of


def test_an_anonymous_contact_stores_no_person(app, client, odense):
    centre = add_centre(client, odense)
    made = add_contact(client, odense, centre, help=["forms_paperwork", "personal_finances"], note="Brev fra SKAT")
    assert (made["anonymous"], made["person_id"], made["case_id"], made["citizen_code"]) == (True, None, None, None)
    assert made["help"] == ["forms_paperwork", "personal_finances"]
    assert (made["previously_known"], made["first_contact"]) == ("unknown", "unknown")
    assert made["worker_role_title"] == "Centre staff"
    r = client.get(odense.url(f"{X}/contacts/{made['id']}"), headers=odense.dropin_outreach.headers)
    assert r.status_code == 200 and r.json["anonymous"] is True
    assert row_counts(app, Contact) == {"dropin_contact": 1}


def test_the_role_is_shown_and_authority_is_the_caseworkers(client, odense):
    centre = add_centre(client, odense)
    r = post_contact(client, odense, centre, role="dropin_centre_staff", worker_role="municipal_authority",
                     service="case_processing")
    assert r.status_code == 403 and "worker_role" in r.json["fields"], r.json
    r = post_contact(client, odense, centre, role="dropin_outreach", worker_role="municipal_authority",
                     service="skp")
    assert r.status_code == 422 and "worker_role" in r.json["fields"], r.json
    made = add_contact(client, odense, centre, role="dropin_outreach", worker_role="municipal_authority",
                       service="case_processing", help=["action_plans_benefits"], contact_at="10:30")
    assert (made["worker_role"], made["worker_role_title"], made["contact_at"]) == \
        ("municipal_authority", "Municipal worker with authority", "10:30:00")
    listed = client.get(odense.url(f"{X}/contacts?centre_id={centre}"), headers=odense.dropin_centre_staff.headers)
    assert [one["worker_role"] for one in listed.json] == ["municipal_authority"]


def test_a_municipal_worker_without_authority_is_the_municipalitys_and_centre_staff_the_centres(client, odense):
    centre = add_centre(client, odense)
    r = post_contact(client, odense, centre, role="dropin_centre_staff", worker_role="municipal_worker",
                     service="substance_abuse")
    assert r.status_code == 403 and "worker_role" in r.json["fields"], r.json
    r = post_contact(client, odense, centre, role="dropin_outreach", worker_role="municipal_worker", service="centre")
    assert r.status_code == 422 and "worker_role" in r.json["fields"], r.json
    r = post_contact(client, odense, centre, role="dropin_centre_staff", worker_role="centre_staff",
                     service="case_processing")
    assert r.status_code == 422 and "worker_role" in r.json["fields"], r.json
    made = add_contact(client, odense, centre, service="substance_abuse", help=["into_treatment"])
    assert (made["worker_role"], made["worker_role_title"]) == (
        "municipal_worker", "Municipal worker (no authority to decide)")
    made = add_contact(client, odense, centre, service="skp")  # the SKP the centre staffs
    assert made["worker_role"] == "centre_staff"


def test_a_cpr_like_code_or_note_is_refused(client, odense):
    centre = add_centre(client, odense)
    for body, field in (({"citizen_code": "170580-1234"}, "citizen_code"), ({"citizen_code": "1705801234"}, "citizen_code"),
                        ({"citizen_code": "ab 123456"}, "citizen_code"), ({"note": "cpr 170580 1234"}, "note")):
        r = post_contact(client, odense, centre, **body)
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)
    made = add_contact(client, odense, centre, citizen_code="  bjørn 7 ")
    assert made["citizen_code"] == "BJØRN 7"


def test_bad_input_is_a_422_naming_the_fields(client, odense):
    centre = add_centre(client, odense)
    headers = odense.dropin_centre_staff.headers
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    for body, field in (({"help": []}, "help"), ({"help": ["haircut"]}, "help"), ({"service": "police"}, "service"),
                        ({"worker_role": "boss"}, "worker_role"), ({"previously_known": "maybe"}, "previously_known"),
                        ({"contact_on": future}, "contact_on"), ({"colour": "red"}, "colour"),
                        ({"citizen_code": "x" * 21}, "citizen_code"), ({"contact_at": "25:99"}, "contact_at")):
        r = client.post(odense.url(f"{X}/contacts"), headers=headers, json=contact_body(centre, **body))
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)
    r = client.post(odense.url(f"{X}/contacts"), headers=headers, json={"centre_id": centre})
    assert r.status_code == 422 and {"contact_on", "help", "service", "worker_role"} <= set(r.json["fields"])
    add_contact(client, odense, centre, citizen_code="K1", contact_on=(DAY - dt.timedelta(days=5)).isoformat())
    r = post_contact(client, odense, centre, citizen_code="k1", first_contact="yes")
    assert r.status_code == 422 and "first_contact" in r.json["fields"], r.json


def test_another_municipalitys_contact_is_a_404(client, odense, aarhus):
    centre = add_centre(client, odense)
    made = add_contact(client, odense, centre)
    assert client.get(aarhus.url(f"{X}/contacts/{made['id']}"), headers=aarhus.dropin_coordinator.headers).status_code == 404
    r = post_contact(client, aarhus, centre, role="dropin_coordinator")
    assert r.status_code == 404, r.json
    assert client.get(aarhus.url(f"{X}/contacts"), headers=aarhus.dropin_coordinator.headers).json == []


# --- the pages ------------------------------------------------------------------------------------

def test_the_centre_staff_record_a_contact_on_the_page(client, odense, browse):
    centre = add_centre(client, odense)
    staff = browse(odense, "dropin_centre_staff")
    text = text_of(staff.get(page(odense, "/contacts")))
    assert "Café Vest" in text
    r = staff.post(page(odense, f"/centres/{centre}/contacts"),
                   data={"contact_on": DAY.isoformat(), "help": ["forms_paperwork", "escort_to_meetings"],
                         "service": "centre", "worker_role": "centre_staff", "citizen_code": "Ravn"})
    assert r.status_code == 302, r.data[:2000]
    text = text_of(staff.get(page(odense, f"/centres/{centre}/contacts")))
    assert "Help with forms and other paperwork" in text and "Escort to meetings" in text
    assert "Centre staff" in text and "Anonymous, code RAVN" in text
    r = staff.post(page(odense, f"/centres/{centre}/contacts"),
                   data={"contact_on": DAY.isoformat(), "help": "forms_paperwork", "service": "case_processing",
                         "worker_role": "municipal_authority"})
    assert r.status_code == 403 and "only a municipal worker with authority may record a contact in that role" in text_of(r)
    r = staff.post(page(odense, f"/centres/{centre}/contacts"),
                   data={"contact_on": DAY.isoformat(), "help": "forms_paperwork", "service": "centre",
                         "worker_role": "centre_staff", "citizen_code": "0101901234"})
    assert r.status_code == 422
    text = text_of(r)
    assert "There is a problem" in text and "looks like a CPR number" in text


def test_a_note_with_a_date_or_a_time_is_not_taken_for_a_cpr_number(client, odense):
    centre = add_centre(client, odense)
    for note in ("Næste møde 12.05.2025 kl. 10:30", "Brev af 2025-05-12", "Ansøgning 12/05/2025, 2 bilag"):
        made = add_contact(client, odense, centre, note=note)
        assert made["note"] == note
    for note in ("cpr 1705801234", "170580-1234", "17 05 80 1234", "17.05.80-1234", "ring 12345678"):
        r = post_contact(client, odense, centre, note=note)
        assert r.status_code == 422 and "note" in r.json["fields"], (note, r.json)
