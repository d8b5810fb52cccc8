"""The bulk lane for a large events.csv: checks made a column at a time in DuckDB.

Checking a million events one row at a time in Python is the slow part of a load. For an
``events.csv`` in a canonical CSV return, DuckDB reads the file and checks every row at once
against a deliberately narrow definition of a *plainly good* row:

- event_id, person_id and event_type present, ids at most 100 characters, the type in the
  vocabulary (any case), no value with spaces around it;
- occurred_at and recorded_at written as ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SS`` or
  ``DD/MM/YYYY``, real dates from 1900 on, not in the future, recorded not before occurred;
- details empty or a JSON object;
- no NUL character and no value longer than its column allows (validation.MAX_LENGTHS).

A plainly good row gives no problem in the row-at-a-time checks either, so it goes straight
to staging. Every other row, whatever is odd about it, goes through exactly the same Python
checks (:class:`joinedup.ingest.validation.RowChecker`) as every other format, which write the
messages. The two lanes store identical values and the same content digest, so an event
sent once as CSV and once as JSON is the same event (``tests/ingest/test_bulk_events.py``).

The lane is used only when every record is one physical line (checked by counting line
breaks against DuckDB's row count), so row numbers in messages match the spreadsheet's.
Otherwise, or if DuckDB cannot read the file, the whole file takes the Python lane.

Nothing from the file becomes SQL text: the header is checked by the rule for every column
name (:mod:`joinedup.ingest.formats.column_names`) and then used only in Python, DuckDB
calls the columns ``column_1``, ``column_2``, ... by position (quoted by
:func:`joinedup.sql_names.quoted_name`), the file's path is a bound parameter, and the
connection can read that one file and nothing else (:mod:`joinedup.duckdb_sandbox`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from joinedup.config import bulk_lane_enabled
from joinedup.duckdb_sandbox import locked_connection
from joinedup.ingest import worker_fields
from joinedup.ingest.fingerprints import event_digest, json_text
from joinedup.ingest.formats.base import COLUMNS, SourceRow
from joinedup.ingest.formats.canonical import header_map
from joinedup.ingest.staging import stored_json
from joinedup.ingest.validation import MAX_CELL, MAX_LENGTHS
from joinedup.sql_names import quoted_name, quoted_text
from joinedup.vocabulary import EVENT_TYPES

BATCH = 20_000
EXTRAS_FROM = 4
"""Where the columns outside the contract start in a row of the check query's result."""

# Characters Python's str.strip() removes, as an RE2 class: a value starting or ending with
# one of them is not "plainly good" (the Python lane strips it). RE2's \s leaves out the
# vertical tab (\x0b), which str.strip() removes, so it is listed.
_EDGE = (r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
         r"\x{202f}\x{205f}\x{3000}]")

_MOMENT = """CASE
    WHEN regexp_full_match({c}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN try_strptime({c}, '%Y-%m-%d')
    WHEN regexp_full_match({c}, '\\d{{4}}-\\d{{2}}-\\d{{2}}T\\d{{2}}:\\d{{2}}:\\d{{2}}')
        THEN try_strptime({c}, '%Y-%m-%dT%H:%M:%S')
    WHEN regexp_full_match({c}, '\\d{{2}}/\\d{{2}}/\\d{{4}}') THEN try_strptime({c}, '%d/%m/%Y')
    END"""


def usable(path: Path) -> bool:
    """May the bulk lane take this file? Not when JOINEDUP_BULK_LANE=0 (the setting exists
    so a steward can rule the lane out, and so benchmarks can compare the two lanes)."""
    return path.is_file() and bulk_lane_enabled()


