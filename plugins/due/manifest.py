"""Who the plugin is: its manifest, Bergen's per-tenant settings and the permissions it adds.

The settings are the guideline's numbers a municipality may change without a new release: the
target-group age range (16–23 now; the 2009 guideline's 16–25 is ``max_age: 25``), the number of
places, the waiting-list weights, the days of warning before a report is due, whether start dates
fall only on the 1st and 15th (the 2009 guideline), and the 2016 base price.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Manifest, RetentionRule, Schema, ValidationError, fields, validate, validates_schema

PLUGIN_ID = "due"

# Permissions (checked through the toolkit's requires / require_permission, and on transitions).
INTAKE = "due:intake"                        # move a case through intake, record the vedtak
WAITLIST_READ = "due:waitlist:read"
CASE_READ = "due:case:read"                  # the placement overview of a case
COORDINATE = "due:coordinate"                # assign coordinators, record absences and substitutes
FOLLOW_UP = "due:follow_up"                  # notice, break-off, ending
TRANSFER = "due:transfer"                    # request a transfer to another referring unit
TRANSFER_DECIDE = "due:transfer:decide"      # a leader settles a disputed transfer
EXTRA_APPROVE = "due:extra:approve"          # a leader approves extra resources in advance
PRICES_READ = "due:prices:read"
PRICES_MANAGE = "due:prices:manage"          # the tenant admin keeps the deflator table
REMINDERS_READ = "due:reminders:read"
REMINDERS_RUN = "due:reminders:run"          # run the daily reminder job now

_STAFF = (CASE_READ, WAITLIST_READ, PRICES_READ, REMINDERS_READ)
ROLES: dict[str, tuple[str, ...]] = {
    "caseworker": (*_STAFF, INTAKE, FOLLOW_UP, TRANSFER),
    "coordinator": (*_STAFF, COORDINATE, FOLLOW_UP),
    "leader": (*_STAFF, INTAKE, FOLLOW_UP, TRANSFER, TRANSFER_DECIDE, EXTRA_APPROVE, COORDINATE, REMINDERS_RUN),
    "tenant_admin": (PRICES_READ, PRICES_MANAGE, REMINDERS_RUN),
    "finance": (PRICES_READ,),
    "auditor": (PRICES_READ,),
}


class Settings(Schema):
    """Bergen's DUE settings; every write is validated whole (422 naming the field)."""

    min_age = fields.Integer(load_default=16, validate=validate.Range(min=10, max=30),
                             metadata={"description": "Lowest age at referral in the target group"})
    max_age = fields.Integer(load_default=23, validate=validate.Range(min=10, max=30),
                             metadata={"description": "Highest age at referral (23; the 2009 guideline: 25)"})
    places = fields.Integer(load_default=20, validate=validate.Range(min=0, max=10000),
                            metadata={"description": "Places in DUE; when all are taken, referrals wait"})
    weight_problems = fields.Integer(load_default=2, validate=validate.Range(min=0, max=100),
                                     metadata={"description": "Priority points per target-group criterion met"})
    weight_age = fields.Integer(load_default=1, validate=validate.Range(min=0, max=100),
                                metadata={"description": "Priority points per year above the lowest age"})
    weight_transition = fields.Integer(load_default=3, validate=validate.Range(min=0, max=100),
                                       metadata={"description": "Priority points per step of transition urgency"})
    report_reminder_days = fields.Integer(load_default=14, validate=validate.Range(min=0, max=120),
                                          metadata={"description": "Remind this many days before a report is due"})
    final_report_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365),
                                       metadata={"description": "Days after the end the final report is due"})
    start_on_1st_or_15th = fields.Boolean(load_default=False,
                                          metadata={"description": "Start dates only on the 1st or 15th"})
    base_year = fields.Integer(load_default=2016, validate=validate.Range(min=2000, max=2100))
    base_price = fields.Integer(load_default=17800, validate=validate.Range(min=1, max=10_000_000),
                                metadata={"description": "Monthly price in whole kroner in the base year"})

    @validates_schema
    def _age_range(self, data, **kwargs):
        if data.get("min_age", 16) > data.get("max_age", 23):
            raise ValidationError(f"the upper age limit {data.get('max_age')} is below the lower "
                                  f"{data.get('min_age')}", field_name="max_age")


MANIFEST = Manifest(
    id=PLUGIN_ID,
    title="Der Ungdommen Er (Bergen)",
    version="1.0",
    countries=("NO",),
    settings_schema=Settings,
    roles=ROLES,
    description="Youth follow-up by a coordinator from referral to the last invoice: eligibility, waiting "
                "list, intake, start meeting, reports, transfers, ending and monthly billing.",
    migrations=str(Path(__file__).parent / "migrations" / "versions"),
)


#: How long a DUE case is kept (velferd.retention). DUE is a child-welfare measure: its cases are
#: deposited to the archive depot, never deleted (the core deposits any case referred by a child
#: welfare office whatever a rule says; DUE deposits the others too, which the archivist confirms).
RETENTION = (
    RetentionRule(
        "due.case", "case", "case_closed", years=5, min_years=0, max_years=25, action="deposit",
        source="arkivlova § 9; Riksarkivarens forskrift kap. 7 (barnevernssaker skal bevares og avleveres); "
               "barnevernsloven; the period before deposit is agreed with the depot (IKA Vestland)",
        title="DUE cases (child welfare and housing follow-up)"),
)
