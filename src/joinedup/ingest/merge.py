"""Merging staged rows into the stored records, with versions instead of overwrites.

For each table, in SQL over the staging tables:

1. a second row with the same id in one return is a row error (the first is kept);
2. a reference to a person the agency has never sent is a row error (or, for the
   optional related person of an event, a warning: the event loads without it);
3. a row identical to what is stored changes nothing;
4. a row that differs becomes a new version; the old version is kept, marked superseded;
5. a row never seen before becomes version 1.

Every function returns counts, and rows it refuses as :class:`RowProblem` values with the
staged values, for the quarantine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from joinedup.chronology.models import Event
from joinedup.ingest.problems import RowProblem, error, warning
from joinedup.ingest.staging import STAGE, is_postgres, json_value
from joinedup.people.models import PersonRecord, PersonRecordVersion, RelationshipRecord
from joinedup.sql_names import quoted_name

# Table names as SQL (quoted by the one helper); EVENT_TABLE is the plain name, a value.
EVENT_TABLE = Event._meta.db_table
PERSON = quoted_name(PersonRecord._meta.db_table)
PERSON_VERSION = quoted_name(PersonRecordVersion._meta.db_table)
EVENT = quoted_name(EVENT_TABLE)
RELATIONSHIP = quoted_name(RelationshipRecord._meta.db_table)

ID_COLUMN = {"people": "source_id", "events": "source_id", "relationships": "source_key"}


@dataclass
class Refused:
    problem: RowProblem
    raw: dict[str, Any]


@dataclass
class MergeCounts:
    new: int = 0
    corrected: int = 0
    unchanged: int = 0
    refused: list[Refused] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


def _rows(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor.fetchall()


def _run(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _count(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    return int(next(_rows(sql, params))[0])


def refuse_duplicates(table: str, counts: MergeCounts) -> None:
    """Quarantine every later row that repeats an id seen earlier in the same return."""
    stage, key = STAGE[table], quoted_name(ID_COLUMN[table])
    repeated = f"SELECT {key} FROM {stage} GROUP BY {key} HAVING COUNT(*) > 1"  # noqa: S608 - our names, quoted; values bound
    if not list(_rows(f"SELECT 1 FROM ({repeated}) AS r LIMIT 1")):  # noqa: S608 - our names, quoted; values bound
        return  # the usual case, found from the index alone
    sql = f"""
        SELECT row_number, location, {key}, first_row FROM (
            SELECT row_number, location, {key},
                   MIN(row_number) OVER (PARTITION BY {key}) AS first_row
            FROM {stage} WHERE {key} IN ({repeated})) AS numbered
        WHERE row_number > first_row ORDER BY row_number"""  # noqa: S608 - our names, quoted; values bound
    label = "person_id" if table == "people" else "event_id" if table == "events" else None
    for row_number, location, ident, first_row in _rows(sql):
        message = (f"the id {ident!r} is also on row {first_row}"
                   if label else f"this relationship is also on row {first_row}")
        counts.refused.append(Refused(
            error(table, row_number, label, message,
                  "Each row needs its own id; send one row per id (the first row was kept).",
                  ident, location),
            {ID_COLUMN[table]: ident},
        ))
    _run(f"""DELETE FROM {stage} WHERE row_number IN (
        SELECT row_number FROM (SELECT row_number,
            MIN(row_number) OVER (PARTITION BY {key}) AS first_row
            FROM {stage} WHERE {key} IN ({repeated})) AS n
        WHERE row_number > first_row)""")  # noqa: S608 - our names, quoted; values bound


def _mark_previous(table: str, target: str, agency_id: int, extra: str = "") -> None:
    stage, key = STAGE[table], quoted_name(ID_COLUMN[table])
    _run(f"""UPDATE {stage} SET prev_hash = t.content_hash, prev_version = t.version
             FROM {target} AS t
             WHERE t.agency_id = %s AND t.{key} = {stage}.{key} {extra}""", [agency_id])  # noqa: S608 - our names, quoted; values bound


def _drop_unchanged(table: str, counts: MergeCounts) -> None:
    stage = STAGE[table]
    counts.unchanged = _run(f"DELETE FROM {stage} WHERE prev_hash = content_hash")  # noqa: S608 - our names, quoted; values bound
    counts.corrected = _count(f"SELECT COUNT(*) FROM {stage} WHERE prev_version IS NOT NULL")  # noqa: S608 - our names, quoted; values bound
    counts.new = _count(f"SELECT COUNT(*) FROM {stage} WHERE prev_version IS NULL")  # noqa: S608 - our names, quoted; values bound


def merge_people(agency_id: int, submission_id: int, now: dt.datetime) -> MergeCounts:
    counts = MergeCounts()
    refuse_duplicates("people", counts)
    _mark_previous("people", PERSON, agency_id)
    _drop_unchanged("people", counts)
    now_db = connection.ops.adapt_datetimefield_value(now)
    stage = STAGE["people"]
    _run(f"""UPDATE {PERSON_VERSION} SET superseded_at = %s
             WHERE superseded_at IS NULL AND person_record_id IN (
                SELECT p.id FROM {PERSON} p JOIN {stage} s ON p.source_id = s.source_id
                WHERE p.agency_id = %s)""", [now_db, agency_id])  # noqa: S608 - our names, quoted; values bound
    _run(f"""UPDATE {PERSON} SET given_name = s.given_name, family_name = s.family_name,
                other_names = {json_value('s.other_names')}, date_of_birth = s.date_of_birth,
                sex = s.sex, nhs_number = s.nhs_number, postcode = s.postcode,
                date_of_birth_text = s.date_of_birth_text, nhs_number_text = s.nhs_number_text,
                uprn = s.uprn,
                address = s.address, flags = {json_value('s.flags')},
                extra = {json_value('s.extra')}, version = s.prev_version + 1,
                content_hash = s.content_hash, submission_id = %s, source_row = s.row_number,
                pseudonymised_at = NULL
             FROM {stage} AS s
             WHERE {PERSON}.agency_id = %s AND {PERSON}.source_id = s.source_id""",  # noqa: S608 - our names, quoted; values bound
         [submission_id, agency_id])
    _run(f"""INSERT INTO {PERSON} (agency_id, source_id, given_name, family_name, other_names,
                date_of_birth, sex, nhs_number, postcode, address, flags, extra, version,
                content_hash, submission_id, source_row, date_of_birth_text, nhs_number_text,
                uprn)
             SELECT %s, source_id, given_name, family_name, {json_value('other_names')},
                date_of_birth, sex, nhs_number, postcode, address, {json_value('flags')},
                {json_value('extra')}, 1, content_hash, %s, row_number, date_of_birth_text,
                nhs_number_text, uprn
             FROM {stage} WHERE prev_version IS NULL""", [agency_id, submission_id])  # noqa: S608 - our names, quoted; values bound
    _run(f"""INSERT INTO {PERSON_VERSION} (person_record_id, version, content, content_hash,
                submission_id, loaded_at)
             SELECT p.id, p.version, {json_value('s.content')}, p.content_hash, %s, %s
             FROM {stage} s JOIN {PERSON} p ON p.agency_id = %s AND p.source_id = s.source_id
             """, [submission_id, now_db, agency_id])  # noqa: S608 - our names, quoted; values bound
    return counts


def _unknown(stage: str, column: str) -> str:
    """SQL condition: the staged row's ``column`` names no person of the agency (%s)."""
    return f"""NOT EXISTS (SELECT 1 FROM {PERSON} p
                          WHERE p.agency_id = %s AND p.source_id = {stage}.{quoted_name(column)})"""  # noqa: S608 - our names, quoted; values bound