class BulkEvents:
    """One events.csv read by DuckDB; ``rows()`` yields ("good", tuple) or ("check", SourceRow)."""

    def __init__(self, path: Path, now: dt.datetime, *, postgres: bool = False) -> None:
        self.path = path.resolve()
        self.location = path.name
        self.now = now
        self.total_bytes = path.stat().st_size
        self.done_bytes = 0
        self.count = 0
        self.postgres = postgres
        with path.open("rb") as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
        import csv

        header = next(csv.reader([first]), [])
        self.names = header_map("events", header, self.location)
        # DuckDB's names for the columns, by position: the header is never SQL text
        self.columns = [f"column_{i}" for i in range(1, len(self.names) + 1)]
        self.column_of = {n: c for n, c in zip(self.names, self.columns, strict=True) if n}
        self.extras = [n for n in self.names if n and n not in COLUMNS["events"]]
        # Memory bounded whatever the file size; the query streams, so nothing spills.
        self.db = locked_connection(may_read=[self.path], memory_limit="128MB", spill=False)

    def fits(self) -> bool:
        """Can DuckDB read it, all UTF-8, with every record on one line? (Otherwise: Python
        lane, which reads anything and names the line of what it cannot.)"""
        # DuckDB (a fifth of a second to load) loads only when a connection is made
        import duckdb

        try:
            count = self.db.execute(f"SELECT count(*) FROM {self._source()}",  # noqa: S608 - columns named by position, not by the header; the path bound
                                    [str(self.path)]).fetchall()[0][0]
        except duckdb.Error:
            self.db.close()
            return False
        self.count = int(count)
        breaks = 0
        ends_with_break = False
        utf8 = codecs.getincrementaldecoder("utf-8")()
        with self.path.open("rb") as handle:
            while block := handle.read(1 << 20):
                breaks += block.count(b"\n")
                ends_with_break = block.endswith(b"\n")
                try:  # not UTF-8: the Python lane refuses it, naming the line
                    utf8.decode(block, final=len(block) < 1 << 20)
                except UnicodeDecodeError:
                    self.db.close()
                    return False
        lines = breaks + (0 if ends_with_break else 1)
        if lines != count + 1:
            self.db.close()
            return False
        return True

    def _source(self) -> str:
        """read_csv of the file, whose path is the query's one parameter."""
        columns = ", ".join(f"{quoted_text(c)}: 'VARCHAR'" for c in self.columns)
        return (f"read_csv(?, header = true, auto_detect = false, delim = ',', "
                f"quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
                f"columns = {{{columns}}})")

    def _query(self) -> str:
        text = {c: f"coalesce({quoted_name(self.column_of[c])}, '')" if c in self.column_of
                else "''" for c in COLUMNS["events"]}
        codes = ", ".join(quoted_text(code) for code in EVENT_TYPES)
        occ = _MOMENT.format(c="occ_text")
        rec = _MOMENT.format(c="rec_text")
        plain, extras = self._plain(text)
        now = self.now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        return f"""
        WITH raw AS (
            SELECT {text['event_id']} AS event_id, {text['person_id']} AS person_id,
                   upper({text['event_type']}) AS code, {text['event_type']} AS type_text,
                   {text['occurred_at']} AS occ_text,
                   {text['recorded_at']} AS rec_text, {text['summary']} AS summary,
                   {text['related_person_id']} AS related, {text['details']} AS details,
                   {plain} AS plain {extras}
            FROM {self._source()}
        ), parsed AS (
            SELECT *, {occ} AS occ_local, {rec} AS rec_local FROM raw
        ), moments AS (
            SELECT *, timezone('Europe/London', occ_local) AS occ_utc,
                   timezone('Europe/London', rec_local) AS rec_utc,
                   length(occ_text) > 10 AS occ_known, length(rec_text) > 10 AS rec_known
            FROM parsed
        ), texts AS (  -- UTC as 'YYYY-MM-DD HH:MM:SS' (the session is in UTC), dates in England
            SELECT *, CAST(CAST(occ_utc AS TIMESTAMP) AS VARCHAR) AS occ_utc_text,
                   CAST(CAST(rec_utc AS TIMESTAMP) AS VARCHAR) AS rec_utc_text,
                   CAST(CAST(occ_local AS DATE) AS VARCHAR) AS occ_on,
                   CAST(CAST(rec_local AS DATE) AS VARCHAR) AS rec_on
            FROM moments
        )
        , checked AS (SELECT
            plain AND event_id <> '' AND person_id <> '' AND length(event_id) <= 100
            AND length(person_id) <= 100 AND length(related) <= 100
            AND code IN ({codes})
            AND occ_local >= TIMESTAMP '1900-01-01' AND rec_local >= TIMESTAMP '1900-01-01'
            AND occ_utc <= TIMESTAMPTZ '{now}+00' AND rec_utc <= TIMESTAMPTZ '{now}+00'
            AND CASE WHEN occ_known AND rec_known THEN rec_utc >= occ_utc
                     ELSE CAST(rec_local AS DATE) >= CAST(occ_local AS DATE) END
            AND (details = '' OR (json_valid(details) AND json_type(
                CASE WHEN details <> '' AND json_valid(details) THEN details ELSE '{{}}' END
            ) = 'OBJECT'))
            AS good,
            event_id, person_id, code, occ_utc_text, occ_on, occ_known, rec_utc_text, rec_on,
            summary, related, details, occ_text, rec_text, type_text,
            CASE WHEN details = '' THEN sha1(concat_ws(chr(31), event_id, person_id, code,
                occ_utc_text, CASE WHEN occ_known THEN 'True' ELSE 'False' END, rec_utc_text,
                summary, related, '', '')) END AS digest_without_details {extras}
        FROM texts)
        SELECT good,
            CASE WHEN good THEN concat_ws(chr(0), event_id, person_id, code, occ_utc_text,
                occ_on, rec_utc_text, rec_on, summary, related,
                coalesce(digest_without_details, ''))
            ELSE to_json([event_id, person_id, summary, related, occ_text, rec_text,
                          type_text])::VARCHAR END,
            occ_known, details {extras}
        FROM checked"""  # noqa: S608 - DuckDB's column_N names, our codes quoted; no header text

    def _plain(self, text: dict[str, str]) -> tuple[str, str]:
        """The SQL condition that a row is plain (no value with space at either end, no NUL,
        none too long, the extra columns' included), and the extra columns to carry along
        (", column" each)."""
        # The values are joined with \x01 between them, so one regular expression finds a
        # value with space at either end and one search finds a NUL. A \x01 inside a value
        # next to a space can only make a good row look odd (the Python checks then take
        # it), never the other way round.
        joined = "concat_ws(chr(1), " + ", ".join(text[c] for c in COLUMNS["events"]) + ")"
        plain = (f"NOT regexp_matches({joined}, '(?:^|\\x{{01}}){_EDGE}|{_EDGE}(?:\\x{{01}}|$)')"
                 f" AND NOT contains({joined}, chr(0))")
        for c in COLUMNS["events"]:
            plain += f" AND length({text[c]}) <= {MAX_LENGTHS.get(c, MAX_CELL)}"
        extra_columns = [quoted_name(self.column_of[n]) for n in self.extras]
        for n, c in zip(self.extras, extra_columns, strict=True):
            # a NUL or an over-long value: the Python lane refuses the row; a worker field
            # it would warn of: the Python lane writes the warning
            plain += f" AND NOT contains(coalesce({c}, ''), chr(0))"
            plain += f" AND length(coalesce({c}, '')) <= {MAX_CELL}"
            plain += f" AND {worker_fields.bulk_condition(n, c)}"
        return plain, "".join(f", {c}" for c in extra_columns)

    def rows(self) -> Iterator[tuple[bool, Any]]:
        """(True, staging tuple) for plainly good rows, (False, SourceRow) for the rest."""
        for good, odd in self.batches():
            yield from ((True, row) for row in good)
            yield from ((False, row) for row in odd)

    def batches(self, on_progress: Callable[[], None] | None = None) -> Iterator[
            tuple[list[tuple[Any, ...]], list[SourceRow]]]:
        """Staging tuples of the plainly good rows and SourceRows of the rest, a batch of
        the file at a time.

        Rows with every cell empty are skipped, as the Python lane skips them."""
        result = self.db.execute(self._query(), [str(self.path)])
        number = 1
        n_extras = len(self.extras)
        plain = not n_extras and not self.postgres
        location = self.location
        while batch := result.fetchmany(BATCH):
            good: list[tuple[Any, ...]] = []
            odd: list[SourceRow] = []
            for row in batch:
                number += 1
                if not row[0]:
                    source = self._source_row(number, row, n_extras)
                    if any(v.strip() for v in source.values.values()) or source.extra:
                        odd.append(source)
                    continue
                # A good row's values come packed in one text, NUL between them: making one
                # Python string and splitting it costs far less than making ten. No value
                # of a good row holds a NUL (the "plain" check), so the split is exact.
                (event_id, person_id, code, occ_utc, occ_on, rec_utc, rec_on, summary,
                 related, digest) = row[1].split("\0")
                if plain and not row[3] and digest:
                    # the usual row: no details, no extra columns, the digest made by DuckDB
                    good.append((number, location, event_id, person_id, code, occ_utc, occ_on,
                                 row[2], rec_utc, rec_on, summary, related, "{}", "{}", digest))
                else:
                    good.append(self._good(number, (
                        event_id, person_id, code, occ_utc, occ_on, row[2], rec_utc, rec_on,
                        summary, related, row[3], digest), row, n_extras))
            yield good, odd
            self.done_bytes = self.total_bytes * (number - 1) // max(self.count, 1)
            if on_progress:
                on_progress()
        self.done_bytes = self.total_bytes
        self.db.close()

    def _good(self, number: int, values: tuple[Any, ...], row: tuple[Any, ...],
              n_extras: int) -> tuple[Any, ...]:
        (event_id, person_id, code, occ_utc, occ_on, occ_known, rec_utc, rec_on, summary,
         related, details_text, digest) = values
        details = json.loads(details_text) if details_text else {}
        extra = self._extra(row, n_extras)
        # the digest is made by DuckDB (the same as event_digest(), tested) for a row
        # without details; otherwise here, from the details as stored
        if not digest or extra:
            digest = event_digest(event_id, person_id, code, occ_utc, occ_known, rec_utc,
                                  summary, related, json_text(details), json_text(extra))
        if self.postgres:  # a literal PostgreSQL reads as UTC whatever the session's zone
            occ_utc, rec_utc = occ_utc + "+00:00", rec_utc + "+00:00"
        return (number, self.location, event_id, person_id, code, occ_utc, occ_on, occ_known,
                rec_utc, rec_on, summary, related, stored_json(details), stored_json(extra),
                digest)

    def _extra(self, row: tuple[Any, ...], n_extras: int) -> dict[str, Any]:
        if not n_extras:
            return {}
        values = row[EXTRAS_FROM:EXTRAS_FROM + n_extras]
        return {k: v for k, v in zip(self.extras, values, strict=True) if v not in (None, "")}

    def _source_row(self, number: int, row: tuple[Any, ...], n_extras: int) -> SourceRow:
        # the raw values of a row that is not plainly good come as a JSON list, which
        # keeps any character they hold
        (event_id, person_id, summary, related, occurred, recorded,
         event_type) = json.loads(row[1])
        values = {
            "event_id": event_id, "person_id": person_id, "event_type": event_type,
            "occurred_at": occurred, "recorded_at": recorded, "summary": summary,
            "related_person_id": related, "details": row[3],
        }
        return SourceRow("events", number, values, self.location, self._extra(row, n_extras))
