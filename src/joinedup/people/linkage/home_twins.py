"""Possible twins found at one home, where no agency has recorded their mother.

``births.py`` keeps two records apart as possible twins when their persons have the same
mother. Many records come without the relationship: a GP's or a hospital's record of a
child names no mother, and a police record rarely does. Twins then look to the model like
one child written twice: the same date of birth, the same family name, the same home,
with only the given name (or the NHS number) telling them apart, and the model weighs
those agreements as if they were independent (for twins they are not). So two records
are also possible twins, never joined automatically, when all of these hold
(:func:`twins_at_home`):

1. born the same day: the same date of birth, or with day and month swapped (12 January
   and 1 December), or one digit apart (a slip: 3 May and 8 May 2020), or a date kept as
   written where it could not be read ("200200503") one digit from the other's
   (:func:`born_one_day`);
2. one family name: the same, one record's family name among the other's names, or two
   spellings alike (Khan and Kban, Ahmed and Ahmad), or one slip apart (Liu and Lku);
3. one home: the same postcode, the same UPRN, or the same house number and street;
4. not the same valid NHS number (that says one child);
5. something says two children: given names that are not one name written two ways (the
   rule of :func:`given_names.given_names_differ`: Amelia and Isla, not Kate and Katherine,
   nor a slip, nor "Baby"); or different sexes (M and F) with given names not the same;
   or different valid NHS numbers where the given names are not the same. Where the
   family names are not one, different valid NHS numbers with one name in common and the
   other names different ("Chen Hao" and "Chen Jian", written family name first) say two
   children too. So do two records of one agency where one or both has no given name (a
   GP's "Kamran Khan" and its record of a "Khan" born the same day at the same house): an
   agency holding two records of children born that day at one home holds two children,
   unless a name or an NHS number says one (:func:`one_agency`).

A record holding a valid NHS number is known by every name written with that number
(unless the other record holds another number: one twin's name written against the other's
number must not make the two one child), and a full name written the other way round ("Wu
Wei", "Wei Wu") is one child (``given_names.py``): ``names`` gives the names written with
each number.

A child's two records with a form of the name the nickname list lacks ("Owen" for "Eoin"),
where no NHS number is written with both forms, will be kept apart by this rule too, and
wait in the review queue for a steward: a missed link costs a steward a minute, a wrong
merge puts one twin's history on the other.

Records are given as :func:`features.prepare_record` rows (``dob``, ``family_std``,
``surnames``, ``postcode_std``, ``uprn``, ``house_number``, ``street_std``, ``given_std``,
``given_root``, ``sex``, ``nhs`` and the given name as written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from joinedup.errors import LinkageError
from joinedup.people.linkage.births import PossibleTwins, day
from joinedup.people.linkage.bulk import collection_paused
from joinedup.people.linkage.features import iso_date, swapped_date, written_date
from joinedup.people.linkage.given_names import (
    NO_NAMES,
    Name,
    Names,
    given_names_differ,
    jaro_winkler,
    known_as,
    names_by_number,
    names_differ,
    other_way_round,
    same_given_name,
)
from joinedup.people.linkage.nicknames import name_root
from joinedup.people.linkage.spelling import slips

Row = Mapping[str, Any]
COLUMNS = ("unique_id", "agency", "given_name", "family_name", "given_std", "given_root",
           "family_std", "surnames", "dob", "dob_swapped", "dob_text", "dob_digits", "sex", "nhs",
           "postcode_std", "uprn", "house_number", "street_std")
"""The prepared columns the rule reads."""


def twins_at_home(a: Row, b: Row, names: Names = NO_NAMES) -> PossibleTwins | None:
    """Whether two records may be of twins living at one home (module docstring); ``names``
    gives the names written with each NHS number (:func:`known_as`)."""
    born = born_one_day(a, b)
    if born is None:
        return None
    if a["nhs"] and a["nhs"] == b["nhs"]:
        return None
    if not one_home(a, b):
        return None
    why = _two_children(a, b, names) if one_family(a, b) else _two_numbered_children(a, b)
    if why is None:
        return None
    low, high = sorted((int(a["unique_id"]), int(b["unique_id"])))
    return PossibleTwins(low, high, None, dt.date.fromisoformat(a["dob"] or b["dob"]),
                         why + born)


def born_one_day(a: Row, b: Row) -> str | None:
    """Whether two records give one day of birth (module docstring, 1), and how: "" for
    the same date, else what differs ("; one date of birth with day and month swapped");
    None where they do not, or where neither date could be read."""
    how = _one_day(a["dob"], b["dob"], a["dob_digits"], b["dob_digits"])
    if how is None:
        return None
    if how == "digit":
        return (f"; dates of birth one digit apart ({day(dt.date.fromisoformat(a['dob']))}"
                f" and {day(dt.date.fromisoformat(b['dob']))})")
    if how == "written":
        return (f"; one date of birth as written ({a['dob_text'] or b['dob_text']}) one "
                "digit from the other's")
    return "" if how == "same" else "; one date of birth with day and month swapped"


def _one_day(first: str | None, second: str | None, digits_a: str | None,
             digits_b: str | None) -> str | None:
    """How two dates of birth (ISO where read; their digits, or those as written) are one
    day: "same", "swapped", "digit" (both read) or "written"; None where they are not."""
    if first and second:
        if first == second:
            return "same"
        if swapped_date(first) == second:
            return "swapped"
        return "digit" if near_day(digits_a, digits_b, both_read=True) else None
    if (first or second) and near_day(digits_a, digits_b, both_read=False):
        return "written"
    return None


def near_day(first: str | None, second: str | None, *, both_read: bool) -> bool:
    """Two dates' digits (year, month, day) one digit apart: changed in place where both
    dates were read, or also dropped, added or swapped where one is as written."""
    if not first or not second:
        return False
    if both_read:
        return len(first) == len(second) and sum(x != y for x, y in zip(
            first, second, strict=True)) == 1
    return slips(first, second) <= 1


LIKE_FAMILY = 0.8
"""Family names at least this alike (Jaro-Winkler) are one family's written two ways: a
slip (Khan, Kban), a transliteration (Ahmed, Ahmad), a Polish surname's feminine form
(Wiśniewski, Wiśniewska). The model's "family names somewhat similar" starts here too."""


