"""Reader for the Standard Safeguarding Dataset (SSD, Data to Insight) as CSV tables.

A council exports its SSD as one CSV file per table, named as the table
(``ssd_person.csv``, ``ssd_contacts.csv``, ...), the first line naming the SSD fields.
Only ``ssd_person.csv`` is required; the folder is read in this order:

1. the small tables that complete a person or an event (``ssd_linked_identifiers``,
   ``ssd_address``, ``ssd_family``, ``ssd_mother``, the people in ``ssd_cla_episodes``,
   ``ssd_professionals``, ``ssd_involvements``, ``ssd_assessment_factors``), into indexes
   by person or assessment;
2. ``ssd_person`` (people), then ``ssd_mother`` (MOTHER_OF relationships);
3. the event tables, each row becoming one or more events
   (:mod:`~joinedup.ingest.formats.ssd_referrals`, :mod:`~joinedup.ingest.formats.ssd_plans`).

Other SSD tables in the folder are not read (``not_read``). The mapping, field by field, is
in ``docs/formats/ssd.md``.

The same mapping reads the tables from the council's SSD database
(:mod:`joinedup.ingest.formats.ssd_database`): :func:`extract_rows` takes the tables from
either source (:class:`~joinedup.ingest.formats.ssd_tables.SsdTables`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd_people import PeopleIndex, mother_rows, people_rows
from joinedup.ingest.formats.ssd_plans import (
    cin_plan_rows,
    cla_rows,
    cp_plan_rows,
    cp_review_rows,
    early_help_rows,
    icpc_rows,
    s47_rows,
)
from joinedup.ingest.formats.ssd_referrals import (
    assessment_rows,
    contact_rows,
    read_factors,
    referral_rows,
)
from joinedup.ingest.formats.ssd_tables import FORMAT_NAME, PERSON_TABLE, SsdFolder, SsdTables
from joinedup.ingest.formats.ssd_visits import cin_visit_rows
from joinedup.ingest.formats.ssd_workers import Workers

EVENT_TABLES = (contact_rows, early_help_rows, referral_rows, s47_rows, icpc_rows,
                cp_plan_rows, cp_review_rows, cin_plan_rows, cin_visit_rows, cla_rows)


def is_ssd_folder(path: Path) -> bool:
    """A folder holding ``ssd_person.csv`` (any case) is an SSD extract."""
    return path.is_dir() and any(p.name.lower() == f"{PERSON_TABLE}.csv"
                                 for p in path.iterdir())


class SsdReader:
    """Streams an SSD folder as canonical people, relationships and events rows."""

    format_name = FORMAT_NAME

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.tables = SsdFolder(self.folder)
        self.not_read = self.tables.not_read
        # ssd_cla_episodes and ssd_mother are read twice (an index, then their rows)
        self.total_bytes = (sum(self.tables.size(t) for t in self.tables.files)
                            + self.tables.size("ssd_cla_episodes")
                            + self.tables.size("ssd_mother"))

    def bytes_done(self) -> int:
        return self.tables.bytes_done()

    def rows(self) -> Iterator[SourceRow]:
        if not self.folder.is_dir():
            raise UnreadableFileError(
                f"{self.folder} is not a folder: an SSD extract is a folder of CSV files, one "
                f"per table ({PERSON_TABLE}.csv, ssd_contacts.csv, ...)."
            )
        if PERSON_TABLE not in self.tables.files:
            raise UnreadableFileError(
                f"The folder {self.folder} is not an SSD extract: it has no {PERSON_TABLE}.csv, "
                "the one table an extract must have. Export ssd_person (and the other SSD "
                "tables) as CSV files named as the tables."
            )
        yield from extract_rows(self.tables)


def extract_rows(tables: SsdTables) -> Iterator[SourceRow]:
    """The canonical rows of an SSD extract, in the order of this module's docstring."""
    index = PeopleIndex.read(tables)
    workers = Workers.read(tables)
    factors = read_factors(tables)
    births: dict[str, str] = {}
    for person in people_rows(tables, index):
        births.setdefault(person.values["person_id"], person.values["date_of_birth"])
        yield person
    yield from mother_rows(tables, births)
    for table_rows in EVENT_TABLES:
        yield from table_rows(tables, workers)
    yield from assessment_rows(tables, workers, factors, index.mothers, births)
