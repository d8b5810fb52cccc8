"""An SSD extract read from the council's database (here a SQLite file; PostgreSQL in
test_ssd_database_postgres.py): the same rows as the CSV folder, read-only, problems naming
the table, the row's position and the field, and clear refusals."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from joinedup.chronology.models import Event
from joinedup.errors import ConfigurationError, IngestError, UnreadableFileError
from joinedup.ingest.formats import open_database_reader
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd import SsdReader
from joinedup.ingest.formats.ssd_database import SsdDatabase, SsdDatabaseReader, as_text
from joinedup.ingest.loading import load_database, load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.people.models import PersonRecord, RelationshipRecord
from tests.ingest.formats.ssd_database import write_ssd_database
from tests.ingest.formats.ssd_folder import BABY, CHILD, MOTHER, TABLES, write_ssd

pytestmark = pytest.mark.postgres


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def comparable(rows: list[SourceRow]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Rows as a user sees their content (where a person's address came from names the
    source, and is left out)."""
    return [(r.table, r.values, {k: v for k, v in r.extra.items() if k != "address_from"})
            for r in rows]


# -- the same rows as the CSV folder ---------------------------------------------------------

def test_a_database_gives_the_rows_the_csv_folder_gives(tmp_path: Path) -> None:
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"))
    from_database = list(SsdDatabaseReader(sqlite_url(tmp_path / "ssd.db")).rows())
    from_folder = list(SsdReader(write_ssd(tmp_path / "ssd")).rows())
    assert comparable(from_database) == comparable(from_folder)
    assert len(from_database) == 26
    people = [r for r in from_database if r.table == "people"]
    assert [(r.row_number, r.location) for r in people] == [
        (1, "ssd_person"), (2, "ssd_person"), (3, "ssd_person")]
    assert people[0].extra["address_from"] == "ssd_address row 2"


def test_a_database_loads_the_same_people_events_and_relationships(
        db: None, tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency

    for code in ("CSC", "CSCDB"):
        register_agency(code, "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"))
    from_folder = load_return(write_ssd(tmp_path / "ssd"), "CSC")
    from_database = load_database(sqlite_url(tmp_path / "ssd.db"), "CSCDB")
    assert from_database.format == "ssd" and from_database.path.endswith("ssd.db")
    assert {t: vars(c) for t, c in from_database.tables.items()} == {
        t: vars(c) for t, c in from_folder.tables.items()}
    assert from_database.rows_loaded == 26 and from_database.rows_quarantined == 0

    def stored(agency: str) -> tuple[Counter[Any], set[Any], set[Any]]:
        events = Counter(Event.objects.filter(agency__code=agency, is_current=True)
                         .values_list("event_type", "occurred_on", "subject__source_id"))
        people = {(*p[:4], tuple(p[4])) for p in PersonRecord.objects.filter(
            agency__code=agency).values_list("source_id", "date_of_birth", "nhs_number",
                                             "postcode", "flags")}
        relationships = set(RelationshipRecord.objects.filter(agency__code=agency)
                            .values_list("person__source_id", "relationship",
                                         "related_person__source_id", "valid_from"))
        return events, people, relationships

    assert stored("CSCDB") == stored("CSC")
    events, people, relationships = stored("CSCDB")
    assert sum(events.values()) == 22
    assert events[("CP_PLAN_START", dt.date(2025, 1, 30), CHILD)] == 1
    assert (CHILD, dt.date(2015, 6, 15), "9434765870", "SK1 3XE", ()) in people
    assert (MOTHER, dt.date(2007, 3, 20), "", "", ("CARE_EXPERIENCED",)) in people
    assert relationships == {(MOTHER, "MOTHER_OF", BABY, dt.date(2024, 2, 1))}


def test_the_same_rows_read_twice_change_nothing_and_a_change_is_a_correction(
        db: None, tmp_path: Path) -> None:
    from joinedup.agencies.models import Submission
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    url = sqlite_url(tmp_path / "ssd.db")
    write_ssd_database(url)
    first = load_database(url, "CSC")
    again = load_database(url, "CSC")
    assert again.already_received == first.submission_id and again.submission_id is None
    assert Submission.objects.count() == 1
    assert Submission.objects.get().file_name == url
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE ssd_cin_plans SET cinp_cin_plan_end = '2025-08-01'"))
    engine.dispose()
    later = load_database(url, "CSC")
    assert later.already_received is None
    assert (later.tables["events"].new, later.tables["events"].corrected) == (1, 0)
    assert Event.objects.get(event_type="CIN_PLAN_END").occurred_on == dt.date(2025, 8, 1)


