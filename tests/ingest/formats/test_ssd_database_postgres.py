"""An SSD extract read from a PostgreSQL database (the server of the PostgreSQL pass,
JOINEDUP_TEST_POSTGRES_URL), its tables typed as a council's are (timestamps, JSON) in a
schema made for the test and dropped after it: the same records as the CSV folder, and a
transaction in which the server refuses any write."""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from joinedup.chronology.models import Event
from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.ssd import SsdReader
from joinedup.ingest.formats.ssd_database import SsdDatabase, SsdDatabaseReader
from joinedup.ingest.loading import load_database, load_return
from joinedup.people.models import PersonRecord
from tests.ingest.formats.ssd_database import write_ssd_database
from tests.ingest.formats.ssd_folder import TABLES, write_ssd

pytestmark = [pytest.mark.postgres, pytest.mark.postgres_only]


@pytest.fixture
def server() -> str:
    url = os.environ.get("JOINEDUP_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI") == "true" or os.environ.get("JOINEDUP_REQUIRE_POSTGRES") == "1":
            pytest.fail("CI must read an SSD database on PostgreSQL: set "
                        "JOINEDUP_TEST_POSTGRES_URL")
        pytest.skip("needs PostgreSQL (JOINEDUP_TEST_POSTGRES_URL=postgresql://...)")
    return url


@pytest.fixture
def schema(server: str) -> Iterator[str]:
    """A schema of its own for the test's SSD tables, dropped afterwards."""
    name = f"ssd_test_{secrets.token_hex(4)}"
    engine = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1),
                              poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.schema.CreateSchema(name))
    try:
        yield name
    finally:
        with engine.begin() as connection:
            connection.execute(sa.schema.DropSchema(name, cascade=True))
        engine.dispose()


def written(server: str, schema: str, tables: dict[str, list[dict[str, str]]] | None = None
            ) -> str:
    write_ssd_database(server.replace("postgresql://", "postgresql+psycopg://", 1), tables,
                       schema=schema, typed=True)
    return server


def test_typed_tables_give_the_rows_the_csv_folder_gives(server: str, schema: str,
                                                         tmp_path: Path) -> None:
    reader = SsdDatabaseReader(written(server, schema), schema)
    from_database = list(reader.rows())
    from_folder = list(SsdReader(write_ssd(tmp_path / "ssd")).rows())

    def comparable(rows: list[Any]) -> list[Any]:
        return [(r.table, r.values, {k: v for k, v in r.extra.items() if k != "address_from"})
                for r in rows]

    assert comparable(from_database) == comparable(from_folder)
    assert {r.location for r in from_database if r.table == "people"} == {
        f"{schema}.ssd_person"}


def test_a_postgresql_database_loads_the_same_records(db: None, server: str, schema: str,
                                                      tmp_path: Path) -> None:
    from joinedup.agencies.registry import register_agency

    for code in ("CSC", "CSCDB"):
        register_agency(code, "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    from_folder = load_return(write_ssd(tmp_path / "ssd"), "CSC")
    from_database = load_database(written(server, schema), "CSCDB", schema=schema)
    assert {t: vars(c) for t, c in from_database.tables.items()} == {
        t: vars(c) for t, c in from_folder.tables.items()}
    assert from_database.rows_loaded == 26 and from_database.rows_quarantined == 0

    def events(agency: str) -> Counter[Any]:
        return Counter(Event.objects.filter(agency__code=agency, is_current=True).values_list(
            "event_type", "occurred_on", "subject__source_id", "summary"))

    assert events("CSCDB") == events("CSC")
    assert sorted(PersonRecord.objects.filter(agency__code="CSCDB").values_list(
        "source_id", "date_of_birth", "nhs_number", "postcode")) == sorted(
        PersonRecord.objects.filter(agency__code="CSC").values_list(
            "source_id", "date_of_birth", "nhs_number", "postcode"))
    again = load_database(server, "CSCDB", schema=schema)
    assert again.already_received == from_database.submission_id


def test_the_transaction_is_read_only(server: str, schema: str) -> None:
    tables = SsdDatabase(written(server, schema), schema)
    try:
        tables.find_tables()
        assert len(list(tables.rows("ssd_person"))) == 3
        person = sa.table("ssd_person", sa.column("pers_person_id"), schema=schema)
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
            tables.connection.execute(person.insert().values(pers_person_id="P999"))
    finally:
        tables.close()
    engine = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1),
                              poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        count = sa.select(sa.func.count()).select_from(
            sa.table("ssd_person", schema=schema))
        assert connection.execute(count).scalar() == 3
    engine.dispose()


def test_rows_are_streamed_through_a_server_side_cursor(server: str, schema: str) -> None:
    """A large table is never fetched whole: while its rows are read, the server holds an
    open cursor they come from."""
    tables = SsdDatabase(written(server, schema), schema)
    try:
        tables.find_tables()
        rows = tables.rows("ssd_person")
        assert next(rows)[0] == 1
        cursors = sa.select(sa.func.count()).select_from(sa.table("pg_cursors"))
        assert tables.connection.execute(cursors).scalar() == 1
        assert [position for position, _ in rows] == [2, 3]
        assert tables.connection.execute(cursors).scalar() == 0
    finally:
        tables.close()


def test_tables_in_another_schema_are_not_found(server: str, schema: str) -> None:
    written(server, schema, {"ssd_person": TABLES["ssd_person"]})
    with pytest.raises(UnreadableFileError, match="the schema public of the database .* "
                                                  "holds no ssd_person table"):
        list(SsdDatabaseReader(server, "public").rows())
