"""The costs per service and year: entered in DKK as exact Decimals (never floats), not negative,
at most 2 decimals, unique per year, service and label (409); each service's total for the
evaluation's unit cost ("Enhedsudgifterne [...] pr. borger, der anvender tilbuddet"), the pure
`costs.total_by_service(year)`; read with EVALUATION_READ, written with COSTS_MANAGE; Aarhus never
sees Odense's costs (404); the costs page lists, totals, refuses naming the field and removes."""

from __future__ import annotations

from decimal import Decimal

from velferd_dropin import costs

from tests.plugins.dropin.pages import X, page, text_of
from velferd.tenancy import tenant_scope

COST = {"year": 2026, "service": "case_processing", "label": "Sagsbehandler, 1 dag om ugen",
        "amount": "182000.10", "covers": "Løn inkl. pension; den sparede tid i forvaltningen er ikke fraregnet"}


def add(client, town, role="dropin_coordinator", **body):
    return client.post(town.url(f"{X}/costs"), headers=town.staff[role].headers, json={**COST, **body})


def year(client, town, number, role="dropin_coordinator"):
    r = client.get(town.url(f"{X}/costs?year={number}"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return r.json


def test_costs_are_exact_decimals_and_total_per_service(app, client, odense):
    assert add(client, odense).status_code == 201
    assert add(client, odense, label="Kørsel", amount="0.20", covers=None).status_code == 201
    assert add(client, odense, service="skp", label="SKP 10 timer om ugen", amount="99999.99").status_code == 201
    assert add(client, odense, year=2025, label="Sidste år", amount="5").status_code == 201
    body = year(client, odense, 2026)
    assert body["totals"] == {"case_processing": "182000.30", "substance_abuse": "0.00", "skp": "99999.99",
                              "centre": "0.00"}
    assert body["total"] == "282000.29"
    assert [one["label"] for one in body["costs"]] == ["Kørsel", "Sagsbehandler, 1 dag om ugen", "SKP 10 timer om ugen"]
    assert body["costs"][1]["amount"] == "182000.10" and body["costs"][1]["entered_by_id"] is not None
    with app.app_context(), tenant_scope(odense.tenant):
        totals = costs.total_by_service(2026)
        assert totals["case_processing"] == Decimal("182000.30") and isinstance(totals["skp"], Decimal)
        assert costs.total_by_service(2024) == dict.fromkeys(costs.SERVICES, Decimal("0.00"))


def test_bad_amounts_and_fields_are_refused_naming_the_field(client, odense):
    for body, field in (({"amount": "-1"}, "amount"), ({"amount": "10.005"}, "amount"), ({"amount": 0.125}, "amount"),
                        ({"amount": "NaN"}, "amount"), ({"amount": "1e15"}, "amount"), ({"amount": "abc"}, "amount"),
                        ({"service": "housing"}, "service"), ({"year": 1999}, "year"), ({"label": ""}, "label"),
                        ({"per_citizen": 3}, "per_citizen")):
        r = add(client, odense, **body)
        assert r.status_code == 422 and field in r.json["fields"], (body, r.json)
    r = add(client, odense, label="Et tal", amount=0.1)  # a JSON number is read as its decimal text: exact
    assert r.status_code == 201 and r.json["amount"] == "0.10"
    assert add(client, odense).status_code == 201
    r = add(client, odense, amount="1.00")
    assert r.status_code == 409 and "label" in r.json["fields"]
    assert add(client, odense, service="skp").status_code == 201  # the same label for another service
    assert client.get(odense.url(f"{X}/costs?year=20x6"), headers=odense.dropin_coordinator.headers).status_code == 422


def test_a_cost_is_changed_and_removed(client, odense):
    created = add(client, odense).json
    headers = odense.dropin_coordinator.headers
    r = client.patch(odense.url(f"{X}/costs/{created['id']}"), headers=headers, json={"amount": "150000.5"})
    assert r.status_code == 200 and r.json["amount"] == "150000.50"
    r = client.patch(odense.url(f"{X}/costs/{created['id']}"), headers=headers, json={"amount": "-3"})
    assert r.status_code == 422 and "amount" in r.json["fields"]
    assert client.delete(odense.url(f"{X}/costs/{created['id']}"), headers=headers).status_code == 204
    assert year(client, odense, 2026)["costs"] == []


def test_who_may_read_and_write_and_aarhus_never_sees_odenses(client, odense, aarhus):
    created = add(client, odense).json
    r = client.get(odense.url(f"{X}/costs?year=2026"), headers=odense.dropin_outreach.headers)
    assert r.status_code == 403 and "dropin:evaluation:read" in r.json["message"]
    assert add(client, odense, role="dropin_centre_staff", label="x").status_code == 403
    assert year(client, aarhus, 2026)["costs"] == [] and year(client, aarhus, 2026)["total"] == "0.00"
    headers = aarhus.dropin_coordinator.headers
    assert client.patch(aarhus.url(f"{X}/costs/{created['id']}"), headers=headers,
                        json={"amount": "1"}).status_code == 404
    assert client.delete(aarhus.url(f"{X}/costs/{created['id']}"), headers=headers).status_code == 404
    assert add(client, aarhus).status_code == 201  # the same label in another municipality


def test_the_costs_page(client, odense, browse):
    add(client, odense)
    coordinator = browse(odense, "dropin_coordinator")
    r = coordinator.get(page(odense, "/costs?year=2026"))
    assert r.status_code == 200
    text = text_of(r)
    assert "Sagsbehandler, 1 dag om ugen" in text and "182,000.10\u00a0kr." in r.text  # the page is in English
    assert 'scope="row"' in r.text and "Enter a cost" in text
    r = coordinator.post(page(odense, "/costs"), data={**COST, "amount": "-5"})
    assert r.status_code == 422 and 'href="#cost-field-amount"' in r.text and 'value="-5"' in r.text
    r = coordinator.post(page(odense, "/costs"), data={**COST, "label": "Misbrugskonsulent", "service": "substance_abuse",
                                                        "amount": "75000"})
    assert r.status_code == 302
    assert "The cost Misbrugskonsulent is entered." in coordinator.get(r.headers["Location"]).text
    assert year(client, odense, 2026)["totals"]["substance_abuse"] == "75000.00"
    cost_id = year(client, odense, 2026)["costs"][0]["id"]
    r = coordinator.post(page(odense, f"/costs/{cost_id}/delete"))
    assert r.status_code == 302 and len(year(client, odense, 2026)["costs"]) == 1
    assert coordinator.get(page(odense, "/costs?year=abc")).status_code == 422
    assert browse(odense, "dropin_outreach").get(page(odense, "/costs")).status_code == 403
