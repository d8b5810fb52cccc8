"""Checking one row of a return and turning it into clean values, or saying why not.

Every problem with a row is collected (never just the first). Errors make the row
unusable; warnings drop one optional field and keep the raw value. Checks that need other
rows (duplicate ids, references to people) are made in :mod:`joinedup.ingest.loading`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from joinedup.ingest import worker_fields
from joinedup.ingest.clean_rows import Clean, CleanEvent, CleanPerson, CleanRelationship
from joinedup.ingest.fingerprints import event_digest, json_text, row_digest
from joinedup.ingest.formats.base import REQUIRED, SourceRow
from joinedup.ingest.problems import RowProblem, error, warning
from joinedup.ingest.thin_records import thin_record_warnings
from joinedup.ingest.values import (
    ValueProblem,
    nhs_number,
    parse_date,
    parse_datetime,
)
from joinedup.ingest.values import postcode as parse_postcode
from joinedup.ingest.values import uprn as parse_uprn
from joinedup.local_time import local_date, utc_text
from joinedup.vocabulary import EVENT_TYPES, PERSON_FLAGS, RELATIONSHIP_TYPES, SEXES

MAX_ID = 100
MAX_LENGTHS = {"given_name": 200, "family_name": 200, "other_names": 1_000, "address": 500,
               "summary": 10_000, "details": 100_000}
"""The longest value each column may hold (characters); ids are MAX_ID. A longer value is a
row error, never cut short (docs/data-contract.md, "Limits")."""
MAX_CELL = 10_000
"""The longest value of any other column, including columns outside the contract."""
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""A NUL, or half of a surrogate pair: no database text column can hold either."""
_SEX_WORDS = {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U", "OTHER": "X"}




@dataclass
class Checked:
    """The outcome for one row: clean values (None if unusable) and every problem found."""

    clean: Clean | None
    problems: list[RowProblem] = field(default_factory=list)


class RowChecker:
    """Checks rows of one table; ``now`` bounds dates so the future is refused."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = local_date(now)
        self._checkers = {
            "people": self._person, "events": self._event, "relationships": self._relationship,
        }

    def check(self, row: SourceRow) -> Checked:
        problems = list(row.problems)
        if any(p.severity == "error" for p in problems):
            # the reader refused the row (a resource that breaks FHIR, a child with no
            # identifier, a row cut short): its message is the one to act on, and checking
            # the values it could not read would only add "is missing" to it
            return Checked(None, problems)
        if _unstorable_or_too_long(row, problems):
            return Checked(None, problems)
        ctx = _Context(row, problems)
        for column in REQUIRED[row.table]:
            if not ctx.text(column):
                ctx.error(column, f"{column} is missing",
                          f"Every {row.table} row needs a {column}.")
        clean = self._checkers[row.table](ctx)
        if any(p.severity == "error" for p in problems):
            return Checked(None, problems)
        return Checked(clean, problems)

    # -- people ---------------------------------------------------------------------------
    def _person(self, ctx: _Context) -> CleanPerson:
        dob, dob_text = ctx.as_written(parse_date, "date_of_birth", "date")
        if dob and dob > self.today:
            ctx.warn("date_of_birth", "the date of birth is in the future",
                     "For an unborn baby leave date_of_birth empty.", dob)
            dob = None
        sex = ctx.text("sex").upper()
        sex = _SEX_WORDS.get(sex, sex)
        if sex and sex not in SEXES:
            ctx.warn("sex", "sex must be M, F, U (not known) or X (other)",
                     "Use one of M, F, U, X, or leave it empty.", sex)
            sex = ""
        nhs, nhs_text = ctx.as_written(nhs_number, "nhs_number", "NHS number")
        pc = ctx.optional(parse_postcode, "postcode")
        property_reference = ctx.optional(parse_uprn, "uprn")
        flags = []
        for flag in ctx.split("flags"):
            code = flag.upper()
            if code in PERSON_FLAGS:
                flags.append(code)
            else:
                ctx.warn("flags", f"{flag!r} is not a person flag joinedup knows",
                         _suggest(code, PERSON_FLAGS, "person flags"), flag)
        person = CleanPerson(
            ctx.row.row_number, ctx.ident("person_id"), ctx.text("given_name"),
            ctx.text("family_name"), ctx.split("other_names"), dob, sex, nhs or "", pc or "",
            ctx.text("address"), flags, _clean_extra(ctx.row.extra),
            date_of_birth_text=dob_text, nhs_number_text=nhs_text,
            uprn=property_reference or "",
        )
        for column, message, fix in thin_record_warnings(person, ctx.row.holds_names):
            ctx.warn(column, message, fix)
        person.content_json = json_text(person.content())
        person.content_hash = row_digest([person.content_json])
        return person

    # -- events ---------------------------------------------------------------------------
    def _event(self, ctx: _Context) -> CleanEvent | None:
        code = ctx.text("event_type").upper()
        if code and code not in EVENT_TYPES:
            ctx.error("event_type", f"{ctx.text('event_type')!r} is not an event type",
                      _suggest(code, EVENT_TYPES, "event types"), ctx.text("event_type"))
        occurred = ctx.moment("occurred_at")
        recorded = ctx.moment("recorded_at")
        if occurred and occurred[0] > self.now:
            ctx.error("occurred_at", "the event date is in the future",
                      "Check the date; events are sent once they have happened.",
                      ctx.text("occurred_at"))
        if recorded and recorded[0] > self.now:
            ctx.error("recorded_at", "the recorded date is in the future",
                      "Check the date and the clock of the sending system.",
                      ctx.text("recorded_at"))
        if occurred and recorded and _before(recorded, occurred):
            ctx.error("recorded_at", "recorded_at is earlier than occurred_at",
                      "An event cannot be recorded before it happened: check both dates.",
                      ctx.text("recorded_at"))
        details = ctx.details()
        if not (occurred and recorded) or not code or code not in EVENT_TYPES:
            return None
        event = CleanEvent(
            ctx.row.row_number, ctx.ident("event_id"), ctx.ident("person_id"), code,
            occurred[0], occurred[1], recorded[0], ctx.text("summary"),
            ctx.ident("related_person_id"), details,
            _clean_extra(worker_fields.checked(ctx.row.extra, ctx.warn)),
        )
        event.content_hash = event_digest(
            event.source_id, event.person_id, code, utc_text(occurred[0]), occurred[1],
            utc_text(recorded[0]), event.summary, event.related_person_id,
            json_text(details), json_text(event.extra),
        )
        return event

    # -- relationships ---------------------------------------------------------------------
    def _relationship(self, ctx: _Context) -> CleanRelationship | None:
        code = ctx.text("relationship").upper()
        if code and code not in RELATIONSHIP_TYPES:
            ctx.error("relationship", f"{ctx.text('relationship')!r} is not a relationship type",
                      _suggest(code, RELATIONSHIP_TYPES, "relationship types"),
                      ctx.text("relationship"))
        a, b = ctx.ident("person_id"), ctx.ident("related_person_id")
        if a and a == b:
            ctx.error("related_person_id", "a person cannot be related to themselves",
                      "Check person_id and related_person_id.", b)
        start = ctx.optional_date("valid_from")
        end = ctx.optional_date("valid_to")
        if start and end and end < start:
            ctx.warn("valid_to", "valid_to is before valid_from",
                     "Check both dates; the relationship loads without valid_to.", end)
            end = None
        details = ctx.details()
        rel = CleanRelationship(ctx.row.row_number, a, b, code, start, end, details)
        rel.content_hash = row_digest([
            a, b, code, start.isoformat() if start else "", end.isoformat() if end else "",
            json_text(details),
        ])
        return rel


class _Context:
    """Reading the columns of one row, recording problems against it."""

    def __init__(self, row: SourceRow, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        self.texts = {k: _as_text(v) for k, v in row.values.items()}

    def error(self, column: str, message: str, fix: str, raw: object = None) -> None:
        self.problems.append(
            error(self.row.table, self.row.row_number, column, message, fix, raw, self.row.location)
        )

    def warn(self, column: str, message: str, fix: str, raw: object = None) -> None:
        self.problems.append(
            warning(self.row.table, self.row.row_number, column, message, fix, raw,
                    self.row.location)
        )

    def text(self, column: str) -> str:
        return self.texts.get(column, "")

    def ident(self, column: str) -> str:
        value = self.text(column)
        if len(value) > MAX_ID:
            self.error(column, f"{column} is longer than {MAX_ID} characters",
                       "Send the agency's own short identifier.", value)
        return value

    def split(self, column: str) -> list[str]:
        return [part.strip() for part in self.text(column).split(";") if part.strip()]

    def optional(self, reader: Any, column: str) -> Any:
        value = self.row.values.get(column)
        if value is None or self.text(column) == "":
            return None
        try:
            return reader(value)
        except ValueProblem as problem:
            self.warn(column, problem.message, problem.fix + " The row loads without it.", value)
            return None

    def optional_date(self, column: str) -> dt.date | None:
        return self.optional(parse_date, column)  # type: ignore[no-any-return]

    def as_written(self, reader: Any, column: str, what: str) -> tuple[Any, str]:
        """The value read, or (None, the text as written) with a warning when unreadable."""
        if self.text(column) == "":
            return None, ""
        try:
            return reader(self.row.values[column]), ""
        except ValueProblem as problem:
            self.warn(column, problem.message, f"{problem.fix} The row loads with the {what} "
                      "kept as written, which linkage compares but nothing else uses.",
                      self.row.values[column])
            return None, self.text(column)[:100]

    def moment(self, column: str) -> tuple[dt.datetime, bool] | None:
        value = self.row.values.get(column)
        if value is None or self.text(column) == "":
            return None  # reported as a missing required column
        try:
            return parse_datetime(value)
        except ValueProblem as problem:
            self.error(column, problem.message, problem.fix, value)
            return None

    def details(self) -> dict[str, Any]:
        value = self.row.values.get("details")
        if value is None or value == "":
            return {}
        if isinstance(value, dict):
            return value
        try:
            parsed = json.loads(str(value))
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            self.warn("details", "details is not a JSON object",
                      'Write details as JSON, e.g. {"dash_score": 15}; the row loads without it.',
                      value)
            return {}
        return parsed


def _unstorable_or_too_long(row: SourceRow, problems: list[RowProblem]) -> bool:
    """Record an error for each value that no database can store (a NUL or half a surrogate
    pair) or that is longer than its column allows; True if there was any."""
    found = False
    for column, value in [*row.values.items(), *row.extra.items()]:
        name = str(column)
        if _UNSTORABLE.search(name):
            problems.append(error(
                row.table, row.row_number, None, "a column name holds a NUL character or half "
                "of a surrogate pair, which no database can store",
                "Remove the stray character from the column name and send the return again.",
                location=row.location))
            found = True
            continue
        text = value if isinstance(value, str) else (
            json_text_or_empty(value) if isinstance(value, dict | list) else None)
        if text is None:
            continue
        if _UNSTORABLE.search(text):
            what = "a NUL character (byte 0)" if "\x00" in text else "half of a surrogate pair"
            problems.append(error(
                row.table, row.row_number, name, f"the {name} value holds {what}, which no "
                "database can store", "Remove the stray character (it is often left by a "
                "damaged export or a file saved as UTF-16) and send the row again.",
                location=row.location))
            found = True
            continue
        limit = MAX_LENGTHS.get(name, MAX_CELL)
        if name not in IDS and len(text) > limit:  # ids: checked (MAX_ID) by _Context.ident
            problems.append(error(
                row.table, row.row_number, name, f"the {name} value is {len(text):,} characters "
                f"long; the most joinedup takes is {limit:,}",
                "Shorten it (a long note belongs in the agency's own record, with a summary "
                "here) and send the row again.", location=row.location))
            found = True
    return found


def json_text_or_empty(value: Any) -> str:
    """A nested value (JSON details) as text, for the checks above; surrogates kept."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return ""


IDS = {"person_id", "event_id", "related_person_id"}


def _before(a: tuple[dt.datetime, bool], b: tuple[dt.datetime, bool]) -> bool:
    """Is moment a earlier than moment b? Compares dates when either has no time of day."""
    if a[1] and b[1]:
        return a[0] < b[0]
    return local_date(a[0]) < local_date(b[0])


def _suggest(code: str, vocabulary: dict[str, Any], what: str) -> str:
    close = difflib.get_close_matches(code, list(vocabulary), n=3, cutoff=0.6)
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    return f"{hint}The {what} are listed in docs/data-contract.md."


def _clean_extra(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        str(k): v if isinstance(v, str | int | float | bool | dict | list) else str(v)
        for k, v in extra.items()
        if v not in (None, "")
    }


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
