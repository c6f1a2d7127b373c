"""A citizen's consent turns anonymous contacts into a person with a case ("Som udgangspunkt er det
frivilligt for borgerne, om de vil tage imod tilbuddene fra kommunen"): the person registered with
a CPR number, a dropin case opened, the code's contacts linked; the withdrawal dated, journalled,
the case closed and no new contact linked (409 saying why) until a new consent reopens the case;
the case panel shows the contacts with the worker's role; bad input a 422 naming the fields."""

from __future__ import annotations

import datetime as dt
import re

from tests.plugins.dropin.contact_flows import DAY, add_centre, add_contact, cpr, give_consent, post_contact
from tests.plugins.dropin.pages import X, page, text_of


def _case(client, town, case_id):
    r = client.get(town.url(f"/cases/{case_id}"), headers=town.dropin_coordinator.headers)
    assert r.status_code == 200, r.json
    return r.json


def test_consent_creates_a_person_and_a_case_and_links_the_codes_contacts(client, odense):
    centre = add_centre(client, odense)
    first = add_contact(client, odense, centre, citizen_code="ravn")
    second = add_contact(client, odense, centre, citizen_code="RAVN", role="dropin_outreach",
                         worker_role="municipal_authority", service="case_processing")
    other = add_contact(client, odense, centre, citizen_code="ugle")
    r = give_consent(client, odense, citizen_code="Ravn")
    assert r.status_code == 201, r.json
    consent = r.json
    assert (consent["in_force"], consent["scope"], consent["citizen_code"], consent["linked_contacts"]) == \
        (True, ["jobcentre", "centre_staff"], "RAVN", 2)
    case = _case(client, odense, consent["case_id"])
    assert (case["plugin"], case["state"], case["person_id"]) == ("dropin", "in_contact", consent["person_id"])
    for made in (first, second):
        r = client.get(odense.url(f"{X}/contacts/{made['id']}"), headers=odense.dropin_outreach.headers)
        assert (r.json["person_id"], r.json["case_id"], r.json["anonymous"]) == \
            (consent["person_id"], consent["case_id"], False)
    r = client.get(odense.url(f"{X}/contacts/{other['id']}"), headers=odense.dropin_outreach.headers)
    assert r.json["anonymous"] is True
    later = add_contact(client, odense, centre, citizen_code="ravn")
    assert later["case_id"] == consent["case_id"]
    by_id = add_contact(client, odense, centre, person_id=consent["person_id"])
    assert by_id["case_id"] == consent["case_id"]


def test_withdrawal_closes_the_case_and_stops_linking_until_a_new_consent(client, odense):
    centre = add_centre(client, odense)
    add_contact(client, odense, centre, citizen_code="ravn")
    consent = give_consent(client, odense, citizen_code="ravn").json
    url = odense.url(f"{X}/consents/{consent['id']}/withdrawal")
    headers = odense.dropin_outreach.headers
    r = client.post(url, headers=headers, json={"withdrawn_on": (DAY - dt.timedelta(days=1)).isoformat(),
                                                "reason": "Vil ikke"})
    assert r.status_code == 422 and "withdrawn_on" in r.json["fields"]
    r = client.post(url, headers=odense.dropin_centre_staff.headers, json={"withdrawn_on": DAY.isoformat(), "reason": "x"})
    assert r.status_code == 403
    r = client.post(url, headers=headers, json={"withdrawn_on": DAY.isoformat(), "reason": "Ønsker ikke mere hjælp"})
    assert r.status_code == 200, r.json
    assert (r.json["in_force"], r.json["withdrawn_on"], r.json["withdrawal_reason"]) == \
        (False, DAY.isoformat(), "Ønsker ikke mere hjælp")
    case = _case(client, odense, consent["case_id"])
    assert case["state"] == "closed" and case["closed_at"] is not None
    journal = client.get(odense.url(f"/cases/{consent['case_id']}/journal"), headers=odense.dropin_coordinator.headers)
    assert journal.status_code == 200, journal.json
    kinds = [event["kind"] for event in journal.json]
    assert "dropin_consent_withdrawn" in kinds and "transition" in kinds
    assert client.post(url, headers=headers, json={"withdrawn_on": DAY.isoformat(), "reason": "igen"}).status_code == 409

    r = post_contact(client, odense, centre, person_id=consent["person_id"])
    assert r.status_code == 409 and f"withdrew their consent on {DAY.isoformat()}" in r.json["message"], r.json
    assert add_contact(client, odense, centre, citizen_code="ravn")["anonymous"] is True
    r = client.post(odense.url(f"/cases/{consent['case_id']}/transitions"), headers=headers,
                    json={"transition": "reopen", "data": {}})
    assert r.status_code == 409 and "no consent is in force" in r.json["message"], r.json

    again = give_consent(client, odense, person_id=consent["person_id"], citizen_code="ravn")
    assert again.status_code == 201, again.json
    assert again.json["case_id"] == consent["case_id"] and again.json["linked_contacts"] == 2
    case = _case(client, odense, consent["case_id"])
    assert case["state"] == "in_contact" and case["closed_at"] is None


