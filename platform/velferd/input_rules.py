"""What a value from outside may contain before anything stores it: one set of rules for the
request edge (velferd.api.request_edge) and the flush check (velferd.column_checks).

Text holds no control characters: a NUL cannot be stored by PostgreSQL at all (SQLite would
store it and hand it back), the others are invisible in every screen and report. Free text
(journal notes, minutes, reasons) may hold tabs and line breaks; a name or a code may not.
Lone UTF-16 surrogates (``"\\ud800"`` in JSON) are not characters and cannot be encoded.
JSON holds only finite numbers (``NaN``/``Infinity`` are not JSON, and PostgreSQL's jsonb
refuses them) and is nested at most `MAX_JSON_DEPTH` deep.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterator

MAX_JSON_DEPTH = 32

_NOT_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NOT_IN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def text_problem(text: str, *, multiline: bool = True) -> str | None:
    """Why `text` cannot be accepted, or None. `multiline` allows tab, CR and LF."""
    found = (_NOT_IN_FREE_TEXT if multiline else _NOT_IN_ONE_LINE).search(text)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return f"contains an unpaired surrogate (U+{ord(char):04X}), which is not a character"
    what = "a line break or tab" if char in "\t\n\r" else "a control character"
    return f"contains {what} (U+{ord(char):04X}) at position {found.start()}"


def printable(text: str, limit: int) -> str:
    """`text` as it can be stored and shown, for what we record rather than accept (a client's
    User-Agent or forwarded address in an audit row): control characters and lone surrogates
    become U+FFFD and the text is cut to `limit`, so a hostile header cannot fail the request."""
    return _NOT_IN_ONE_LINE.sub("\ufffd", text)[:limit]


def json_problems(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, reason) for every string, key or number in a JSON value that breaks the
    rules, and for nesting beyond `MAX_JSON_DEPTH`. Iterative: a hostile depth cannot
    exhaust the stack here."""
    stack = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= MAX_JSON_DEPTH:
                yield where or "_schema", f"is nested deeper than {MAX_JSON_DEPTH} levels"
                continue
            entries = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in entries:
                if isinstance(key, str) and (problem := text_problem(key)):
                    yield _join(where, "<key>"), f"a key {problem}"
                stack.append((child, _join(where, str(key)), depth + 1))
        elif isinstance(item, str):
            if problem := text_problem(item):
                yield where or "_schema", problem
        elif isinstance(item, float) and not math.isfinite(item):
            yield where or "_schema", "is not a finite number"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
