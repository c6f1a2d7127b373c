"""Who the plugin is: its manifest, Alta's settings and the roles it adds.

The facts are Alta's project plan for aftercare housing (ettervernsboliger, 31.12.08;
../shared/seeds/004_0ae573c03bebbe51.txt) and DOMAIN.md's section ``aftercare``. The roles follow
the plan: the staff of the housing (miljøarbeidere) work with the residents day to day; the
housing's leader decides intake, steps on the staircase and extensions; Finnmarkskollektivet
allocates the one flat at its disposal.
"""

from __future__ import annotations

from pathlib import Path

from velferd.toolkit import Manifest, RetentionRule, Schema, ValidationError, fields, validate, validates_schema

PLUGIN_ID = "aftercare"

# Permissions (checked with the toolkit's require_permission / requires)
READ = "aftercare:read"                          # the occupancy board, a resident's stay, steps, plan
HOUSING_MANAGE = "aftercare:housing:manage"      # buildings and flats as data
ALLOCATE = "aftercare:allocate"                  # allocate or reserve one of the municipality's flats
ALLOCATE_PARTNER_FLAT = "aftercare:allocate:partner"  # the flat at Finnmarkskollektivet's disposal
INTAKE = "aftercare:intake"                      # applications, the assessment phase, consent
DECIDE = "aftercare:decide"                      # intake, steps up and down, extensions, move-out
PLAN = "aftercare:plan"                          # the individual plan (IP), user participation
STIPEND = "aftercare:stipend"                    # the qualification programme and its stipend
G_TABLE_MANAGE = "aftercare:g_table:manage"      # the grunnbeløp table (G per 1 May, with its source)
ROTA_READ = "aftercare:rota:read"
ROTA_MANAGE = "aftercare:rota:manage"            # the rota pattern and a week's rota
BUDGET_READ = "aftercare:budget:read"
BUDGET_MANAGE = "aftercare:budget:manage"        # the yearly budget lines and financing

_READ = ("cases:read", "persons:read", "decisions:read", "forms:read", "plugins:read", "units:read", "tokens:own", READ)
_STAFF = (*_READ, "cases:write", "persons:write", "forms:submit", "decisions:evaluate", INTAKE, PLAN, STIPEND,
          ROTA_READ, BUDGET_READ)
ROLES: dict[str, tuple[str, ...]] = {
    "aftercare_staff": _STAFF,
    "aftercare_leader": (*_STAFF, "decisions:override", "dashboard:read", HOUSING_MANAGE, ALLOCATE, DECIDE, G_TABLE_MANAGE,
                         ROTA_MANAGE, BUDGET_MANAGE),
    "aftercare_partner": (*_READ, ALLOCATE_PARTNER_FLAT),  # Finnmarkskollektivet's contact
}


class Settings(Schema):
    """Alta's settings; every write is validated whole (422 naming the field)."""

    stay_limit_months = fields.Integer(load_default=24, validate=validate.Range(min=1, max=120),
                                       metadata={"description": "The longest stay, in months (the plan: up to two years)"})
    planned_stay_months = fields.Integer(load_default=18, validate=validate.Range(min=1, max=120),
                                         metadata={"description": "A new stay's planned length, in months (the plan: 1–2 years)"})
    warning_days = fields.List(fields.Integer(validate=validate.Range(min=1, max=365)), load_default=lambda: [90, 30],
                               metadata={"description": "Warn this many days before a stay reaches its limit"})
    partner_treatment_months = fields.Integer(load_default=12, validate=validate.Range(min=0, max=60),
                                              metadata={"description": "Months in treatment at the partner "
                                                                       "institution before its flat may be allocated"})

    @validates_schema
    def _planned_within_the_limit(self, data, **kwargs):
        if data.get("planned_stay_months", 18) > data.get("stay_limit_months", 24):
            raise ValidationError(f"the planned stay {data.get('planned_stay_months')} months is longer than the "
                                  f"limit {data.get('stay_limit_months')}", field_name="planned_stay_months")


MANIFEST = Manifest(
    id=PLUGIN_ID,
    title="Aftercare housing (Alta)",
    version="1.0",
    countries=("NO",),
    settings_schema=Settings,
    roles=ROLES,
    description="Flats for people leaving substance-abuse treatment: the assessment and living phases, "
                "the staircase of tenancies, individual plans, staffing and budget.",
    migrations=str(Path(__file__).parent / "migrations" / "versions"),
)


#: How long an aftercare case is kept (velferd.retention): the follow-up is a health and care
#: service after substance-abuse treatment, whose journal information is kept and deposited.
RETENTION = (
    RetentionRule(
        "aftercare.case", "case", "case_closed", years=10, min_years=5, max_years=25, action="deposit",
        source="helse- og omsorgstjenesteloven; pasientjournalloven; Riksarkivarens forskrift § 7-29 "
               "(pasient- og journalopplysninger i helse og omsorg); arkivlova § 9",
        title="Aftercare housing cases"),
)
