"""`make demo` shows Bergen's programme at work: a deflator table up to this year, youths who
started months ago, and last month's invoice run billing them at once."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import sqlalchemy as sa
from velferd_due import prices
from velferd_due.demo import ASSUMED_DEFLATOR, complete_deflator_table

from velferd import demo
from velferd.clock import tenant_today
from velferd.db import db
from velferd.models import Case, Decision, Invoice, Meeting, Tenant, Unit, User
from velferd.plugins.enablement import settings_for
from velferd.tenancy import tenant_scope

BERGEN = next(town for town in demo.TENANTS if town.slug == "bergen")
#: A file name a source might cite (DOMAIN.md, a CSV…): a figure's source must be a public document.
FILE_NAME = re.compile(r"\b[\w./-]+\.(md|txt|csv|json|ya?ml|py|xlsx?)\b", re.IGNORECASE)


def seeded_bergen(app) -> Tenant:
    list(demo.seed([BERGEN]))
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))


def last_month(today: dt.date) -> str:
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def test_demo_seeds_started_and_referred_youths_once(app):
    with app.app_context():
        lines = list(demo.seed([BERGEN])) + list(demo.seed([BERGEN]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))
        with tenant_scope(tenant):
            cases = db.session.scalars(sa.select(Case).where(Case.plugin == "due")).all()
            outcomes = db.session.scalars(sa.select(Decision.outcome).where(Decision.plugin == "due")).all()
    assert sorted(case.state for case in cases) == ["referred"] * 3 + ["started"] * 2
    assert all(case.referring_unit_id for case in cases)
    assert outcomes == ["eligible"] * 5
    assert any("(due)" in line for line in lines)


def test_the_demos_start_meetings_record_the_youth_the_coordinator_and_the_referring_unit(app):
    """Guideline 4.3: the start meeting is held with the youth, DUE and the referring unit."""
    with app.app_context():
        tenant = seeded_bergen(app)
        with tenant_scope(tenant):
            meetings = db.session.scalars(sa.select(Meeting).where(Meeting.kind == "start_meeting")).all()
            referring = {case.id: db.session.get(Unit, case.referring_unit_id).name
                         for case in db.session.scalars(sa.select(Case).where(Case.state == "started"))}
    assert len(meetings) == 2
    for meeting in meetings:
        assert [p["role"] for p in meeting.participants] == ["youth", "coordinator", "referring_unit"]
        assert meeting.participants[2]["unit"] == referring[meeting.case_id]


def test_the_deflator_table_covers_every_year_up_to_this_one_with_sources(app):
    with app.app_context():
        tenant = seeded_bergen(app)
        with tenant_scope(tenant):
            settings = settings_for(tenant, "due")
            this_year = tenant_today(tenant).year
            table = prices.deflators()
            price_rows = prices.price_table(settings, this_year)
            admin = db.session.scalar(sa.select(User).where(User.email == demo.staff_email("bergen", "tenant_admin")))
    assert sorted(table) == list(range(settings["base_year"], this_year + 1))
    assert [row.missing for row in price_rows] == [None] * len(price_rows)  # every year has a price
    for year, row in table.items():
        assert row.source and not FILE_NAME.search(row.source), (year, row.source)
        assert row.entered_by_id == admin.id and row.entered_at is not None
        if year in prices.PUBLISHED:
            assert (row.percent, row.source) == prices.PUBLISHED[year]
        else:  # the admin's own figure says so
            assert row.percent == ASSUMED_DEFLATOR
            assert "entered by the tenant admin" in row.source and "not a published figure" in row.source


def test_no_published_figure_cites_a_file():
    assert all(not FILE_NAME.search(source) for _, source in prices.PUBLISHED.values())


def test_next_year_the_table_grows_by_that_year(app):
    """The demo takes the last year from the clock: seeding again next year adds that year only."""
    with app.app_context():
        tenant = seeded_bergen(app)
        with tenant_scope(tenant):
            this_year = tenant_today(tenant).year
            admin = db.session.scalar(sa.select(User).where(User.email == demo.staff_email("bergen", "tenant_admin")))
            before = {year: row.source for year, row in prices.deflators().items()}
            complete_deflator_table(admin, settings_for(tenant, "due")["base_year"], this_year + 1)
            after = {year: row.source for year, row in prices.deflators().items()}
    assert set(after) - set(before) == {this_year + 1}
    assert {year: after[year] for year in before} == before


def test_last_months_invoice_run_bills_the_started_youths_at_once(app, smtp_server):
    """What README's `velferd invoices run --tenant bergen --period <last month>` does after `make
    demo`: one invoice per paying unit, a whole month at this year's price, delivered."""
    app.config.update(smtp_server.config)
    with app.app_context():
        tenant = seeded_bergen(app)
        today = tenant_today(tenant)
        with tenant_scope(tenant):
            month_price = prices.price_for_year(int(last_month(today)[:4]), settings_for(tenant, "due"),
                                                prices.percent_table())
    period = last_month(today)
    result = app.test_cli_runner().invoke(args=["invoices", "run", "--tenant", "bergen", "--period", period])
    assert result.exit_code == 0, result.output
    with app.app_context(), tenant_scope(db.session.get(Tenant, tenant.id)):
        invoices = db.session.scalars(sa.select(Invoice).where(Invoice.plugin == "due")).all()
        billed = {invoice.payer_name: (invoice.status, invoice.total, f"{invoice.period_start:%Y-%m}")
                  for invoice in invoices}
    assert set(billed) == {"Barneverntjenesten Årstad", "NAV Bergenhus"}
    assert all(total == month_price > Decimal("20000") for _, total, _ in billed.values())
    assert {month for _, _, month in billed.values()} == {period}
    assert {status for status, _, _ in billed.values()} <= {"issued", "sent"}
    (mail,) = smtp_server.wait_for_messages(1)  # NAV Bergenhus takes its invoices by e-mail
    assert mail.rcpt_tos == ("faktura@nav-bergenhus.demo",)