def test_a_dry_run_stores_nothing(db: None, tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"))
    result = load_database(sqlite_url(tmp_path / "ssd.db"), "CSC", dry_run=True)
    assert result.rows_read == 26 and result.submission_id is None
    assert not PersonRecord.objects.exists()


# -- problems name the table, the row's position and the field -------------------------------

def test_bad_rows_go_to_quarantine_naming_the_table_the_row_and_the_field(
        db: None, tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    tables = copy.deepcopy(TABLES)
    good = tables["ssd_contacts"][0]
    tables["ssd_contacts"] += [{**good, "cont_contact_id": "C2", "cont_person_id": ""},
                               {**good, "cont_contact_id": "C3",
                                "cont_contact_date": "31/02/2025"}]
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"), tables)
    result = load_database(sqlite_url(tmp_path / "ssd.db"), "CSC")
    assert result.rows_quarantined == 2
    kept = {q.row_number: q for q in QuarantinedRow.objects.filter(location="ssd_contacts")}
    assert (kept[2].column, kept[3].column) == ("cont_person_id", "cont_contact_date")
    assert "Fill in cont_person_id in ssd_contacts" in kept[2].fix
    assert "and load the tables again." in kept[2].fix
    assert "31/02/2025" in kept[3].reason
    assert "YYYY-MM-DD (or DD/MM/YYYY) in ssd_contacts and load the tables again" in kept[3].fix


# -- read-only -------------------------------------------------------------------------------

def test_the_sqlite_file_is_opened_read_only(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "ssd.db")
    write_ssd_database(url)
    tables = SsdDatabase(url)
    try:
        tables.find_tables()
        assert len(list(tables.rows("ssd_person"))) == 3
        person = sa.table("ssd_person", sa.column("pers_person_id"))
        with pytest.raises(sa.exc.OperationalError, match="readonly database"):
            tables.connection.execute(person.insert().values(pers_person_id="P999"))
    finally:
        tables.close()
    assert len(list(SsdDatabase(url).rows("ssd_person"))) == 0  # nothing found, nothing read
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM ssd_person")).scalar() == 3
    engine.dispose()


def test_a_missing_sqlite_file_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    reader = SsdDatabaseReader(sqlite_url(tmp_path / "none.db"))
    with pytest.raises(IngestError, match="Cannot connect to the database .*none.db: unable "
                                          "to open database file. Check the path"):
        list(reader.rows())
    assert not (tmp_path / "none.db").exists()


# -- refusals ---------------------------------------------------------------------------------

def test_a_database_without_ssd_person_is_refused(tmp_path: Path) -> None:
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"),
                       {"ssd_contacts": TABLES["ssd_contacts"]})
    with pytest.raises(UnreadableFileError, match="holds no ssd_person table"):
        list(SsdDatabaseReader(sqlite_url(tmp_path / "ssd.db")).rows())


def test_a_table_without_its_person_field_is_refused(tmp_path: Path) -> None:
    tables = copy.deepcopy(TABLES)
    tables["ssd_contacts"] = [{("child" if k == "cont_person_id" else k): v
                               for k, v in tables["ssd_contacts"][0].items()}]
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"), tables)
    with pytest.raises(UnreadableFileError,
                       match="The table ssd_contacts is not an SSD table: it has no "
                             "cont_person_id column"):
        list(SsdDatabaseReader(sqlite_url(tmp_path / "ssd.db")).rows())


@pytest.mark.parametrize(("url", "message"), [
    ("not a url", "The database address is not one joinedup can read"),
    ("oracle://someone@somewhere/ssd", "not from 'oracle'"),
])
def test_a_bad_address_is_refused_before_anything_is_read(url: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        open_database_reader(url)


def test_a_schema_name_must_be_a_plain_name() -> None:
    with pytest.raises(IngestError, match="The schema name 'ssd; drop' is not accepted"):
        open_database_reader("sqlite:///x.db", schema="ssd; drop")


def test_a_server_that_cannot_be_reached_is_named_without_its_password() -> None:
    reader = open_database_reader("postgresql://steward:s3cret@127.0.0.1:9/ssd")
    with pytest.raises(IngestError) as refused:
        list(reader.rows())
    assert "Cannot connect to the database postgresql://steward:***@127.0.0.1:9/ssd" in str(
        refused.value)
    assert "s3cret" not in str(refused.value)


def test_without_the_extra_the_error_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "joinedup.ingest.formats.ssd_database")
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    with pytest.raises(ConfigurationError, match=r"needs SQLAlchemy, which is not installed\. "
                       r"Install joinedup with its ssd-database extra"):
        open_database_reader("sqlite:///x.db")


def test_database_values_read_as_the_csv_export_would_hold_them() -> None:
    assert [as_text(v) for v in (
        None, " P1 ", True, False, dt.date(2025, 1, 6), dt.datetime(2025, 1, 6),
        dt.datetime(2025, 1, 6, 9, 30), decimal.Decimal("12.00"), decimal.Decimal("1.5"),
        42, 42.0, {"NFA_FLAG": "Y"}, ["3A"], b"caf\xc3\xa9")] == [
        "", "P1", "Y", "N", "2025-01-06", "2025-01-06", "2025-01-06 09:30:00", "12", "1.5",
        "42", "42", '{"NFA_FLAG": "Y"}', '["3A"]', "café"]


# -- the command line ------------------------------------------------------------------------

def test_the_command_loads_from_a_database(db: None, cli: Any, tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    write_ssd_database(sqlite_url(tmp_path / "ssd.db"))
    done = cli("ingest", "--agency", "CSC", "--from-database", sqlite_url(tmp_path / "ssd.db"))
    assert done.exit_code == 0, done.output
    assert "Stored as submission" in done.output and "26 rows loaded" in done.output
    assert PersonRecord.objects.count() == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--agency", "CSC"], "give the file or folder holding the return, or --from-database"),
    (["somewhere", "--agency", "CSC", "--from-database", "sqlite:///x.db"], "not both"),
    (["--agency", "CSC", "--from-database", "sqlite:///x.db", "--format", "csv"],
     "a database is read as an SSD extract"),
    (["somewhere", "--agency", "CSC", "--schema", "ssd"], "only with --from-database"),
])
def test_the_command_takes_a_path_or_a_database(cli: Any, args: list[str],
                                                message: str) -> None:
    refused = cli("ingest", *args)
    assert refused.exit_code == 2
    assert message in " ".join(refused.output.replace("│", " ").split())
