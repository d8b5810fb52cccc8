"""Person records made comparable: the normalised columns the linkage model compares.

:func:`prepare` takes agency person records (dicts, or a pyarrow table with the same
columns) and returns a pyarrow table with the input columns plus:

    given_std      given name, upper case, accents stripped, letters only ("MARYJANE");
                   null when empty or a placeholder ("Baby", "Unborn", "Unknown")
    given_root     its canonical root from nicknames.py ("KATE" -> "KATHERINE")
    family_std     family name normalised the same way ("OBRIEN", "SMITHJONES")
    surnames       every surname the record knows: the family name, the parts of a
                   double-barrelled one, and the surnames in other_names (a maiden name,
                   or the last word of an alias such as "Jade Smith")
    dob            date of birth as an ISO string, null when missing or not a real date
    dob_swapped    the same date with day and month swapped, where that is also a date
    dob_year       year of birth
    dob_text       a date of birth as written that is not a date ("199907150", "31/02/2001"),
                   its digits in year-month-day order ("199907150", "20010231"); null when
                   the date was read. dob_digits: the date's digits ("20010213"), or those
                   of the date as written: what the "as written" levels compare
    nhs_text       the digits of an NHS number as written that is not a valid one (wrong
                   length, failing Modulus 11); nhs_digits: the valid number, or those
                   digits
    postcode_std   "SK1 3XE" form; outward: its outward code ("SK1")
    nhs            10-digit NHS number, null when missing or failing the Modulus 11 check
    sex            "M" or "F"; null for "U", "X" or missing (as recorded: sex_recorded)
    uprn           the Unique Property Reference Number (up to 12 digits), leading zeros gone
    house_number   from the address line (addresses.py): the number on the door ("14"),
                   or a house's name where it has no number; flat: "2", "A" ("12a");
                   street_std: "SAINT MARYS ROAD" for "St Mary's Rd"

Every empty string becomes null, so a missing value is never evidence of a match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from joinedup.errors import LinkageError
from joinedup.nhs_check_digit import checks
from joinedup.people.linkage.addresses import parse_address, uprn
from joinedup.people.linkage.bulk import (
    collection_paused,
    column_of,
    columns_of,
    each_distinct,
)
from joinedup.people.linkage.nicknames import name_root, normalise
from joinedup.people.linkage.written_values import dob_columns, nhs_columns
from joinedup.people.names import is_unidentified

PLACEHOLDER_GIVEN_NAMES = frozenset({
    "BABY", "INFANT", "UNBORN", "UNKNOWN", "UNNAMED", "NK", "NOTKNOWN", "NOT", "KNOWN",
    "BOY", "GIRL", "MALE", "FEMALE", "TWIN", "OF", "A", "B",
})
"""Words that are not a name: a newborn recorded as "Baby" (or "Baby Girl", "Twin A")."""

INPUT_COLUMNS = ("unique_id", "agency", "given_name", "family_name", "other_names",
                 "date_of_birth", "sex", "nhs_number", "postcode", "address", "uprn")

SCHEMA = pa.schema([
    ("unique_id", pa.int64()),
    ("agency", pa.string()),
    ("given_name", pa.string()),
    ("family_name", pa.string()),
    ("other_names", pa.list_(pa.string())),
    ("date_of_birth", pa.string()),
    ("sex_recorded", pa.string()),
    ("nhs_number", pa.string()),
    ("postcode", pa.string()),
    ("given_std", pa.string()),
    ("given_root", pa.string()),
    ("family_std", pa.string()),
    ("surnames", pa.list_(pa.string())),
    ("dob", pa.string()),
    ("dob_swapped", pa.string()),
    ("dob_year", pa.int32()),
    ("date_of_birth_text", pa.string()),
    ("nhs_number_text", pa.string()),
    ("dob_text", pa.string()),
    ("dob_digits", pa.string()),
    ("nhs_text", pa.string()),
    ("nhs_digits", pa.string()),
    ("postcode_std", pa.string()),
    ("outward", pa.string()),
    ("nhs", pa.string()),
    ("sex", pa.string()),
    ("address", pa.string()),
    ("uprn", pa.string()),
    ("house_number", pa.string()),
    ("flat", pa.string()),
    ("street_std", pa.string()),
])
"""The columns of a prepared table. The recorded sex is kept as ``sex_recorded``."""


def given_std(given_name: str | None) -> str | None:
    """The given name for comparison, or None when it is empty or only a placeholder."""
    words = normalise(given_name).split()
    if not words or words[0] in ("BABY", "UNBORN", "INFANT") or all(
            word in PLACEHOLDER_GIVEN_NAMES for word in words):
        return None
    return "".join(words)


def given_root(given_name: str | None) -> str | None:
    """The canonical root of the given name (None where :func:`given_std` is None)."""
    if given_std(given_name) is None:
        return None
    return name_root(given_name) or None


PLACEHOLDER_FAMILY_NAMES = frozenset({"UNKNOWN", "NOTKNOWN", "NK", "UNNAMED", "NONE"})
"""Not a family name: what a return with no names writes (the CIN census's "Unknown")."""


def family_std(family_name: str | None) -> str | None:
    """The family name for comparison; None when empty or a placeholder ("Unknown")."""
    std = "".join(normalise(family_name).split())
    return std if std and std not in PLACEHOLDER_FAMILY_NAMES else None


def surnames(family_name: str | None, other_names: Iterable[str] | None) -> list[str] | None:
    """Every surname the record knows, normalised, without repeats; None if it knows none.

    ``other_names`` holds maiden names and aliases: a one-word entry is a surname, and
    the last word of a longer entry ("Jade Smith") is its surname. A double-barrelled
    name counts whole and in its parts ("Smith-Jones": SMITHJONES, SMITH, JONES).
    """
    found: dict[str, None] = {}

    def add(name: str) -> None:
        words = normalise(name).split()
        if not words or "".join(words) in PLACEHOLDER_FAMILY_NAMES:
            return
        found.setdefault("".join(words), None)
        if len(words) > 1:
            for word in words:
                if len(word) > 1:
                    found.setdefault(word, None)

    add(family_name or "")
    for other in other_names or ():
        parts = (other or "").split()
        if len(parts) > 1:
            add(parts[-1])
        elif parts:
            add(parts[0])
    return list(found) or None


def iso_date(value: Any) -> str | None:
    """An ISO date string from a date or ISO text; None when missing or not a real date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


WRITTEN_COLUMNS = ("date_of_birth_text", "nhs_number_text")
"""Optional inputs: a date of birth or NHS number as written, kept when it could not be read
(ingest keeps it; ``date_of_birth`` / ``nhs_number`` are then empty)."""


def written_date(text: str | None) -> str | None:
    """The digits of a date as written, in year-month-day order where the writing shows
    the order ("31/02/2001" -> "20010231", "2001-2-31" -> "20010231"); as they come
    otherwise ("199907150"). None when it holds no digits."""
    parts = re.findall(r"\d+", text or "")
    if len(parts) == 3 and len(parts[2]) == 4 and len(parts[0]) <= 2:
        parts = [parts[2], parts[1], parts[0]]
    if len(parts) == 3 and len(parts[0]) == 4:
        parts = [parts[0], parts[1].zfill(2), parts[2].zfill(2)]
    return "".join(parts)[:20] or None


def _written_dob(key: tuple[Any, Any]) -> tuple[str | None, str | None]:
    """(dob_text, dob_digits) from (date_of_birth, its written text): an unreadable
    date_of_birth given directly counts as written too."""
    dob_value, dob_written = key
    dob = iso_date(dob_value)
    dob_text = None if dob else written_date(_text(dob_written) or _text(dob_value))
    return dob_text, dob.replace("-", "") if dob else dob_text


def _written_nhs(key: tuple[Any, Any]) -> tuple[str | None, str | None, str | None]:
    """(nhs, nhs_text, nhs_digits) from (nhs_number, its written text): an invalid
    nhs_number given directly counts as written too."""
    nhs_value, nhs_written = key
    nhs = nhs_number(_text(nhs_value))
    if nhs:
        return nhs, None, nhs
    digits = "".join(ch for ch in (_text(nhs_written) or _text(nhs_value) or "")
                     if ch.isdigit())[:20]
    # a number as written has most of its digits, not one repeated ("0000000000")
    nhs_text = None if len(digits) < 8 or len(set(digits)) == 1 else digits
    return None, nhs_text, nhs_text


def identifiable(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The records linkage may pair: not those with no name, date of birth or NHS number,
    even as written (an unidentified record joins a person only through its relationships:
    docs/linkage.md). Blocking would find no pair for one anyway; this says so."""
    return [r for r in records if not is_unidentified(
        r.get("given_name"), r.get("family_name"), _other_names(r.get("other_names")),
        r.get("date_of_birth"), r.get("nhs_number"),
        (r.get(column) for column in WRITTEN_COLUMNS))]


def swapped_date(iso: str | None) -> str | None:
    """The date with day and month swapped, if that is another real date."""
    if iso is None:
        return None
    year, month, day = iso[:4], iso[5:7], iso[8:10]
    if month == day:
        return None
    return iso_date(f"{year}-{day}-{month}")


def postcode_std(postcode: str | None) -> str | None:
    """A UK postcode as "OUTWARD INWARD" ("sk13xe" -> "SK1 3XE"); None if not postcode-like."""
    compact = "".join(ch for ch in (postcode or "").upper() if ch.isalnum())
    if not 5 <= len(compact) <= 7 or not compact[0].isalpha() or not compact[-3].isdigit():
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def nhs_number(value: str | None) -> str | None:
    """The NHS number if it has ten digits and a valid Modulus 11 check digit, else None."""
    digits = value if value and len(value) == 10 and value.isdigit() else "".join(
        ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 10 or len(set(digits)) == 1:
        return None
    return digits if checks(digits) else None


def sex(value: str | None) -> str | None:
    code = (value or "").strip().upper()[:1]
    return code if code in ("M", "F") else None


def _other_names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part).strip() for part in value if part and str(part).strip()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _given(given: str | None) -> tuple[str | None, str | None]:
    return given_std(given), given_root(given)


def _dob(value: Any) -> tuple[str | None, str | None, int | None]:
    dob = iso_date(value)
    return dob, swapped_date(dob), int(dob[:4]) if dob else None


def _postcode(postcode: str | None) -> tuple[str | None, str | None]:
    std = postcode_std(postcode)
    return std, std.split(" ")[0] if std else None


def _surnames(key: tuple[str | None, tuple[str, ...]]) -> list[str] | None:
    return surnames(key[0], key[1])


def _home(address: str | None) -> tuple[str | None, str | None, str | None]:
    home = parse_address(address)
    return home.house_number, home.flat, home.street_std


_RAW = ("agency", "given_name", "family_name", "other_names", "date_of_birth", "sex",
        "nhs_number", "postcode", "address", "uprn", *WRITTEN_COLUMNS)


def _kind(name: str) -> pa.DataType:
    return SCHEMA.field(name).type


_TEXT = pa.string()


def _columns(rows: list[Mapping[str, Any]]) -> dict[str, pa.Array]:
    """The prepared columns (:data:`SCHEMA`) of the records, column by column: each
    distinct name, date, postcode and address normalised once (``bulk.columns_of``)."""
    raw = {name: [row.get(name) for row in rows] for name in _RAW}
    text = {name: column_of(_text, raw[name], _TEXT) for name in _RAW
            if name not in ("other_names", "date_of_birth", "uprn")}
    others = [_other_names(value) if value else [] for value in raw["other_names"]]
    family = text["family_name"].to_pylist()
    columns = {
        "unique_id": pa.array([int(row["unique_id"]) for row in rows], pa.int64()),
        "agency": text["agency"], "given_name": text["given_name"],
        "family_name": text["family_name"], "other_names": pa.array(others, _kind("other_names")),
        "sex_recorded": text["sex"], "nhs_number": text["nhs_number"],
        "postcode": text["postcode"],
        "family_std": column_of(family_std, text["family_name"], _TEXT),
        "surnames": pa.array(each_distinct(_surnames, list(zip(
            family, map(tuple, others), strict=True))), _kind("surnames")),
        "date_of_birth_text": text["date_of_birth_text"],
        "nhs_number_text": text["nhs_number_text"],
        "sex": column_of(sex, text["sex"], _TEXT), "address": text["address"],
        "uprn": column_of(uprn, raw["uprn"], _TEXT),
    }
    columns["dob"], columns["dob_swapped"], columns["dob_year"] = columns_of(
        _dob, raw["date_of_birth"], [_TEXT, _TEXT, pa.int32()])
    columns["date_of_birth"] = columns["dob"]
    columns["dob_text"], columns["dob_digits"] = dob_columns(
        columns["dob"], raw["date_of_birth"], raw["date_of_birth_text"], _written_dob)
    columns["nhs"], columns["nhs_text"], columns["nhs_digits"] = nhs_columns(
        text["nhs_number"], raw["nhs_number_text"], _written_nhs)
    columns["given_std"], columns["given_root"] = columns_of(
        _given, text["given_name"], [_TEXT, _TEXT])
    columns["postcode_std"], columns["outward"] = columns_of(
        _postcode, text["postcode"], [_TEXT, _TEXT])
    columns["house_number"], columns["flat"], columns["street_std"] = columns_of(
        _home, text["address"], [_TEXT] * 3)
    return columns


def prepare_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """One record with the comparison columns added (see the module docstring)."""
    columns = _columns([record])
    return {name: columns[name][0].as_py() for name in SCHEMA.names}


def prepare(records: Iterable[Mapping[str, Any]] | pa.Table) -> pa.Table:
    """Agency person records -> a pyarrow table of comparable columns (module docstring).

    Accepts dicts with the input columns (``other_names`` a list, or a ";"-separated
    string) or a pyarrow table with those columns. ``unique_id`` must be an integer and
    unique; a repeated id is a :class:`joinedup.errors.LinkageError`.
    """
    rows = records.to_pylist() if isinstance(records, pa.Table) else list(records)
    with collection_paused():
        columns = _columns(rows)
    ids = columns["unique_id"].to_pylist()
    if len(set(ids)) != len(ids):
        repeated = sorted(uid for uid, n in Counter(ids).items() if n > 1)
        shown = ", ".join(str(i) for i in repeated[:10])
        raise LinkageError(f"Each record needs its own unique_id; repeated: {shown}.")
    return pa.table({name: columns[name] for name in SCHEMA.names}, schema=SCHEMA)


def split(table: pa.Table, ids: Iterable[int]) -> tuple[pa.Table, pa.Table]:
    """The rows of ``table`` whose unique_id is one of ``ids``, and the other rows."""
    chosen = pc.is_in(table.column("unique_id"), pa.array(sorted(set(ids)), pa.int64()))
    return table.filter(chosen), table.filter(pc.invert(chosen))
