"""Reading the tables of a Standard Safeguarding Dataset (SSD) extract, one CSV per table.

The SSD mapping modules read an extract through :class:`SsdTables`: each table as
(row number, row) pairs, the row a dict of lower-case SSD field names to text. Two sources
give them, read by the same mapping:

- :class:`SsdFolder` (here): a council exports each SSD table as a CSV file named as the
  table (``ssd_person.csv``, ``ssd_contacts.csv``, ...), first line the SSD field names
  (``pers_person_id``, ...); the row number is the line of the file. File names are matched
  without regard to case; column names follow the one rule for every format
  (:mod:`joinedup.ingest.formats.column_names`) and are used in lower case, as the SSD
  specification writes them;
- :class:`joinedup.ingest.formats.ssd_database.SsdDatabase`: the tables read from the
  council's SSD database itself; the row number is the row's position in its table.

Small helpers shared by the SSD mapping modules live here too: reading the SSD's yes/no
flags, its JSON fields, and its dates for identifiers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import file_size
from joinedup.ingest.formats.column_names import column_name
from joinedup.ingest.formats.csv_tables import TableFiles
from joinedup.ingest.problems import RowProblem, error
from joinedup.ingest.values import ValueProblem, parse_date

FORMAT_NAME = "ssd"
PERSON_TABLE = "ssd_person"

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "ssd_person": ("pers_person_id",),
    "ssd_address": ("addr_person_id",),
    "ssd_linked_identifiers": ("link_person_id", "link_identifier_type",
                               "link_identifier_value"),
    "ssd_family": ("fami_family_id", "fami_person_id"),
    "ssd_mother": ("moth_person_id", "moth_childs_person_id"),
    "ssd_contacts": ("cont_person_id", "cont_contact_date"),
    "ssd_early_help_episodes": ("earl_person_id", "earl_episode_start_date"),
    "ssd_cin_episodes": ("cine_person_id", "cine_referral_date"),
    "ssd_cin_assessments": ("cina_assessment_id", "cina_person_id"),
    "ssd_assessment_factors": ("cinf_assessment_id", "cinf_assessment_factors_json"),
    "ssd_s47_enquiry": ("s47e_person_id", "s47e_s47_start_date"),
    "ssd_initial_cp_conference": ("icpc_person_id", "icpc_icpc_date"),
    "ssd_cp_plans": ("cppl_person_id", "cppl_cp_plan_start_date"),
    "ssd_cp_reviews": ("cppr_person_id", "cppr_cp_review_date"),
    "ssd_cin_plans": ("cinp_person_id", "cinp_cin_plan_start"),
    "ssd_cin_visits": ("cinv_person_id", "cinv_cin_visit_date"),
    "ssd_cla_episodes": ("clae_person_id", "clae_cla_episode_start_date"),
    "ssd_involvements": ("invo_person_id", "invo_professional_id"),
    "ssd_professionals": ("prof_professional_id",),
}
"""The SSD tables joinedup reads, each with the fields its first line must name."""

YES = {"y", "yes", "1", "true", "t"}
NO = {"n", "no", "0", "false", "f"}

Row = dict[str, str]


class SsdTables(Protocol):
    """Where the tables of an SSD extract come from (a folder of CSV files, a database)."""

    again: str
    """How a fix ends: what the council does once the data is corrected."""

    def rows(self, table: str) -> Iterator[tuple[int, Row]]:
        """Every row of ``table``, with its number (nothing if the source has no such table)."""
        ...

    def where(self, table: str) -> str:
        """How messages name ``table``: ``ssd_contacts.csv`` for a file."""
        ...


class SsdFolder:
    """The table files of one SSD folder, read as (line number, row) with byte counting."""

    again = "send the folder again"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.files: dict[str, Path] = {}
        if self.folder.is_dir():
            for p in self.folder.iterdir():
                name = p.name.lower()
                if p.is_file() and name.endswith(".csv") and name[:-4] in REQUIRED_FIELDS:
                    self.files[name[:-4]] = p
        self.not_read = sorted(
            p.name for p in self.folder.iterdir()
            if p.is_file() and p.name.lower().startswith("ssd_")
            and p.name.lower()[:-4] not in REQUIRED_FIELDS
        ) if self.folder.is_dir() else []
        self.files_read = TableFiles()

    def where(self, table: str) -> str:
        return f"{table}.csv"

    def size(self, table: str) -> int:
        path = self.files.get(table)
        return file_size(path) if path is not None else 0

    def bytes_done(self) -> int:
        return self.files_read.bytes_done()

    def rows(self, table: str) -> Iterator[tuple[int, Row]]:
        """Every row of ``table`` (nothing if the folder has no such file)."""
        path = self.files.get(table)
        if path is None:
            return
        required = REQUIRED_FIELDS[table]
        yield from self.files_read.rows(path, lambda fields: _named(fields, path.name, required))


def _named(fields: list[str], name: str, required: tuple[str, ...]) -> list[str]:
    """The first line's field names, checked: an SSD table names its key fields."""
    if not fields:
        raise UnreadableFileError(f"{name} is empty: it has no first line of SSD field names.")
    names = [column_name(f, position, name) for position, f in enumerate(fields, start=1)]
    missing = [c for c in required if c not in names]
    if missing:
        raise UnreadableFileError(
            f"{name} is not an SSD table: its first line has no {', '.join(missing)} field "
            f"(found: {', '.join(str(f) for f in fields[:8])}). Export the table with the SSD "
            "field names as its first line."
        )
    return names


