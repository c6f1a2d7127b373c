"""Texts the aftercare pages draw from the API's own schemas (consent and rules, reservations,
buildings and flats, the plan, goals, partners, participation, the programme, the G table, breaches
and moves on the staircase, the rota's assignments, the budget's lines and financing), marked here
so the plugin's catalogue holds them: velferd.web.plugin_texts finds a plugin's declared schemas
(moves, forms, rules, settings) by itself, but not the schemas its pages draw. The core's renderer
looks each label, hint and choice up (gettext, pgettext "choice");
tests/plugins/aftercare/test_aftercare_texts.py checks this list against `DRAWN_SCHEMAS`, so a new
field cannot be forgotten."""

from __future__ import annotations

from .flat_schemas import BoardQuery, BuildingChanges, BuildingInput, FlatChanges, FlatInput, ReservationInput
from .markers import N_, pgettext
from .operations_schemas import BudgetLineSchema, FinancingLineSchema, PlanBudgetSchema, RotaAssignmentSchema, WeekQuery
from .plan_schemas import GInput, GoalChanges, GoalInput, ParticipationInput, PartnerInput, PlanInput, ProgrammeInput
from .staircase_schemas import ApplyForm, BreachInput
from .stay_schemas import ConsentSchema, MoveInPayload, RulesAgreedSchema, TreatmentEndedSchema

#: every schema an aftercare page draws with the toolkit's form_fields
DRAWN_SCHEMAS = (
    ConsentSchema, RulesAgreedSchema, TreatmentEndedSchema, MoveInPayload, ReservationInput, BoardQuery,
    BuildingInput, BuildingChanges, FlatInput, FlatChanges, PlanInput, GoalInput, GoalChanges, PartnerInput,
    ParticipationInput, ProgrammeInput, GInput, BreachInput, ApplyForm, RotaAssignmentSchema, WeekQuery,
    PlanBudgetSchema, BudgetLineSchema, FinancingLineSchema,
)


LABELS_AND_HINTS = (
    N_('A rule of the house, or the agreement'), N_('Address'), N_('Allocated by'), N_('Amount (NOK a year)'),
    N_('Breach of'), N_('Case'), N_('Child supplement per day (NOK)'), N_('Children'),
    N_('Children the child supplement is for'), N_('Common room'), N_('Consent given on'), N_('Consulted on'),
    N_('Contact person'), N_('Contract'), N_('Cost line'), N_('Date'), N_('Ends on'), N_('G (NOK a year)'),
    N_('Goal'), N_('Granted on'), N_('How the resident was consulted'), N_('In force from'),
    N_('In the service, because of what the resident said'), N_('In use'), N_('Kind'), N_('Label'),
    N_('Leave blank for the owner of the building'), N_('Moves on'), N_('NOK 27 (the 2008 rate) if left empty'),
    N_('Name'), N_('Normally 1 May'), N_('Note'), N_('Occurred on'), N_('On'), N_('Own entrance'), N_('Owner'),
    N_('Partner'), N_('Plan started'), N_("Required for “other”; the home municipality's name"),
    N_('Required when a partner allocates the flat (Alta: Finnmarkskollektivet)'), N_('Reserved from'),
    N_('Rules and agreement signed on'), N_('Shift'), N_('Signed on'), N_('Source'),
    N_('Special contract (steps 2–4) or ordinary lease (step 5)'), N_('Staff member'), N_('Staff room'),
    N_('Starts on'), N_('Status'), N_('Target date'), N_('The day (YYYY-MM-DD); today if omitted'),
    N_('The first day on the new step'), N_("The flat's number or name, unique in its building"), N_('The last day'),
    N_("The new step's contract"), N_('The one person the resident relates to, linking the services'),
    N_('Today if left empty'), N_('Treatment ended on'), N_('Week of'), N_('What changed'), N_('What happened'),
    N_('What the resident said'), N_('What they do'), N_('Where the figure is published'),
    N_('Who owns the building and lets the flats (Alta: Stiftelsen Utleieboliger)'),
    N_('Worked out together with the resident'), N_('Year'), N_('any day of the week (default: this week)'),
    N_("the plan's figures, in 2009 prices"), N_('who finances, e.g. Finnmarkskollektivet'),
)

CHOICES = (
    pgettext("choice", 'agreement'), pgettext("choice", 'aksis'), pgettext("choice", 'an'),
    pgettext("choice", 'car_lease'), pgettext("choice", 'conversation'), pgettext("choice", 'dropped'),
    pgettext("choice", 'empty_flat_rent'), pgettext("choice", 'family'), pgettext("choice", 'grant'),
    pgettext("choice", 'in_progress'), pgettext("choice", 'in_writing'), pgettext("choice", 'mental_helse'),
    pgettext("choice", 'municipality'), pgettext("choice", 'nav'), pgettext("choice", 'office_travel_activities'),
    pgettext("choice", 'open'), pgettext("choice", 'own_funds'), pgettext("choice", 'partner'),
    pgettext("choice", 'plan_meeting'), pgettext("choice", 'reached'), pgettext("choice", 'red_cross'),
    pgettext("choice", 'rio'), pgettext("choice", 'rule'), pgettext("choice", 'salaries'),
    pgettext("choice", 'single'), pgettext("choice", 'special'), pgettext("choice", 'supervision'),
)

#: the deadlines the plugin raises, as the case page and the inbox name them (a warning for another
#: number of days than the settings' defaults shows its kind as stored)
DEADLINE_KINDS = (
    pgettext("deadline", "aftercare.stay_limit"), pgettext("deadline", "aftercare.stay_limit_90"),
    pgettext("deadline", "aftercare.stay_limit_30"), pgettext("deadline", "aftercare.trial_period_ends"),
)

#: the plugin's own journal entries, as the case page's journal names them
JOURNAL_KINDS = (pgettext("journal", "step_changed"), pgettext("journal", "stay_limit_moved"))
