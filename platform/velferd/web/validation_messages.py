"""marshmallow's own messages in the page's language.

marshmallow formats a message as it fails ("Longer than maximum length 200.") and the API
answers with it in English, as a script expects. The pages translate the formatted text back:
each of marshmallow's message templates becomes a pattern (read from marshmallow itself, so a
reworded template still matches), its placeholders the pattern's groups, and the message is
written again from a catalogue entry with the same values (``%(max)s``).

Why not give the schemas translated ``error_messages`` at load time: the schemas are the API's
and shared between requests and threads (a schema class's fields are class state), the API must
keep answering in English, and a validator's message (Length, Range, OneOf) is not a field's
``error_messages`` at all. Matching the formatted message touches nothing the API uses.

A message that is none of marshmallow's (a schema's own ``ValidationError("…")``, a plugin's) is
looked up as written, so a plugin translates its own messages in its catalogue.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext, pgettext
from marshmallow import Schema, fields, validate


def N_(text: str) -> str:
    """Marks `text` for the catalogue (pybabel's default keywords) without translating it here."""
    return text


def _range(low: str | None, high: str | None) -> str:
    """One of Range's messages with its comparison words filled in, its numbers still ``{min}``/``{max}``."""
    words = {"gte": validate.Range.message_gte, "gt": validate.Range.message_gt,
             "lte": validate.Range.message_lte, "lt": validate.Range.message_lt}
    if low and high:
        return validate.Range.message_all.format(min_op=words[low], max_op=words[high])
    if low:
        return validate.Range.message_min.format(min_op=words[low])
    return validate.Range.message_max.format(max_op=words[high])


def _temporal(field: type[fields.DateTime]) -> str:
    """A date-time field's "invalid" message as it is raised (its kind, ``{obj_type}``, filled in)."""
    return field.default_error_messages["invalid"].format(obj_type=field.OBJ_TYPE)


#: (marshmallow's template, our msgid): the messages the schemas of the core and the plugins
#: can produce. A template's ``{name}`` is the msgid's ``%(name)s``.
MESSAGES: tuple[tuple[str, str], ...] = (
    (fields.Field.default_error_messages["required"], N_("Missing data for required field.")),
    (fields.Field.default_error_messages["null"], N_("Field may not be null.")),
    (fields.Field.default_error_messages["validator_failed"], N_("Invalid value.")),
    (Schema._default_error_messages["type"], N_("Invalid input type.")),
    (Schema._default_error_messages["unknown"], N_("Unknown field.")),
    (fields.Nested.default_error_messages["type"], N_("Invalid type.")),
    (fields.List.default_error_messages["invalid"], N_("Not a valid list.")),
    (fields.Dict.default_error_messages["invalid"], N_("Not a valid mapping type.")),
    (fields.String.default_error_messages["invalid"], N_("Not a valid string.")),
    (fields.String.default_error_messages["invalid_utf8"], N_("Not a valid utf-8 string.")),
    (fields.Integer.default_error_messages["invalid"], N_("Not a valid integer.")),
    (fields.Number.default_error_messages["invalid"], N_("Not a valid number.")),
    (fields.Number.default_error_messages["too_large"], N_("Number too large.")),
    (fields.Decimal.default_error_messages["special"], N_("Special numeric values (nan or infinity) are not permitted.")),
    (fields.Boolean.default_error_messages["invalid"], N_("Not a valid boolean.")),
    (fields.Date.default_error_messages["invalid"], N_("Not a valid date.")),
    (_temporal(fields.DateTime), N_("Not a valid datetime.")),
    (_temporal(fields.Time), N_("Not a valid time.")),
    (fields.Email.default_error_messages["invalid"], N_("Not a valid email address.")),
    (fields.Url.default_error_messages["invalid"], N_("Not a valid URL.")),
    (fields.UUID.default_error_messages["invalid_uuid"], N_("Not a valid UUID.")),
    (validate.Regexp.default_message, N_("String does not match expected pattern.")),
    (validate.OneOf.default_message, N_("Must be one of: %(choices)s.")),
    (fields.Enum.default_error_messages["unknown"], N_("Must be one of: %(choices)s.")),
    (validate.Length.message_min, N_("Shorter than minimum length %(min)s.")),
    (validate.Length.message_max, N_("Longer than maximum length %(max)s.")),
    (validate.Length.message_all, N_("Length must be between %(min)s and %(max)s.")),
    (validate.Length.message_equal, N_("Length must be %(equal)s.")),
    (_range("gte", None), N_("Must be greater than or equal to %(min)s.")),
    (_range("gt", None), N_("Must be greater than %(min)s.")),
    (_range(None, "lte"), N_("Must be less than or equal to %(max)s.")),
    (_range(None, "lt"), N_("Must be less than %(max)s.")),
    (_range("gte", "lte"), N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s.")),
    (_range("gte", "lt"), N_("Must be greater than or equal to %(min)s and less than %(max)s.")),
    (_range("gt", "lte"), N_("Must be greater than %(min)s and less than or equal to %(max)s.")),
    (_range("gt", "lt"), N_("Must be greater than %(min)s and less than %(max)s.")),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """``Longer than maximum length {max}.`` → ``Longer\\ than\\ maximum\\ length\\ (?P<max>.+?)\\.``"""
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, …
    return re.compile("".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                              for index, part in enumerate(parts)), re.DOTALL)


def _fixed_text(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


#: The longest fixed text first: "Must be greater than {min}." would otherwise also match
#: "Must be greater than or equal to 5." (min = "or equal to 5").
_PATTERNS = tuple((_pattern(template), msgid) for template, msgid in
                  sorted(MESSAGES, key=lambda pair: _fixed_text(pair[0]), reverse=True))


def _number(text: str) -> str:
    """A limit in the page's way of writing numbers (``0,5`` in nb and da); anything else as given."""
    locale = get_locale()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return format_decimal(number, locale=locale, decimal_quantization=False) if locale else text


def _choices(text: str) -> str:
    """OneOf's ``school, work, housing`` with each choice shown as the forms show it."""
    return ", ".join(pgettext("choice", choice) for choice in text.split(", "))


def translated(message: str) -> str:
    """`message` (marshmallow's, formatted) in the page's language."""
    for pattern, msgid in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            for name in ("min", "max"):
                if name in values:
                    values[name] = _number(values[name])
            if "choices" in values:
                values["choices"] = _choices(values["choices"])
            return gettext(msgid, **values)
    return gettext(message)
