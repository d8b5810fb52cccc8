"""The synthetic SSD extract of ssd_folder.py written as tables of a database (SQLite or
PostgreSQL), as a council's SSD database holds them."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from joinedup.ingest.values import parse_datetime
from tests.ingest.formats.ssd_folder import TABLES

KEYS = {"ssd_person": "pers_person_id", "ssd_contacts": "cont_contact_id",
        "ssd_cin_assessments": "cina_assessment_id"}
"""Tables given a primary key (the others have none, as SSD views and some deployments)."""


def write_ssd_database(url: str, tables: dict[str, list[dict[str, str]]] | None = None, *,
                       schema: str | None = None, typed: bool = False) -> None:
    """Each table created (in ``schema`` if given) and filled with its rows. ``typed``:
    date fields as timestamps and JSON fields as JSON, as a typed SSD deployment has them;
    otherwise every field is text, as in the CSV export."""
    metadata = sa.MetaData(schema=schema)
    made = []
    for name, rows in (TABLES if tables is None else tables).items():
        fields = list((rows or TABLES[name])[0])
        table = sa.Table(name, metadata, *(
            sa.Column(f, _type(f, typed), primary_key=(KEYS.get(name) == f)) for f in fields))
        made.append((table, [{f: _value(f, row.get(f, ""), typed) for f in fields}
                             for row in rows]))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        metadata.create_all(connection)
        for table, rows in made:
            if rows:
                connection.execute(table.insert(), rows)
    engine.dispose()


def _type(field: str, typed: bool) -> Any:
    if typed and ("date" in field or field.endswith("_dob")):
        return sa.DateTime()
    if typed and field.endswith("_json"):
        return sa.JSON()
    return sa.Text()


def _value(field: str, value: str, typed: bool) -> Any:
    if not typed:
        return value
    if not value:
        return None
    kind = _type(field, typed)
    if isinstance(kind, sa.DateTime):
        return parse_datetime(value)[0].replace(tzinfo=None)
    if isinstance(kind, sa.JSON):
        return json.loads(value)
    return value

