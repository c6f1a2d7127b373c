"""Texts the dropin pages draw from the API's own schemas (a centre, its changes, the day of the
list, an agreement and its changes), marked here so the plugin's catalogue holds them:
velferd.web.plugin_texts finds a plugin's declared schemas (moves, forms, rules, settings) by
itself, but not the schemas its pages draw. tests/plugins/dropin/test_dropin_texts.py checks this
list against `DRAWN_SCHEMAS`, so a new field cannot be forgotten."""

from __future__ import annotations

from .centre_schemas import AgreementChanges, AgreementInput, CentreChanges, CentreInput, CentreQuery
from .markers import N_, pgettext

#: every schema a dropin page draws with the toolkit's form_fields
DRAWN_SCHEMAS = (CentreInput, CentreChanges, CentreQuery, AgreementInput, AgreementChanges)

LABELS_AND_HINTS = (
    N_('A private or a municipal centre'), N_('Active'), N_('Address'), N_('Address name (slug)'), N_('Day'),
    N_('Ends on'),
    N_("Lower-case letters, digits and hyphens; the address of the centre's public schedule. Made from the name when left out"),
    N_('Name'), N_('Not after the end'), N_('Not before the start; empty if it runs on'), N_('Ownership'),
    N_('Parties'), N_('Private room for confidential talks'), N_('Renew by'), N_('Starts on'),
    N_('The centre provides'), N_('The day the agreements are in force or not; today if omitted'),
    N_('The model needs one: a room the outreach workers can use for confidential talks'),
    N_('The municipality provides'), N_('Who made the agreement'),
)

CHOICES = (
    pgettext("choice", 'municipal'), pgettext("choice", 'private'),
)