def one_family(a: Row, b: Row) -> bool:
    """Family names alike: the same, one record's among the other's names, written alike
    (:data:`LIKE_FAMILY`), or one slip apart (Liu and Lku: a short name's slip leaves
    little alike)."""
    first, second = a["family_std"], b["family_std"]
    if not first or not second:
        return False
    return (first == second or bool(set(a["surnames"] or ()) & set(b["surnames"] or ()))
            or jaro_winkler(first, second) >= LIKE_FAMILY or slips(first, second) <= 1)


def one_home(a: Row, b: Row) -> bool:
    """The same postcode, the same UPRN, or the same house number and street."""
    return any(a[key] and a[key] == b[key] for key in ("postcode_std", "uprn")) or bool(
        a["house_number"] and a["street_std"] and a["house_number"] == b["house_number"]
        and a["street_std"] == b["street_std"])


def names_of(table: pa.Table) -> dict[str, list[Name]]:
    """The names written with each valid NHS number (``given_names.names_by_number``), from
    a prepared table (``features.prepare``)."""
    numbered, given, root, family = (table.column(key).to_pylist() for key in (
        "nhs", "given_std", "given_root", "family_std"))
    return names_by_number(zip(numbered, zip(given, root, family, strict=True), strict=True))


def _name(row: Row) -> Name:
    return row["given_std"], row["given_root"], row["family_std"]


