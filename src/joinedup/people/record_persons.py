"""The person each record belongs to, written after a linkage run groups the records: one
statement run for all the records that moved, with each record's id and person bound as
values. A full run moves every record, and one ``UPDATE`` per person (or Django's
``bulk_update``, which writes a ``CASE`` of every record in a batch) took most of the run.
"""

from __future__ import annotations

from django.db import connection

from joinedup.people.models import PersonRecord
from joinedup.sql_names import quoted_name

_TABLE = quoted_name(PersonRecord._meta.db_table)
_PERSON = quoted_name(PersonRecord._meta.get_field("person").attname)  # no db_column set
_ID = quoted_name(PersonRecord._meta.get_field("id").attname)
_SET_PERSON = f"UPDATE {_TABLE} SET {_PERSON} = %s WHERE {_ID} = %s"  # noqa: S608 - our names, quoted; values bound


def set_persons(person_of: dict[int, int]) -> None:
    """Put each record (by id) in its person (by id)."""
    if not person_of:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_SET_PERSON, sorted(
            (person, record) for record, person in person_of.items()))