def yes_no(value: str) -> bool | None:
    """An SSD flag (Y/N, 1/0, true/false): True, False, or None when empty or unreadable."""
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def json_field(value: str) -> Any:
    """An SSD JSON field as data; the text itself if it is not JSON (kept, never lost).
    NaN and Infinity are not JSON any database can store: such a field is kept as text."""
    if not value:
        return None
    try:
        return json.loads(value, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return value


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def outcome(value: str) -> dict[str, Any]:
    """An SSD outcome JSON field (``{"NFA_FLAG": "Y", ...}``) as ``details`` keys: the
    outcomes that are set, in words (``outcome``: "nfa; strategy discussion"), and the
    field as sent (``outcome_flags``). Empty when the field is empty."""
    data = json_field(value)
    if data is None:
        return {}
    if not isinstance(data, dict):
        return {"outcome": str(data)}
    words = [k.lower().removesuffix("_flag").replace("_", " ") for k, v in data.items()
             if k.upper().endswith("_FLAG") and (v is True or yes_no(str(v)) is True)]
    comments = [str(v).strip() for k, v in data.items()
                if "COMMENT" in k.upper() and str(v or "").strip()]
    found: dict[str, Any] = {"outcome_flags": data}
    if words or comments:
        found["outcome"] = "; ".join([*words, *comments])
    return found


def day(value: str) -> str:
    """An SSD date or date-time as YYYY-MM-DD; the text as given when it is not a date
    (validation then names the problem)."""
    try:
        return parse_date(value).isoformat() if value else ""
    except ValueProblem:
        return value


def date_problem(value: str, table: str, line: int, field: str, where: str,
                 again: str) -> RowProblem | None:
    """An error naming the SSD field when ``value`` is not a date; None when it is (or empty).
    ``where`` names the SSD table as its source does (:meth:`SsdTables.where`)."""
    if not value:
        return None
    try:
        parse_date(value)
    except ValueProblem as problem:
        return error(table, line, field, f"{field} is not a date: {problem.message}",
                     f"Write {field} as YYYY-MM-DD (or DD/MM/YYYY) in {where} and {again}.",
                     value, where)
    return None


def unused(row: Row, used: set[str]) -> dict[str, str]:
    """The fields of ``row`` joinedup does not map, to keep in ``extra``; empty ones dropped."""
    return {k: v for k, v in row.items() if k not in used and v != ""}
