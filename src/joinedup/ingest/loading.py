"""Loading one return: read, check, quarantine, merge, all in one transaction.

    load_return(path, agency_code)  ->  LoadResult
    load_database(url, agency_code)  ->  LoadResult   (an SSD extract in the council's database)

Nothing is half-loaded: the submission, its rows, its quarantine and its warnings are
committed together or not at all (a process killed part-way leaves the database as it
was). The same content sent twice is recognised by its SHA-256 and changes nothing: a
file's before it is read; a database's once its rows have been read (the SHA-256 of the
rows), when the load is then undone and answered as already received.
``dry_run`` does all the work and then rolls it back.

On SQLite the load's transaction runs without per-row foreign-key checks: every reference
it writes comes from a row made in the transaction or from a join to the row referred to
in the same statement, under the write lock (docs/decisions/0007).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from joinedup.agencies.models import Agency, Submission
from joinedup.errors import AgencyError, NextStep, UnreadableFileError
from joinedup.ingest import bulk_events, merge, staging
from joinedup.ingest.bulk_events import BulkEvents
from joinedup.ingest.formats import open_database_reader, open_reader
from joinedup.ingest.formats.base import TABLES, ReturnReader, SourceRow
from joinedup.ingest.formats.canonical import CsvReturnReader
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.ingest.problems import RowProblem, storable
from joinedup.ingest.validation import RowChecker

Progress = Callable[[int, int], None]
PROBLEMS_SHOWN = 1000


@dataclass
class TableCounts:
    read: int = 0
    new: int = 0
    corrected: int = 0
    unchanged: int = 0
    quarantined: int = 0
    warnings: int = 0


@dataclass
class LoadResult:
    agency: str
    path: str
    format: str
    sha256: str
    dry_run: bool
    submission_id: int | None = None
    already_received: int | None = None
    tables: dict[str, TableCounts] = field(
        default_factory=lambda: {t: TableCounts() for t in TABLES}
    )
    problems: list[RowProblem] = field(default_factory=list)
    problems_total: int = 0

    @property
    def rows_read(self) -> int:
        return sum(t.read for t in self.tables.values())

    @property
    def rows_loaded(self) -> int:
        return sum(t.new + t.corrected for t in self.tables.values())

    @property
    def rows_quarantined(self) -> int:
        return sum(t.quarantined for t in self.tables.values())

    @property
    def warnings(self) -> int:
        return sum(t.warnings for t in self.tables.values())


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run."""


class _AlreadyReceived(Exception):
    """Raised inside the transaction when a database's rows, once read, are those of an
    earlier submission: the load is undone."""

    def __init__(self, submission_id: int) -> None:
        super().__init__(submission_id)
        self.submission_id = submission_id


def content_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and contents, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode() + b"\0")
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def _registered(agency_code: str) -> Agency:
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        known = ", ".join(Agency.objects.values_list("code", flat=True)) or "none yet"
        raise AgencyError(
            f"There is no agency with code {agency_code!r} (registered: {known}). "
            "Register it first.",
            next_step=NextStep.REGISTER_AGENCY(agency=agency_code),
        )
    return agency


def load_database(url: str, agency_code: str, *, schema: str | None = None,
                  dry_run: bool = False, received_by: str | None = None,
                  progress: Progress | None = None, now: dt.datetime | None = None
                  ) -> LoadResult:
    """Load the SSD tables of the council's database at ``url`` (read-only; in ``schema``
    when given) as one return of the agency. The result's ``path`` is the address with any
    password hidden."""
    agency = _registered(agency_code)
    reader = open_database_reader(url, schema)
    result = LoadResult(agency.code, reader.location, reader.format_name, "", dry_run)
    return _run(reader, agency, result, received_by, progress, now,
                digest=reader.content_sha256)


