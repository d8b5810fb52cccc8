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
    postcode_std   "SK1 3XE" form; outward: its outward code ("SK1")
    nhs            10-digit NHS number, null when missing or failing the Modulus 11 check
    sex            "M" or "F"; null for "U", "X" or missing (as recorded: sex_recorded)

Every empty string becomes null, so a missing value is never evidence of a match.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from operator import mul
from typing import Any

import pyarrow as pa

from joinedup.errors import LinkageError
from joinedup.people.linkage.nicknames import name_root, normalise

PLACEHOLDER_GIVEN_NAMES = frozenset({
    "BABY", "INFANT", "UNBORN", "UNKNOWN", "UNNAMED", "NK", "NOTKNOWN", "NOT", "KNOWN",
    "BOY", "GIRL", "MALE", "FEMALE", "TWIN", "OF", "A", "B",
})
"""Words that are not a name: a newborn recorded as "Baby" (or "Baby Girl", "Twin A")."""

INPUT_COLUMNS = ("unique_id", "agency", "given_name", "family_name", "other_names",
                 "date_of_birth", "sex", "nhs_number", "postcode")

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
    ("postcode_std", pa.string()),
    ("outward", pa.string()),
    ("nhs", pa.string()),
    ("sex", pa.string()),
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


def family_std(family_name: str | None) -> str | None:
    return "".join(normalise(family_name).split()) or None


def surnames(family_name: str | None, other_names: Iterable[str] | None) -> list[str] | None:
    """Every surname the record knows, normalised, without repeats; None if it knows none.

    ``other_names`` holds maiden names and aliases: a one-word entry is a surname, and
    the last word of a longer entry ("Jade Smith") is its surname. A double-barrelled
    name counts whole and in its parts ("Smith-Jones": SMITHJONES, SMITH, JONES).
    """
    found: dict[str, None] = {}

    def add(name: str) -> None:
        words = normalise(name).split()
        if not words:
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


_NHS_WEIGHTS = range(10, 1, -1)


def nhs_number(value: str | None) -> str | None:
    """The NHS number if it has ten digits and a valid Modulus 11 check digit, else None."""
    digits = value if value and len(value) == 10 and value.isdigit() else "".join(
        ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 10 or len(set(digits)) == 1:
        return None
    total = sum(map(mul, map(int, digits[:9]), _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return None
    return digits


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


def _memo(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function`` remembered per distinct argument, for one :func:`prepare` call: names,
    dates and postcodes repeat from record to record (a million records hold some
    thousands of distinct names), so each is normalised once."""
    seen: dict[Any, Any] = {}

    def call(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = function(value)
            return result

    return call


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


class _Preparer:
    """Prepares records one at a time, remembering each distinct value's result."""

    def __init__(self) -> None:
        self.given, self.family = _memo(_given), _memo(family_std)
        self.surnames, self.dob = _memo(_surnames), _memo(_dob)
        self.postcode, self.nhs = _memo(_postcode), _memo(nhs_number)

    def __call__(self, record: Mapping[str, Any]) -> dict[str, Any]:
        given, family = _text(record.get("given_name")), _text(record.get("family_name"))
        others = _other_names(record.get("other_names"))
        dob, dob_swapped, dob_year = self.dob(record.get("date_of_birth"))
        postcode = _text(record.get("postcode"))
        std, outward = self.postcode(postcode)
        nhs = _text(record.get("nhs_number"))
        given_standard, root = self.given(given)
        return {
            "unique_id": int(record["unique_id"]),
            "agency": _text(record.get("agency")),
            "given_name": given,
            "family_name": family,
            "other_names": others,
            "date_of_birth": dob,
            "sex_recorded": _text(record.get("sex")),
            "nhs_number": nhs,
            "postcode": postcode,
            "given_std": given_standard,
            "given_root": root,
            "family_std": self.family(family),
            "surnames": self.surnames((family, tuple(others))),
            "dob": dob,
            "dob_swapped": dob_swapped,
            "dob_year": dob_year,
            "postcode_std": std,
            "outward": outward,
            "nhs": self.nhs(nhs),
            "sex": sex(_text(record.get("sex"))),
        }


def prepare_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """One record with the comparison columns added (see the module docstring)."""
    return _Preparer()(record)


def prepare(records: Iterable[Mapping[str, Any]] | pa.Table) -> pa.Table:
    """Agency person records -> a pyarrow table of comparable columns (module docstring).

    Accepts dicts with the input columns (``other_names`` a list, or a ";"-separated
    string) or a pyarrow table with those columns. ``unique_id`` must be an integer and
    unique; a repeated id is a :class:`joinedup.errors.LinkageError`.
    """

    rows = records.to_pylist() if isinstance(records, pa.Table) else records
    one = _Preparer()
    # Built column by column: arrow converts a list per column far faster than a dict
    # per row, and a million rows of dicts would double the memory for a moment.
    columns: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    appenders = [(name, columns[name].append) for name in SCHEMA.names]
    for row in rows:
        prepared = one(row)
        for name, append in appenders:
            append(prepared[name])
    counts = Counter(columns["unique_id"])
    if len(counts) != len(columns["unique_id"]):
        repeated = sorted(uid for uid, n in counts.items() if n > 1)
        shown = ", ".join(str(i) for i in repeated[:10])
        raise LinkageError(f"Each record needs its own unique_id; repeated: {shown}.")
    return pa.table({name: pa.array(columns[name], SCHEMA.field(name).type)
                     for name in SCHEMA.names}, schema=SCHEMA)
