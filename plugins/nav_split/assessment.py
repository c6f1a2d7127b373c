"""The kartlegging: what Forvaltning records before appointing a coordinator.

The same schema is the form (`kartlegging`, stored by the core with its version) and the inputs of
the allocation rule, so a decision always shows the very answers it was made from.
"""

from __future__ import annotations

from velferd.toolkit import Schema, ValidationError, fields, validate, validates_schema

WORK_LINE = ("yes", "no", "unclear")
PURPOSES = ("improve_quality_of_life", "prevent", "maintain_quality_of_life", "motivation_for_treatment")
SOURCES = ("user", "doctor", "specialist_services", "nav_activity_plan", "other")


class Kartlegging(Schema):
    """Forvaltning's assessment (seed: "Hvilke behov for tjeneste bruker har, avklares i
    kartleggingsprosessen hos Forvaltning. Oppfølgingsbehovet er styrende.")."""

    work_line_realistic = fields.String(
        required=True, validate=validate.OneOf(WORK_LINE),
        metadata={"description": "Is education, work or a work-oriented measure realistic within two years?"})
    purposes = fields.List(
        fields.String(validate=validate.OneOf(PURPOSES)), load_default=list,
        metadata={"description": "Purpose of follow-up: improve, prevent or maintain quality of life; "
                                 "long-term low-threshold motivation for treatment"})
    substance_use = fields.Boolean(required=True, metadata={"description": "Substance-use problems (rusproblematikk)"})
    from_other_municipality = fields.Boolean(required=True, metadata={"description": "New user arriving from another municipality"})
    previous_municipality = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))
    taken_over_by_nav = fields.Boolean(load_default=False, metadata={"description": "NAV took the user over directly from the other municipality"})
    has_job = fields.Boolean(required=True, metadata={"description": "The user has a job (arbeidsforhold)"})
    date_of_birth = fields.Date(required=True)
    units_disagree = fields.Boolean(load_default=False, metadata={"description": "NAV and Livsmestring disagree on who should coordinate"})
    larger_case = fields.Boolean(load_default=False, metadata={"description": "A larger case: unclear or disputed ones go to leader level"})
    application = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(("written", "oral")))
    information_sources = fields.List(fields.String(validate=validate.OneOf(SOURCES)), load_default=list)

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data.get("taken_over_by_nav") and not data.get("from_other_municipality"):
            raise ValidationError("NAV can only take a user over directly from another municipality; "
                                  "set from_other_municipality", field_name="taken_over_by_nav")
        if len(set(data.get("purposes") or ())) != len(data.get("purposes") or ()):
            raise ValidationError("a purpose is listed twice", field_name="purposes")