def _refuse_unknown_people(table: str, agency_id: int, agency_code: str, columns: list[str],
                           counts: MergeCounts) -> None:
    stage = STAGE[table]
    for id_column in columns:
        sql = f"""SELECT row_number, location, {quoted_name(ID_COLUMN[table])},
                         {quoted_name(id_column)} FROM {stage}
                  WHERE {_unknown(stage, id_column)} ORDER BY row_number"""  # noqa: S608 - our names, quoted; values bound
        unknown = list(_rows(sql, [agency_id]))
        for row_number, location, ident, person in unknown:
            counts.refused.append(Refused(
                error(table, row_number, id_column,
                      f"no person with {id_column.replace('related_', '')} {person!r} has been "
                      f"sent by {agency_code}",
                      f"Add {person!r} to people.csv in this return (or an earlier one).",
                      person, location),
                {ID_COLUMN[table]: ident, id_column: person},
            ))
        if unknown:
            _run(f"DELETE FROM {stage} WHERE {_unknown(stage, id_column)}", [agency_id])  # noqa: S608 - our names, quoted; values bound


def _supersede_corrected(table: str, target: str, agency_id: int, now: dt.datetime,
                        counts: MergeCounts) -> Any:
    """Drop unchanged rows from the stage and mark the stored versions of corrected ones
    as superseded. Returns ``now`` as the database wants it."""
    stage, key = STAGE[table], quoted_name(ID_COLUMN[table])
    now_db = connection.ops.adapt_datetimefield_value(now)
    if not _any_stored(target, agency_id):
        counts.new = _count(f"SELECT COUNT(*) FROM {stage}")  # noqa: S608 - our names, quoted; values bound (a first load: all new)
        return now_db
    _mark_previous(table, target, agency_id, "AND t.is_current = TRUE")
    _drop_unchanged(table, counts)
    _run(f"""UPDATE {target} SET is_current = FALSE, superseded_at = %s
             WHERE agency_id = %s AND is_current = TRUE AND {key} IN (
                SELECT {key} FROM {stage} WHERE prev_version IS NOT NULL)""",  # noqa: S608 - our names, quoted; values bound
         [now_db, agency_id])
    return now_db


