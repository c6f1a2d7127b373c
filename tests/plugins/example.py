"""A small but complete plugin used by the core's tests: a form, a rule, a workflow, routes and
runtime hooks, written against `velferd.toolkit` only, exactly as a programme plugin would be.

It records every runtime hook call in `calls`, so tests can prove a hook was (not) called
for a tenant.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema, fields, validate

from velferd.toolkit import (
    BeatEntry,
    Conflict,
    Decision,
    FormSpec,
    InvoiceLine,
    InvoiceLineProvider,
    Manifest,
    NotFound,
    Outcome,
    Plugin,
    RuleSpec,
    TaskContext,
    TaskSpec,
    Transition,
    Workflow,
    audit,
    current_tenant,
    current_user,
    db,
    enqueue,
    get_owned,
    hookimpl,
    requires,
    settings_for,
)

CRITERIA = ("needs_housing", "leaving_institution", "no_daytime_activity")


class Settings(Schema):
    min_age = fields.Integer(load_default=16, validate=validate.Range(min=0, max=30))
    max_age = fields.Integer(load_default=23, validate=validate.Range(min=0, max=30))
    places = fields.Integer(load_default=10, validate=validate.Range(min=0))


class ReferralForm(Schema):
    motivation = fields.String(required=True, validate=validate.Length(min=3))
    criteria = fields.List(fields.String(validate=validate.OneOf(CRITERIA)), required=True)
    age = fields.Integer(required=True, validate=validate.Range(min=0, max=120))


class EligibilityInputs(Schema):
    age = fields.Integer(required=True, validate=validate.Range(min=0, max=120))
    criteria = fields.List(fields.String(validate=validate.OneOf(CRITERIA)), required=True)


def eligibility(inputs, context) -> Outcome:
    settings = context.settings
    reasons = []
    if inputs["age"] > settings["max_age"]:
        reasons.append(f"{inputs['age']} is above the upper age limit {settings['max_age']}")
    if inputs["age"] < settings["min_age"]:
        reasons.append(f"{inputs['age']} is below the lower age limit {settings['min_age']}")
    if not inputs["criteria"]:
        reasons.append("no target-group criterion is met")
    if reasons:
        return Outcome("not_eligible", tuple(reasons))
    return Outcome("eligible", (f"age {inputs['age']} is within {settings['min_age']}–{settings['max_age']}",
                                f"meets: {', '.join(inputs['criteria'])}"))


def needs_eligible_decision(context) -> str | None:
    latest = db.session.scalar(
        sa.select(Decision).where(Decision.case_id == context.case.id, Decision.rule == "eligibility")
        .order_by(Decision.id.desc()).limit(1)
    )
    if latest is None:
        return "no eligibility decision is recorded for the case"
    if latest.outcome != "eligible":
        return f"the latest eligibility decision is '{latest.outcome}'"
    return None


WORKFLOW = Workflow(
    name="example_intake",
    initial="referred",
    states=("referred", "assessed", "accepted", "declined", "closed"),
    final=("closed",),
    transitions=(
        Transition("assess", ("referred",), "assessed"),
        Transition("accept", ("assessed",), "accepted", guards=(needs_eligible_decision,)),
        Transition("decline", ("referred", "assessed"), "declined"),
        Transition("close", ("accepted", "declined"), "closed", permission="decisions:override"),
    ),
)

plain_routes = Blueprint("example_plain", __name__)
api_routes = ApiBlueprint("example_api", __name__, description="Example plugin")


@plain_routes.get("/hello")
def hello():
    tenant = current_tenant()
    return jsonify(tenant=tenant.slug, settings=settings_for(tenant, "example"))


class SummarySchema(Schema):
    case_id = fields.Integer()
    state = fields.String()


@api_routes.get("/cases/<int:case_id>/summary")
@api_routes.response(200, SummarySchema)
def case_summary(case_id):
    """The example plugin's short view of a case."""
    from velferd.toolkit import Case

    case = get_owned(Case, case_id)
    if case is None or case.plugin != "example":
        raise NotFound(f"no example case {case_id}")
    return {"case_id": case.id, "state": case.state}


MONTHLY_PRICE = Decimal("12500.00")


class JobRequestSchema(Schema):
    task = fields.String(load_default="example.remind",
                         validate=validate.OneOf(("example.remind", "example.flaky", "example.broken")))
    kwargs = fields.Dict(keys=fields.String(), load_default=dict)
    fail_after_enqueue = fields.Boolean(load_default=False)


class JobRefSchema(Schema):
    id = fields.Integer()
    state = fields.String()


