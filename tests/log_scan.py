"""The test run's logs are scanned for national ids and names; any found fails the run.

Privacy is the product: no national id, name or token may reach a log. Redaction
(`velferd.log_format`) covers what a pattern can recognise; this plugin checks the result
across everything the suite does, as an operator's log collector would see it:

* every record logged in the test process at INFO and up (velferd's loggers) or WARNING and up
  (everyone else's) is written, by the processes' own formatter, to ``test-run.jsonl`` in the
  run's temporary folder, after a line naming the test that was running;
* every ``*.log`` file under that folder is read too: the gunicorn, Celery worker and beat
  processes that tests start write their output there;
* they are searched for what this process stored about a citizen, read from the declaration of
  personal data (velferd.personal_data): the declared text values of every row inserted of a
  person-linked model — the person's national id, name and address, a journal note, a meeting's
  place, a plugin's free text — each alone and, for a name split over two columns (given and
  family name), two neighbouring values joined; JSON values (codes and text mixed) are left out;
  and for anything shaped like a national id with valid check digits (an id created by a
  subprocess, or typed into a request and never stored).

A finding is reported masked (birth date only, or the name's initials), with the file, line and
the test that was running, and turns the run's exit status into a failure.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event
from stdnum.dk import cpr

from velferd.db import Base
from velferd.identity import InvalidIdentifier, mask_national_id, parse_national_id
from velferd.log_config import JOB_LOGGER, REQUEST_LOGGER
from velferd.log_format import JsonFormatter
from velferd.personal_data import declared_columns
from velferd.read_audit import person_link

RUN_LOG = "test-run.jsonl"
#: 11 digits (NO) or 10 digits, perhaps with a dash or space after the birth date (DK), not part
#: of a longer run of letters and digits (a uuid's hex, a hash).
_ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ -]?(\d{4,5})(?![0-9A-Za-z])")
#: A name is searched for only if it is at least this long: "Ola Nordmann" is, "A B" is not.
_SHORTEST_NAME = 8
_NATIONAL_ID_LENGTHS = (10, 11)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    what: str  # masked
    test: str | None


def has_valid_check_digits(digits: str) -> bool:
    """An 11-digit fødselsnummer/D-number, or a 10-digit CPR number that also passes mod 11
    (as every synthetic one does; a real CPR number may not, but none is ever in the suite)."""
    try:
        if len(digits) == 11:
            return parse_national_id(digits, "NO") is not None
        return len(digits) == 10 and parse_national_id(digits, "DK") is not None and cpr.checksum(digits) == 0
    except (InvalidIdentifier, ValueError):
        return False


def findings_in(text: str, file: str, national_ids: set[str], names: set[str]) -> list[Finding]:
    """What in `text` is a national id (known, or shaped like one with valid check digits) or a
    known name, each reported masked with the test whose marker line came before it."""
    found, test = [], None
    by_first_word = _by_first_word(names)
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('{"test": '):
            test = json.loads(line)["test"]
            continue
        for match in _ID_SHAPED.finditer(line):
            digits = match.group(1) + match.group(2)
            if digits in national_ids or has_valid_check_digits(digits):
                found.append(Finding(file, number, f"national id {mask_national_id(digits)}", test))
        candidates = {name for word in set(_WORD.findall(line)) for name in by_first_word.get(word, ())}
        for name in sorted(candidates):
            if name in line:
                found.append(Finding(file, number, _masked(name), test))
    return found


#: a word of a log line or a name; names are looked up by their first word, so a run with many
#: citizens' values to look for does not test each value against each line
_WORD = re.compile(r"\w+")


def _by_first_word(names: set[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for name in names:
        words = _WORD.findall(name)
        if words:
            index.setdefault(words[0], []).append(name)
    return index


def _masked(value: str) -> str:
    """A name by its initials; a longer text (a note) by its length only."""
    parts = value.split()
    if len(parts) <= 3:
        return f"the name of a person ({'.'.join(part[0] for part in parts)}.)"
    return f"a citizen's declared text ({len(value)} characters)"


@functools.cache
def _citizen_columns(model: type) -> tuple[str, ...]:
    """The declared columns of a person-linked model (a citizen's data); none for staff tables."""
    return tuple(declared_columns(model)) if person_link(model) is not None else ()


def remembered_values(row) -> tuple[set[str], set[str]]:
    """(national ids, names and other texts) the scan looks for in the logs, from `row`'s
    declared columns: a value of 10 or 11 digits is a national id; any other text of at least
    `_SHORTEST_NAME` characters is searched for, alone and joined to its neighbour."""
    values = [value.strip() for key in _citizen_columns(type(row))
              if isinstance(value := getattr(row, key, None), str) and value.strip()]
    ids = {v for v in values if v.isdigit() and len(v) in _NATIONAL_ID_LENGTHS}
    texts = [v for v in values if not v.isdigit()]
    joined = [f"{first} {second}" for first, second in zip(texts, texts[1:], strict=False)]
    return ids, {v for v in texts + joined if len(v) >= _SHORTEST_NAME}


class LogScan:
    """The pytest plugin object: collects, writes, scans, reports."""

    def __init__(self):
        self.national_ids: set[str] = set()
        self.names: set[str] = set()
        self.findings: list[Finding] = []
        self.folder: Path | None = None
        self.handler: logging.Handler | None = None
        self.saved_levels: dict[str, int] = {}

    def remember(self, mapper, connection, row) -> None:
        if _citizen_columns(type(row)):
            ids, names = remembered_values(row)
            self.national_ids |= ids
            self.names |= names

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session):
        self.folder = session.config._tmp_path_factory.getbasetemp()
        self.handler = logging.FileHandler(self.folder / RUN_LOG, encoding="utf-8")
        self.handler.setFormatter(JsonFormatter())
        self.handler.setLevel(logging.INFO)
        logging.getLogger().addHandler(self.handler)
        for name in ("velferd", REQUEST_LOGGER, JOB_LOGGER):
            logger = logging.getLogger(name)
            self.saved_levels[name] = logger.level
            logger.setLevel(logging.INFO)
        event.listen(Base, "before_insert", self.remember, propagate=True)

    def pytest_runtest_logstart(self, nodeid, location):
        if self.handler is not None:
            self.handler.stream.write(json.dumps({"test": nodeid}) + "\n")

    def pytest_sessionfinish(self, session):
        if self.handler is None:
            return
        event.remove(Base, "before_insert", self.remember)
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        for name, level in self.saved_levels.items():
            logging.getLogger(name).setLevel(level)
        files = [self.folder / RUN_LOG, *sorted(self.folder.rglob("*.log"))]
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            self.findings += findings_in(text, str(path.relative_to(self.folder)), self.national_ids, self.names)
        if self.findings:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if self.handler is None:
            return
        if not self.findings:
            terminalreporter.write_line(f"log scan: no national id or name in the logs ({len(self.national_ids)} "
                                        f"ids and {len(self.names)} names and texts created by this run looked for)")
            return
        terminalreporter.section("national ids or names in the logs", red=True)
        for finding in self.findings[:50]:
            terminalreporter.write_line(f"{finding.file}:{finding.line}: {finding.what} (during {finding.test})")
        terminalreporter.write_line(f"{len(self.findings)} in all; the run fails")


def pytest_configure(config):
    config.pluginmanager.register(LogScan(), "velferd_log_scan")