REBUILD_FROM = 20_000


def _set_aside_indexes(table: str, adding: int) -> list[str]:
    """On SQLite, drop the table's ordinary (not unique) indexes before a load that adds at
    least as many rows as the table already has, and return the statements that build them
    again (run them after the insert, in the same transaction).

    Keeping an index in order as rows for scattered keys arrive costs more than building it
    once, sorted, when most of the table is new (docs/decisions/0009). Unique indexes stay,
    so uniqueness is checked as rows are written. On SQLite a reader sees the table as it
    was until the commit, indexes and all, and DDL rolls back with the load; PostgreSQL
    would lock readers out, so it keeps its indexes. ``max(id)`` counts the stored rows
    without reading them (it can only overstate them)."""
    if is_postgres() or adding < REBUILD_FROM:
        return []
    stored = next(_rows(f"SELECT COALESCE(MAX(id), 0) FROM {quoted_name(table)}"))[0]  # noqa: S608 - our names, quoted; values bound
    if adding < stored:
        return []
    creates = []
    for name, create in list(_rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name", [table])):
        # a name from SQLite's own catalogue (Django made it), quoted as a name
        _run('DROP INDEX "{}"'.format(name.replace('"', '""')))
        creates.append(create)
    return creates


def merge_events(agency_id: int, agency_code: str, submission_id: int,
                 now: dt.datetime) -> MergeCounts:
    counts = MergeCounts()
    refuse_duplicates("events", counts)
    if not _any_stored(EVENT, agency_id):
        return _first_events(agency_id, agency_code, submission_id, now, counts)
    _refuse_unknown_people("events", agency_id, agency_code, ["person_id"], counts)
    _warn_unknown_related(agency_id, agency_code, counts)
    now_db = _supersede_corrected("events", EVENT, agency_id, now, counts)
    set_aside = _set_aside_indexes(EVENT_TABLE, counts.new + counts.corrected)
    _insert_events(agency_id, submission_id, now_db)
    for create in set_aside:
        _run(create)
    return counts


def _first_events(agency_id: int, agency_code: str, submission_id: int, now: dt.datetime,
                  counts: MergeCounts) -> MergeCounts:
    """The agency's first events: every staged row is new, so nothing is superseded, and a
    row naming a person the agency never sent is left out by the insert's join; such rows
    are looked for (and refused) only when the insert wrote fewer rows than were staged."""
    staged = _count(f"SELECT COUNT(*) FROM {STAGE['events']}")  # noqa: S608 - our names, quoted; values bound
    set_aside = _set_aside_indexes(EVENT_TABLE, staged)
    counts.new = _insert_events(agency_id, submission_id,
                                connection.ops.adapt_datetimefield_value(now))
    if counts.new < staged:
        _refuse_unknown_people("events", agency_id, agency_code, ["person_id"], counts)
    _warn_unknown_related(agency_id, agency_code, counts)
    for create in set_aside:
        _run(create)
    return counts


def _any_stored(table: str, agency_id: int) -> bool:
    return bool(list(_rows(f"SELECT 1 FROM {table} WHERE agency_id = %s LIMIT 1", [agency_id])))  # noqa: S608 - our names, quoted; values bound


def _warn_unknown_related(agency_id: int, agency_code: str, counts: MergeCounts) -> None:
    """A warning for each staged event whose related person the agency never sent (the
    event loads without the related person)."""
    stage = STAGE["events"]
    for row_number, location, person in _rows(f"""
            SELECT row_number, location, related_person_id FROM {stage}
            WHERE related_person_id <> '' AND {_unknown(stage, 'related_person_id')}
            ORDER BY row_number""", [agency_id]):  # noqa: S608 - our names, quoted; values bound
        counts.warnings.append(warning(
            "events", row_number, "related_person_id",
            f"no person with person_id {person!r} has been sent by {agency_code}",
            "Add that person to people.csv; the event loads without the related person.",
            person, location))


def _insert_events(agency_id: int, submission_id: int, now_db: Any) -> int:
    """Write the staged events whose subject the agency has sent; returns how many."""
    return _run(f"""INSERT INTO {EVENT} (agency_id, source_id, version, is_current, subject_id,
                related_person_id, event_type, occurred_at, occurred_on, occurred_time_known,
                recorded_at, recorded_on, summary, details, extra, content_hash,
                submission_id, source_row, loaded_at)
             SELECT %s, s.source_id, COALESCE(s.prev_version, 0) + 1, TRUE, p.id, r.id,
                s.event_type, s.occurred_at, s.occurred_on, s.occurred_time_known,
                s.recorded_at, s.recorded_on, s.summary, {json_value('s.details')},
                {json_value('s.extra')}, s.content_hash, %s, s.row_number, %s
             FROM {STAGE['events']} s
             JOIN {PERSON} p ON p.agency_id = %s AND p.source_id = s.person_id
             LEFT JOIN {PERSON} r ON r.agency_id = %s AND r.source_id = s.related_person_id
             ORDER BY s.source_id""", [agency_id, submission_id, now_db, agency_id, agency_id])  # noqa: S608 - our names, quoted; values bound


def merge_relationships(agency_id: int, agency_code: str, submission_id: int,
                        now: dt.datetime) -> MergeCounts:
    counts = MergeCounts()
    stage = STAGE["relationships"]
    refuse_duplicates("relationships", counts)
    _refuse_unknown_people("relationships", agency_id, agency_code,
                           ["person_id", "related_person_id"], counts)
    now_db = _supersede_corrected("relationships", RELATIONSHIP, agency_id, now, counts)
    _run(f"""INSERT INTO {RELATIONSHIP} (agency_id, source_key, person_id, related_person_id,
                relationship, valid_from, valid_to, details, version, is_current,
                content_hash, submission_id, source_row, loaded_at)
             SELECT %s, s.source_key, p.id, r.id, s.relationship, s.valid_from, s.valid_to,
                {json_value('s.details')}, COALESCE(s.prev_version, 0) + 1, TRUE,
                s.content_hash, %s, s.row_number, %s
             FROM {stage} s
             JOIN {PERSON} p ON p.agency_id = %s AND p.source_id = s.person_id
             JOIN {PERSON} r ON r.agency_id = %s AND r.source_id = s.related_person_id
             """, [agency_id, submission_id, now_db, agency_id, agency_id])  # noqa: S608 - our names, quoted; values bound
    return counts