@api_routes.post("/jobs")
@requires("cases:write")
@api_routes.arguments(JobRequestSchema)
@api_routes.response(202, JobRefSchema)
def request_job(data):
    """A request that asks for a background job (and, to test rollback, can fail after asking)."""
    job = enqueue(data["task"], tenant=current_tenant(), kwargs=data["kwargs"], actor=current_user())
    if data["fail_after_enqueue"]:
        raise Conflict("the request failed after asking for the job")
    db.session.commit()
    return {"id": job.id, "state": job.state}


def lines_for(tenant, settings, start, end):
    """One month of follow-up for every open example case referred by a paying unit (a unit with
    a payer kind) — enough for the core's invoice run to bill something in every test town."""
    from velferd.toolkit import Case, Unit

    rows = db.session.execute(
        sa.select(Case.id, Case.referring_unit_id).join(Unit, Unit.id == Case.referring_unit_id)
        .where(Case.plugin == "example", Case.closed_at.is_(None), Unit.payer_kind.is_not(None))
        .order_by(Case.id))
    return [InvoiceLine(unit_id, f"Follow-up {start:%m/%Y}", Decimal(1), MONTHLY_PRICE, start, end, case_id)
            for case_id, unit_id in rows]


def remind(ctx: TaskContext, **kwargs) -> dict:
    """The daily job: reports what a task sees — its tenant, settings re-read at run time and,
    on PostgreSQL, the row-level-security setting of its transaction."""
    rls = None
    if db.session.get_bind().dialect.name == "postgresql":
        rls = db.session.scalar(sa.text("select current_setting('velferd.tenant_id', true)"))
    return {"tenant": ctx.tenant.slug, "settings": dict(ctx.settings), "rls_tenant_id": rls,
            "job_id": ctx.job.id, "kwargs": kwargs}


class Refused(RuntimeError):
    """What a service says when asking again cannot help (like a mail server's 5xx)."""

    permanent = True


def flaky(ctx: TaskContext, fail_attempts: int = 0, needs_places: bool = False, refused: bool = False) -> dict:
    """Writes an audit row, then fails on its first `fail_attempts` attempts, and on every one
    while `needs_places` and the tenant's ``places`` setting is 0; with `refused`, fails for good.
    A failed attempt's audit row must be rolled back with it."""
    audit.record("example.flaky_ran", "job_run", ctx.job.id, details={"attempt": ctx.job.attempts})
    if refused:
        raise Refused("the example service refuses this request for good")
    if ctx.job.attempts <= fail_attempts:
        raise RuntimeError(f"the example service is down (attempt {ctx.job.attempts})")
    if needs_places and ctx.settings["places"] == 0:
        raise RuntimeError("no places are configured")
    return {"attempts": ctx.job.attempts, "places": ctx.settings["places"]}


def broken(ctx: TaskContext) -> None:
    raise RuntimeError("the example service refuses this request")


TASKS = [
    TaskSpec("example.remind", remind, title="Daily reminder"),
    TaskSpec("example.flaky", flaky, idempotent=False, max_attempts=3, backoff_seconds=1, title="Flaky"),
    TaskSpec("example.broken", broken, max_attempts=1, title="Always fails at once"),
]


class ExamplePlugin:
    """Registered in fixtures as an object (datasette style), so each test gets a fresh `calls`."""

    __name__ = "ExamplePlugin"

    def __init__(self):
        self.calls: list[tuple[str, str]] = []
        self.payloads: list[dict] = []

    @hookimpl
    def velferd_plugin(self):
        return Plugin(
            Manifest(id="example", title="Example programme", version="1.0", countries=("NO", "DK"),
                     settings_schema=Settings, roles={"example_reviewer": ("cases:read", "decisions:override")}),
            WORKFLOW,
            forms=[FormSpec("referral", 2, ReferralForm, title="Referral")],
            rules=[RuleSpec("eligibility", 3, EligibilityInputs, eligibility, title="Eligibility")],
            tasks=TASKS,
            beat_entries=[BeatEntry("example-daily", "example.remind", "0 7 * * *")],
            invoice_line_providers=[InvoiceLineProvider("example-monthly", lines_for)],
            blueprints=lambda: [plain_routes, api_routes],
        )

    @hookimpl
    def velferd_case_opened(self, tenant, case, actor):
        self.calls.append(("case_opened", tenant.slug))

    @hookimpl
    def velferd_case_transitioned(self, tenant, case, transition, from_state, actor, payload):
        self.calls.append(("case_transitioned", tenant.slug))
        self.payloads.append(dict(payload))

    @hookimpl
    def velferd_form_submitted(self, tenant, submission, actor):
        self.calls.append(("form_submitted", tenant.slug))

    @hookimpl
    def velferd_decision_recorded(self, tenant, decision, actor):
        self.calls.append(("decision_recorded", tenant.slug))

    @hookimpl
    def velferd_demo_seed(self, tenant, staff):
        assert {"tenant_admin", "example_reviewer"} <= set(staff)
        self.calls.append(("demo_seed", tenant.slug))
