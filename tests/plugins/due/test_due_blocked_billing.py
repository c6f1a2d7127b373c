"""A DUE month that cannot be priced (a deflator year missing) blocks the invoice run, and finance
— who cannot read /jobs — reads at once what is missing and who fixes it: the run answers it
when started and whenever it is read. Once the tenant admin enters the figure, finance starts
the run again and the month is billed."""

from __future__ import annotations

from .flows import X, enter_deflators, get, ok, post


def test_a_missing_deflator_blocks_the_run_naming_it_and_the_tenant_admin(client, app, bergen, running,
                                                                          smtp_server):
    app.config.update(smtp_server.config)
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))  # 2017/18 missing

    r = post(client, bergen, "/invoice-runs", {"period": "2025-03"}, role="finance")
    assert r.status_code == 202, r.json
    assert r.json["state"] == "failed"  # not "retrying" for hours: retrying cannot help until someone acts
    run = r.json["run"]
    assert run["state"] == "failed" and run["fixed_by_role"] == "tenant_admin"
    assert "deflator for 2017" in run["error"] and "tenant admin" in run["error"]
    assert not run["error"].startswith("PriceUnknown")  # a sentence for finance, not a class name
    read = ok(get(client, bergen, f"/invoice-runs/{run['id']}", role="finance"))
    assert (read["fixed_by_role"], read["error"]) == ("tenant_admin", run["error"])
    assert client.get(bergen.url("/jobs"), headers=bergen.finance.headers).status_code == 403  # why the run says it

    enter_deflators(client, bergen, {2017: "2.5", 2018: "2.6"})  # the tenant admin fixes it
    r = post(client, bergen, "/invoice-runs", {"period": "2025-03"}, role="finance")
    assert r.status_code == 202 and r.json["state"] == "succeeded", r.json
    run = r.json["run"]
    assert (run["state"], run["error"], run["fixed_by_role"]) == ("completed", None, None)
    assert run["invoice_count"] == 1