def _two_children(a: Row, b: Row, names: Names) -> str | None:
    if a["nhs"] and b["nhs"]:  # different numbers (twins_at_home): each its own names
        names = NO_NAMES
    first, second = known_as(_name(a), a["nhs"], names), known_as(_name(b), b["nhs"], names)
    if other_way_round(first, second):
        return None
    if names_differ(first, second):
        return f"different given names ({_given(a)} and {_given(b)})"
    if same_given_name(first, second):
        return None
    if a["sex"] in ("M", "F") and b["sex"] in ("M", "F") and a["sex"] != b["sex"]:
        return f"different sexes ({_given(a)}, {a['sex']}; {_given(b)}, {b['sex']})"
    if a["nhs"] and b["nhs"] and a["nhs"] != b["nhs"]:
        return "different NHS numbers"
    return one_agency(a, b)


ONE_AGENCY = "two records at one agency"
"""How the warning of :func:`one_agency` begins."""


def may_be_one(twins: PossibleTwins) -> bool:
    """Possible twins only by :func:`one_agency`: two records an agency may have written of
    one child. They are never joined, but they do not say which of two children a third
    record is (``ambiguity.torn_records``)."""
    return twins.why.startswith(ONE_AGENCY)


def one_agency(a: Row, b: Row) -> str | None:
    """Two records of one agency, one or both without a given name: what the warning says,
    or None. Only once no name or NHS number has said one child (:func:`_two_children`).
    The cost: a child an agency recorded twice, once before naming, waits for a steward
    (docs/benchmarks.md, "Twins at one agency", gives the count)."""
    if not a.get("agency") or a.get("agency") != b.get("agency"):
        return None
    if a["given_std"] and b["given_std"]:
        return None
    return f"{ONE_AGENCY} ({a['agency']}: {_given(a)} and {_given(b)})"


def _two_numbered_children(a: Row, b: Row) -> str | None:
    """Records whose family names are not one, with different valid NHS numbers, one name
    in common and the other names different: "Chen Hao" and "Chen Jian", each written
    family name first, or "Hao Chen" and "Chen Jian"."""
    if not (a["nhs"] and b["nhs"] and a["nhs"] != b["nhs"]):
        return None
    names_a, names_b = (a["given_std"], a["family_std"]), (b["given_std"], b["family_std"])
    for i, name in enumerate(names_a):
        if name and name in names_b:
            other_a, other_b = names_a[1 - i], names_b[1 - names_b.index(name)]
            if given_names_differ(other_a, name_root(other_a), other_b, name_root(other_b)):
                return f"different NHS numbers and names ({_full(a)} and {_full(b)})"
    return None


def _full(row: Row) -> str:
    return " ".join(str(row.get(key) or "").strip() for key in ("given_name", "family_name")
                    ).strip()


def _given(row: Row) -> str:
    return str(row.get("given_name") or "").strip() or "no given name"


def might_be_twins(a: Row, b: Row) -> bool:
    """A cheap first look on the values as recorded (date of birth and the date as written,
    given name, sex, NHS number, agency): whether :func:`twins_at_home` could hold, so that only
    those pairs need their records read in full. Never false where it could hold."""
    if not _near_days(a, b):
        return False
    return (_plain(a["given_name"]) != _plain(b["given_name"]) or a["sex"] != b["sex"]
            or a["nhs_number"] != b["nhs_number"]
            or (a.get("agency") is not None and a.get("agency") == b.get("agency")))


def _near_days(a: Row, b: Row) -> bool:
    """Two dates of birth as recorded that may be one day (:func:`born_one_day`)."""
    first, second = iso_date(a["date_of_birth"]), iso_date(b["date_of_birth"])
    if not (first or second):
        return False
    return _one_day(first, second, _digits(a, first), _digits(b, second)) is not None


def _digits(row: Row, iso: str | None) -> str | None:
    if iso:
        return iso.replace("-", "")
    return written_date(str(row.get("date_of_birth_text") or row["date_of_birth"] or ""))


def _plain(name: Any) -> str:
    return "".join(str(name or "").split()).upper()