def load_return(path: Path, agency_code: str, *, fmt: str = "auto", dry_run: bool = False,
                received_by: str | None = None, progress: Progress | None = None,
                now: dt.datetime | None = None) -> LoadResult:
    agency = _registered(agency_code)
    if not path.exists():
        raise UnreadableFileError(f"{path}: no such file or folder.")
    sha256 = content_sha256(path)
    earlier = Submission.objects.filter(agency=agency, sha256=sha256).first()
    if earlier is not None:  # recognised before any reader opens the file
        result = LoadResult(agency.code, str(path), earlier.format, sha256, dry_run)
        result.already_received = earlier.pk
        return result
    reader = open_reader(path, fmt)
    result = LoadResult(agency.code, str(path), reader.format_name, sha256, dry_run)
    return _run(reader, agency, result, received_by, progress, now)


def _run(reader: ReturnReader, agency: Agency, result: LoadResult, received_by: str | None,
         progress: Progress | None, now: dt.datetime | None,
         digest: Callable[[], str] | None = None) -> LoadResult:
    """The load in one transaction. ``digest`` gives the SHA-256 of a source only known once
    it has been read (a database); ``result.sha256`` is then empty until it is."""
    now = now or timezone.now()
    try:
        with connection.constraint_checks_disabled(), transaction.atomic():
            _load(reader, agency, result, received_by or _who(), now, progress, digest)
            if result.dry_run:
                raise _RollBack
    except _RollBack:
        result.submission_id = None
    except _AlreadyReceived as seen:
        result.submission_id = None
        result.already_received = seen.submission_id
    except IntegrityError:
        # Another process loaded the same content at the same moment.
        earlier = Submission.objects.filter(agency=agency, sha256=result.sha256).first()
        if earlier is None:
            raise
        result.already_received = earlier.pk
    finally:
        staging.drop_stage_tables()
    return result


def _load(reader: ReturnReader, agency: Agency, result: LoadResult, who: str,
          now: dt.datetime, progress: Progress | None,
          digest: Callable[[], str] | None = None) -> None:
    if not Agency.objects.filter(pk=agency.pk).exists():  # removed since it was looked up
        raise AgencyError(f"The agency {agency.code!r} is no longer registered.")
    submission = Submission.objects.create(
        agency=agency, file_name=result.path[:500] if digest else Path(result.path).name,
        sha256=result.sha256 or f"reading-{uuid.uuid4().hex}",  # a database: set once read
        format=reader.format_name, received_at=now, received_by=who,
    )
    result.submission_id = submission.pk
    staging.create_stage_tables()
    checker = RowChecker(now)
    writer = staging.StageWriter()
    sink = _ProblemSink(submission, result)

    def take(row: SourceRow) -> None:
        result.tables[row.table].read += 1
        checked = checker.check(row)
        if checked.clean is None:
            sink.quarantine(row.table, row.row_number, row.location, checked.problems,
                            {**row.values, **row.extra})
        else:
            writer.add(row.table, checked.clean, row.location)
            for problem in checked.problems:
                sink.warn(problem)

    bulk = _bulk_lane(reader, now)
    rows = reader.rows(skip=("events",)) if bulk else reader.rows()  # type: ignore[call-arg]
    for count, row in enumerate(rows, start=1):
        take(row)
        if progress and count % 2000 == 0:
            progress(reader.bytes_done(), reader.total_bytes)
    if bulk is not None:
        events = result.tables["events"]
        done_before = reader.bytes_done()

        def bulk_progress() -> None:
            if progress:
                progress(done_before + bulk.done_bytes, reader.total_bytes)

        for good, odd in bulk.batches(bulk_progress):
            events.read += len(good)
            writer.add_prepared("events", good)
            for row in odd:
                take(row)
    if digest is not None:
        _settle_digest(submission, result, digest())
    writer.close()
    staging.index_stage_tables()
    _merge(agency, submission, result, sink, now)
    sink.flush()
    if progress:
        progress(reader.total_bytes, reader.total_bytes)
    _record_counts(submission, result)


def _settle_digest(submission: Submission, result: LoadResult, sha256: str) -> None:
    """The submission keyed by the SHA-256 of the rows it read; the same rows received
    before undo this load (:class:`_AlreadyReceived`)."""
    earlier = Submission.objects.filter(agency_id=submission.agency_id, sha256=sha256).first()
    if earlier is not None:
        raise _AlreadyReceived(earlier.pk)
    result.sha256 = submission.sha256 = sha256
    submission.save(update_fields=["sha256"])


