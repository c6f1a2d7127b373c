"""Texts the DUE pages draw from the API's own schemas (the vedtak, coordinator, absence,
transfer, extra resources, plan goals and deflator forms) and the values they show, marked here so the plugin's catalogue
holds them: velferd.web.plugin_texts finds a plugin's declared schemas (moves, forms, rules,
settings) by itself, but not the schemas of its API that its pages draw. The core's renderer
looks each label, hint and choice up (gettext, pgettext "choice"); tests/plugins/due/
test_due_pages.py checks this list against the schemas, so a new field cannot be forgotten."""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802  (the marker pybabel extract knows)
    return text


def pgettext(context: str, text: str) -> str:
    return text


LABELS_AND_HINTS = (
    N_("Person number"), N_("The number on the youth's person page"), N_("Referring unit"),
    N_("Decided on"), N_("Reference"), N_("The referring unit's reference; printed on the invoice lines"),
    N_("The unit that decided and pays; the referring unit if left out"),
    N_("Valid from"), N_("First day the vedtak grants; the offered start date if left out"),
    N_("Valid to"), N_("Last day the vedtak grants; until further notice if left out"),
    N_("Weekly hours"), N_("Reachable from"), N_("Reachable to"), N_("Reachable days"), N_("Assigned on"),
    N_("Starts on"), N_("Ends on"),
    N_("Effective on"), N_("Units agree"), N_("In youths interest"), N_("Interest assessment"),
    N_("The units' joint assessment: is the transfer in the youth's interest (guideline 4.4)"),
    N_("What the units assessed together, in short"),
    N_("Approve"), N_("From unit leader"), N_("The leader of the unit handing over who settled it"),
    N_("To unit leader"), N_("The leader of the receiving unit who settled it"),
    N_("The leaders' joint assessment: is the transfer in the youth's interest"),
    N_("Percent"),
    N_("Description"), N_("Monthly amount"), N_("Approved on"), N_("The day the leader approved it (in advance)"),
    N_("The new plan's goals; later reports are written against them"),
)

CHOICES = (
    pgettext("choice", "sickness"), pgettext("choice", "holiday"),
    pgettext("choice", "mon"), pgettext("choice", "tue"), pgettext("choice", "wed"), pgettext("choice", "thu"),
    pgettext("choice", "fri"), pgettext("choice", "sat"), pgettext("choice", "sun"),
    # a transfer's status, shown on its page and the case panel
    pgettext("choice", "on_hold"), pgettext("choice", "completed"), pgettext("choice", "rejected"),
)

#: the labels the pages give in place of a humanised id field ("User id" → "Coordinator")
REPLACED_LABELS = ("User id", "Substitute user id", "To unit id", "Unit id")