def home_twins(rows: Mapping[int, Row], pairs: Iterable[tuple[int, int]],
               names: Names = NO_NAMES) -> list[PossibleTwins]:
    """The pairs (of records in ``rows``) that may be twins at one home, by record ids;
    ``names`` as for :func:`twins_at_home`."""
    found = {}
    for a, b in pairs:
        twins = twins_at_home(rows[a], rows[b], names)
        if twins is not None:
            found[(twins.a, twins.b)] = twins
    return [found[pair] for pair in sorted(found)]


def among(table: pa.Table, pairs: Iterable[tuple[int, int]]) -> list[PossibleTwins]:
    """:func:`home_twins` over the records of a prepared table (``features.prepare``):
    the pairs are first narrowed, column by column, to those that pass the rule's first
    tests (born the same day, given names not the same, not one valid NHS number, one
    home), and only their records are read as rows, with the given names written on every
    record holding their NHS numbers."""
    with collection_paused():
        maybe = _first_tests(table, list(pairs))
        wanted = sorted({record for pair in maybe for record in pair})
        at = pc.index_in(pa.array(wanted, pa.int64()), value_set=table.column("unique_id"))
        rows = {row["unique_id"]: row for row in table.select(COLUMNS).take(at).to_pylist()}
        numbers = sorted({row["nhs"] for row in rows.values() if row["nhs"]})
        held = table.filter(pc.is_in(table.column("nhs"), pa.array(numbers, pa.string())))
        return home_twins(rows, maybe, names_of(held))


def _first_tests(table: pa.Table, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pairs, in their order, whose records give one day of birth (:func:`born_one_day`),
    not both the same given and family name (a missing name counts as not the same), not
    the same valid NHS number, and one home (:func:`one_home`)."""
    ids = table.column("unique_id")
    where = [pc.index_in(pa.array(side, pa.int64()), value_set=ids)
             for side in ([a for a, _ in pairs], [b for _, b in pairs])]
    if any(found.null_count for found in where):
        raise LinkageError("Pairs name records that are not among the prepared records.")

    def same(column: str, other: str | None = None) -> pa.ChunkedArray:
        """Both records hold the column (the second record ``other``, where given), not
        empty, and the same value."""
        first, second = (table.column(name).take(found)
                         for name, found in zip((column, other or column), where, strict=True))
        return pc.fill_null(pc.and_(pc.equal(first, second),
                                    pc.greater(pc.utf8_length(first), 0)), False)

    home = pc.or_(pc.or_(same("postcode_std"), same("uprn")),
                  pc.and_(same("house_number"), same("street_std")))
    one_day = _near_days_among(table, where, pc.or_(same("dob"), same("dob", "dob_swapped")))
    one_name = pc.and_(same("given_std"), same("family_std"))
    keep = pc.and_(pc.and_(one_day, pc.invert(one_name)),
                   pc.and_(pc.invert(same("nhs")), home))
    return [pair for pair, kept in zip(pairs, keep.to_pylist(), strict=True) if kept]


def _near_days_among(table: pa.Table, where: list[pa.Array], same_day: pa.Array) -> pa.Array:
    """``same_day`` (pairs of one date of birth, or with day and month swapped), and also
    the pairs whose dates are one digit apart (:func:`born_one_day`). Only the pairs with
    two different dates are compared one by one: few linked pairs have them."""
    digits, read = ([table.column(column).take(found) for found in where]
                    for column in ("dob_digits", "dob"))
    both = pc.and_(pc.is_valid(digits[0]), pc.is_valid(digits[1]))
    others = pc.indices_nonzero(pc.and_(both, pc.invert(same_day))).to_pylist()
    if not others:
        return same_day
    found = pa.array(others, pa.int64())
    firsts, seconds = (side.take(found).to_pylist() for side in digits)
    both_read = pc.and_(pc.is_valid(read[0]), pc.is_valid(read[1])).take(found).to_pylist()
    near = same_day.to_pylist()
    for at, first, second, whole in zip(others, firsts, seconds, both_read, strict=True):
        near[at] = near_day(first, second, both_read=whole)
    return pa.array(near, pa.bool_())