def _merge(agency: Agency, submission: Submission, result: LoadResult, sink: _ProblemSink,
           now: dt.datetime) -> None:
    """The staged rows merged into the stored records, table by table: the counts of new,
    corrected and unchanged rows, and the rows the merge refused (quarantined) or warned
    about."""
    merges = {
        "people": merge.merge_people(agency.pk, submission.pk, now),
        "events": merge.merge_events(agency.pk, agency.code, submission.pk, now),
        "relationships": merge.merge_relationships(agency.pk, agency.code, submission.pk, now),
    }
    for table, counts in merges.items():
        tally = result.tables[table]
        tally.new, tally.corrected, tally.unchanged = counts.new, counts.corrected, counts.unchanged
        for refused in counts.refused:
            p = refused.problem
            sink.quarantine(table, p.row_number, p.location, [p], refused.raw)
        for problem in counts.warnings:
            sink.warn(problem)


def _record_counts(submission: Submission, result: LoadResult) -> None:
    """The submission saved with what its load counted."""
    submission.rows_read = result.rows_read
    submission.rows_loaded = result.rows_loaded
    submission.rows_unchanged = sum(t.unchanged for t in result.tables.values())
    submission.rows_quarantined = result.rows_quarantined
    submission.warnings = result.warnings
    submission.counts = {t: vars(c) for t, c in result.tables.items()}
    submission.save()


def _bulk_lane(reader: ReturnReader, now: dt.datetime) -> BulkEvents | None:
    """The DuckDB lane for a canonical events.csv, when it can take the file."""
    if not isinstance(reader, CsvReturnReader):
        return None
    path = reader.file_of("events")
    if path is None or not bulk_events.usable(path):
        return None
    bulk = BulkEvents(path, now, postgres=staging.is_postgres())
    return bulk if bulk.fits() else None


class _ProblemSink:
    """Writes quarantined rows and warnings in chunks, and keeps the first few to show."""

    CHUNK = 2000

    def __init__(self, submission: Submission, result: LoadResult) -> None:
        self.submission = submission
        self.result = result
        self.quarantined: list[QuarantinedRow] = []
        self.warnings: list[RowWarning] = []

    def _note(self, problem: RowProblem) -> None:
        self.result.problems_total += 1
        if len(self.result.problems) < PROBLEMS_SHOWN:
            self.result.problems.append(problem)

    def quarantine(self, table: str, row_number: int, location: str,
                   problems: list[RowProblem], raw: dict[str, object]) -> None:
        self.result.tables[table].quarantined += 1
        for problem in problems:
            self._note(problem)
        errors = [p for p in problems if p.severity == "error"] or problems
        self.quarantined.append(QuarantinedRow(
            submission=self.submission, table=table, row_number=row_number, location=location,
            column=errors[0].column or "", reason="\n".join(p.message for p in errors),
            fix="\n".join(dict.fromkeys(p.fix for p in errors)),
            problems=[
                {"severity": p.severity, "column": p.column, "message": p.message,
                 "fix": p.fix, "value": p.raw_value} for p in problems
            ],
            raw={storable(str(k)): _plain(v) for k, v in raw.items()},
        ))
        if len(self.quarantined) >= self.CHUNK:
            self.flush()

    def warn(self, problem: RowProblem) -> None:
        self.result.tables[problem.table].warnings += 1
        self._note(problem)
        self.warnings.append(RowWarning(
            submission=self.submission, table=problem.table, row_number=problem.row_number,
            location=problem.location, column=problem.column or "", message=problem.message,
            fix=problem.fix, raw_value=problem.raw_value,
        ))
        if len(self.warnings) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        QuarantinedRow.objects.bulk_create(self.quarantined)
        RowWarning.objects.bulk_create(self.warnings)
        self.quarantined.clear()
        self.warnings.clear()


def _plain(value: object) -> object:
    """A raw value as JSON any database can store (see :func:`problems.storable`)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {storable(str(k)): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, int | float | bool):
        return value
    return storable(str(value))


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
