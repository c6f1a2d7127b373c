"""What the contacts and consent tests share: a centre, a contact and a consent through the API."""

from __future__ import annotations

import datetime as dt

from tests.plugins.dropin.pages import X
from velferd.testing import synthetic_id

DAY = dt.date.today() - dt.timedelta(days=3)


def add_centre(client, town, name="Café Vest"):
    r = client.post(town.url(f"{X}/centres"), headers=town.dropin_coordinator.headers,
                    json={"name": name, "ownership": "private"})
    assert r.status_code == 201, r.json
    return r.json["id"]


#: the role a worker of each service acts in, and who records it, unless a test says otherwise
ACTS_AS = {"centre": "centre_staff", "skp": "centre_staff", "case_processing": "municipal_authority",
           "substance_abuse": "municipal_worker"}


def contact_body(centre_id, **body):
    service = body.get("service", "centre")
    return {"centre_id": centre_id, "contact_on": DAY.isoformat(), "help": ["forms_paperwork"],
            "service": service, "worker_role": ACTS_AS.get(service, "centre_staff"), **body}


def recorder(body: dict) -> str:
    """The staff member who records a contact of that role: the centre's staff their own."""
    return "dropin_centre_staff" if contact_body(0, **body)["worker_role"] == "centre_staff" else "dropin_outreach"


def post_contact(client, town, centre_id, role=None, **body):
    return client.post(town.url(f"{X}/contacts"), headers=town.staff[role or recorder(body)].headers,
                       json=contact_body(centre_id, **body))


def add_contact(client, town, centre_id, role=None, **body):
    r = post_contact(client, town, centre_id, role, **body)
    assert r.status_code == 201, r.json
    return r.json


def cpr(town, birth=dt.date(1980, 5, 17)):
    return synthetic_id(town.tenant.country, birth)


def give_consent(client, town, role="dropin_outreach", **body):
    body = {"given_on": DAY.isoformat(), "scope": ["jobcentre", "centre_staff"], **body}
    if "person_id" not in body and "national_id" not in body:
        body.update(national_id=cpr(town), given_name="Test", family_name="Borger")
    return client.post(town.url(f"{X}/consents"), headers=town.staff[role].headers, json=body)
