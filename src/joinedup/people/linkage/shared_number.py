"""A blank given name or date of birth read from the other records that carry the same NHS
number: the consistent identifier says they are one child, so what most of them agree on
is what the blank record would have said.

A record from the hospital may hold only the NHS number and the family name ("Baby Okafor"
before naming); the GP's and the school's records of that number name her and give her
date of birth. :func:`fill` copies those values onto the prepared record, so that it is
compared with the records that do not carry the number (police, housing) by its name and
date too. A value is taken only where it is the most common among the number's other
records and no other value is as common: a number whose records disagree fills nothing.
A date of birth written but not read (``dob_text``) is kept as written, not replaced.

The table gains a ``filled`` column: the fields filled (``"given name"``, ``"date of
birth"``), or null. The pair page says which values were filled (``model.explain``), and
linking fills in every run: full, incremental (the records already held supply values)
and on Spark. Measured in docs/benchmarks.md (seventh round).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy
import pyarrow as pa
import pyarrow.compute as pc

from joinedup.people.linkage.features import swapped_date

GIVEN_NAME = "given name"
DATE_OF_BIRTH = "date of birth"
FILLED = pa.field("filled", pa.list_(pa.string()))

_GIVEN = ("given_std", "given_root")
_DOB = ("dob",)


def _blanks(table: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Per row: a valid NHS number and no given name; a valid number and no date of birth
    (not even one written but not read)."""
    numbered = pc.is_valid(table.column("nhs"))
    no_date = pc.and_(pc.is_null(table.column("dob")), pc.is_null(table.column("dob_text")))
    return (pc.and_(numbered, pc.is_null(table.column("given_std"))).combine_chunks(),
            pc.and_(numbered, no_date).combine_chunks())


def _agreed(tables: Iterable[pa.Table], columns: tuple[str, ...], numbers: pa.Array
            ) -> dict[str, tuple[Any, ...]]:
    """For each of ``numbers``, the values of ``columns`` most of its records hold (the
    first column not null), where no other value is held as often."""
    counts: dict[str, Counter[tuple[Any, ...]]] = defaultdict(Counter)
    for table in tables:
        known = table.filter(pc.and_(pc.is_in(table.column("nhs"), numbers),
                                     pc.is_valid(table.column(columns[0]))))
        values = zip(*(known.column(c).to_pylist() for c in ("nhs", *columns)), strict=True)
        for number, *value in values:
            counts[number][tuple(value)] += 1
    agreed = {}
    for number, seen in counts.items():
        top = seen.most_common(2)
        if len(top) == 1 or top[0][1] > top[1][1]:
            agreed[number] = top[0][0]
    return agreed


def fill(table: pa.Table, others: pa.Table | None = None) -> pa.Table:
    """``table`` (prepared by ``features.prepare``) with blank given names and dates of
    birth filled from the records that share each NHS number: those of ``table`` and of
    ``others`` (records held already, which are not changed). Adds ``filled``."""
    sources = [table] if others is None else [table, others]
    no_name, no_date = _blanks(table)
    nhs = table.column("nhs")
    names = _agreed(sources, _GIVEN, _numbers(nhs, no_name))
    dates = _agreed(sources, _DOB, _numbers(nhs, no_date))
    name_rows = [(i, names[n]) for i, n in _rows(nhs, no_name) if n in names]
    date_rows: list[tuple[int, str]] = [(i, dates[n][0]) for i, n in _rows(nhs, no_date)
                                        if n in dates]
    filled: list[list[str] | None] = [None] * table.num_rows
    for i, _ in name_rows:
        filled[i] = [GIVEN_NAME]
    for i, _ in date_rows:
        filled[i] = [*(filled[i] or []), DATE_OF_BIRTH]
    new_dates = dict(date_rows)
    table = _with_values(table, {
        "given_std": {i: v[0] for i, v in name_rows},
        "given_root": {i: v[1] for i, v in name_rows},
        "dob": new_dates, "date_of_birth": new_dates,
        "dob_swapped": {i: swapped_date(d) for i, d in new_dates.items()},
        "dob_year": {i: int(d[:4]) for i, d in new_dates.items()},
        "dob_digits": {i: d.replace("-", "") for i, d in new_dates.items()},
    })
    if "filled" in table.column_names:
        table = table.drop_columns(["filled"])
    return table.append_column(FILLED, pa.array(filled, FILLED.type))


def _numbers(nhs: pa.ChunkedArray, where: pa.Array) -> pa.Array:
    """The distinct NHS numbers of the rows ``where`` is true."""
    return pa.array(sorted(set(nhs.filter(where).to_pylist())), pa.string())


def _rows(numbers: pa.ChunkedArray, where: pa.Array) -> list[tuple[int, str]]:
    """(row number, NHS number) of the rows ``where`` is true."""
    chosen = pc.indices_nonzero(where).to_pylist()
    return list(zip(chosen, numbers.take(pa.array(chosen, pa.int64())).to_pylist(), strict=True))


def _with_values(table: pa.Table, changes: dict[str, dict[int, Any]]) -> pa.Table:
    """``table`` with the values at these row numbers replaced, column by column."""
    for name, values in changes.items():
        if not values:
            continue
        index = table.schema.get_field_index(name)
        kind = table.schema.field(index).type
        mask = numpy.zeros(table.num_rows, dtype=bool)
        mask[sorted(values)] = True
        replaced = pc.replace_with_mask(table.column(name).combine_chunks(), pa.array(mask),
                                        pa.array([values[i] for i in sorted(values)], kind))
        table = table.set_column(index, table.schema.field(index), replaced)
    return table


def sharing_numbers(table: pa.Table, ids: Iterable[int]) -> set[int]:
    """The records of ``table`` (filled or not) that share an NHS number with a record of
    ``ids`` and have a blank it could fill, and the ids themselves: their filled values may
    change when those records change, so they are scored again."""
    wanted = set(ids)
    chosen = pc.is_in(table.column("unique_id"), pa.array(sorted(wanted), pa.int64()))
    numbers = pc.unique(table.column("nhs").filter(chosen)).drop_null()
    no_name, no_date = _blanks(table)
    blank = pc.or_(no_name, no_date)
    if "filled" in table.column_names:  # filled already: blank as recorded
        blank = pc.or_(blank, pc.is_valid(table.column("filled")))
    sharing = pc.and_(pc.is_in(table.column("nhs"), numbers), blank)
    return wanted | set(table.column("unique_id").filter(sharing).to_pylist())
