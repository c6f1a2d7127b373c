"""Texts the presence pages draw from the API's own schemas (a service, a weekly time, its end, a
holiday, a cancellation), marked here so the plugin's catalogue holds them — the presence part's
counterpart of `page_texts` (velferd.web.plugin_texts does not find the schemas a page draws by
itself). tests/plugins/dropin/test_presence_texts.py checks this list against `DRAWN_SCHEMAS`."""

from __future__ import annotations

from .markers import N_, pgettext
from .presence_schemas import CancellationInput, HolidayInput, ServiceInput, SlotEnd, SlotInput

#: every schema a presence page draws with the toolkit's form_fields
DRAWN_SCHEMAS = (ServiceInput, SlotInput, SlotEnd, HolidayInput, CancellationInput)

LABELS_AND_HINTS = (
    N_('A day the slot runs'),
    N_('Active'),
    N_('Administration'),
    N_('Case processing only: the caseworker has authority and decides cases there'),
    N_('Case processing only: where the caseworker comes from'),
    N_('Date'),
    N_('Decides cases at the centre'),
    N_('Empty if it runs on'),
    N_('Ends'),
    N_('First day'),
    N_('HH:MM, local time'),
    N_('HH:MM, local time; after the start'),
    N_('Home visits'),
    N_('In the private room'),
    N_('Kind of service'),
    N_('Last day'),
    N_('Not before the first day'),
    N_('Not published'),
    N_('Note'),
    N_('Only where the centre has a private room'),
    N_('Outreach case processing, outreach substance-abuse work or the support and contact person (SKP)'),
    N_('Reason'),
    N_('SKP only: may visit citizens at home'),
    N_("SKP only: the municipality's staff or the centre's"),
    N_('Service'),
    N_('Shown on the public schedule: no names or other personal data'),
    N_('Staff member'),
    N_('Staffed by'),
    N_('Starts'),
    N_("The slot's last day"),
    N_('Today if left out'),
    N_('Valid from'),
    N_('Valid until'),
    N_('Weekday'),
)

CHOICES = (
    pgettext("choice", 'benefits_office'),
    pgettext("choice", 'case_processing'),
    pgettext("choice", 'centre'),
    pgettext("choice", 'friday'),
    pgettext("choice", 'jobcenter'),
    pgettext("choice", 'monday'),
    pgettext("choice", 'municipality'),
    pgettext("choice", 'saturday'),
    pgettext("choice", 'skp'),
    pgettext("choice", 'social_administration'),
    pgettext("choice", 'substance_abuse'),
    pgettext("choice", 'sunday'),
    pgettext("choice", 'thursday'),
    pgettext("choice", 'tuesday'),
    pgettext("choice", 'wednesday'),
)