def test_bad_consent_input_is_refused_naming_the_fields(client, odense):
    for body, fields in (({"scope": []}, {"scope"}), ({"scope": ["the press"]}, {"scope"}),
                         ({"national_id": "0101901234x", "given_name": "A", "family_name": "B"}, {"national_id"}),
                         ({"national_id": cpr(odense), "given_name": ""}, {"given_name", "family_name"}),
                         ({"person_id": 1, "national_id": cpr(odense)}, {"person_id", "national_id"}),
                         ({"person_id": 999999}, {"person_id"}),
                         ({"citizen_code": "0101901234"}, {"citizen_code"}),
                         ({"given_on": (dt.date.today() + dt.timedelta(days=9)).isoformat()}, {"given_on"}),
                         ({"hair": "red"}, {"hair"})):
        r = give_consent(client, odense, **body)
        assert r.status_code == 422 and fields <= set(r.json["fields"]), (body, r.json)
    assert give_consent(client, odense, role="dropin_centre_staff").status_code == 403


def test_a_code_is_one_persons_and_one_consent_is_in_force_at_a_time(client, odense, aarhus):
    first = give_consent(client, odense, citizen_code="ravn").json
    r = give_consent(client, odense, citizen_code="RAVN", national_id=cpr(odense, dt.date(1990, 2, 3)),
                     given_name="B", family_name="C")
    assert r.status_code == 409 and "citizen_code" in r.json["fields"], r.json
    r = give_consent(client, odense, person_id=first["person_id"])
    assert r.status_code == 409 and "in force already" in r.json["message"]
    r = client.get(aarhus.url(f"{X}/consents/{first['id']}"), headers=aarhus.dropin_coordinator.headers)
    assert r.status_code == 404


# --- the pages ------------------------------------------------------------------------------------

def test_the_case_panel_shows_the_contacts_and_withdraws_the_consent(client, odense, browse):
    centre = add_centre(client, odense)
    add_contact(client, odense, centre, citizen_code="ravn", role="dropin_outreach",
                worker_role="municipal_authority", service="case_processing", help=["action_plans_benefits"])
    outreach = browse(odense, "dropin_outreach")
    r = outreach.post(page(odense, "/consents"), data={"citizen_code": "ravn", "national_id": cpr(odense),
                                                       "given_name": "Test", "family_name": "Borger",
                                                       "given_on": DAY.isoformat(), "scope": ["jobcentre"]})
    assert r.status_code == 302, text_of(r)[:2000]
    case_url = r.headers["Location"].split("#")[0]
    text = text_of(outreach.get(case_url))
    assert "Contacts and consent" in text and "Municipal worker with authority" in text
    assert "Action plans and granting of benefits" in text and "The jobcentre" in text
    r = outreach.post(page(odense, "/consents/999999/withdrawal"), data={"withdrawn_on": DAY.isoformat(),
                                                                         "reason": "x"})
    assert r.status_code == 404
    withdrawal = re.search(r"/consents/(\d+)/withdrawal", outreach.get(case_url).get_data(as_text=True))
    assert withdrawal, "the panel has the withdrawal form"
    path = page(odense, f"/consents/{withdrawal.group(1)}/withdrawal")
    r = outreach.post(path, data={"withdrawn_on": DAY.isoformat()})
    assert r.status_code == 422 and "There is a problem" in text_of(r)
    r = outreach.post(path, data={"withdrawn_on": DAY.isoformat(), "reason": "Vil ikke"})
    assert r.status_code == 302
    text = text_of(outreach.get(case_url))
    assert "No consent is in force" in text and "Earlier consents" in text


def test_a_withdrawal_needs_a_reason_not_just_spaces(client, odense):
    consent = give_consent(client, odense).json
    r = client.post(odense.url(f"{X}/consents/{consent['id']}/withdrawal"), headers=odense.dropin_outreach.headers,
                    json={"withdrawn_on": DAY.isoformat(), "reason": "   "})
    assert r.status_code == 422 and "reason" in r.json["fields"], r.json
    assert client.get(odense.url(f"{X}/consents/{consent['id']}"),
                      headers=odense.dropin_outreach.headers).json["in_force"] is True
