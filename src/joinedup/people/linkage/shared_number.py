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


def _no_date(table: pa.Table) -> pa.Array:
    """Per row: a valid NHS number and no date of birth (not even one written, not read)."""
    return pc.and_(pc.and_(pc.is_valid(table.column("nhs")), pc.is_null(table.column("dob"))),
                   pc.is_null(table.column("dob_text"))).combine_chunks()


def _blanks(table: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Per row: a valid NHS number and no given name; the same with no date of birth."""
    no_name = pc.and_(pc.is_valid(table.column("nhs")), pc.is_null(table.column("given_std")))
    return no_name.combine_chunks(), _no_date(table)


def filled_dates(table: pa.Table) -> dict[int, str]:
    """The dates of birth :func:`fill` would give the records of ``table`` (its columns
    ``unique_id``, ``nhs``, ``dob``, ``dob_text`` only are read), by unique_id: for the
    twins rules' first look, which reads every record's date and no more."""
    blank = _no_date(table)
    dates, took = _taken(table, blank, _agreed([table], _DOB, blank))
    return dict(zip(table.column("unique_id").filter(took).to_pylist(),
                    dates.column("dob").filter(took).to_pylist(), strict=True))


def _agreed(tables: list[pa.Table], columns: tuple[str, ...], blank: pa.Array) -> pa.Table:
    """For each NHS number of a ``blank`` row of the first table, the values of ``columns``
    most of its records hold (the first column not null), where no other value is held as
    often: a table of ``nhs`` and ``columns``."""
    wanted = pc.unique(tables[0].column("nhs").filter(blank))
    known = pa.concat_tables([
        t.select(["nhs", *columns]).filter(pc.and_(pc.is_in(t.column("nhs"), value_set=wanted),
                                                   pc.is_valid(t.column(columns[0]))))
        for t in tables])
    counted = known.group_by(["nhs", *columns]).aggregate([([], "count_all")]).sort_by(
        [("nhs", "ascending"), ("count_all", "descending")])
    numbers = counted.column("nhs").combine_chunks()
    count = counted.column("count_all").to_numpy()
    same = numpy.zeros(counted.num_rows, dtype=bool)  # the row's number is the row before's
    if counted.num_rows > 1:
        same[1:] = pc.equal(numbers[1:], numbers[:-1]).to_numpy(zero_copy_only=False)
    first = ~same
    tied = numpy.zeros(counted.num_rows, dtype=bool)  # a first row with a second as common
    tied[:-1] = first[:-1] & same[1:] & (count[1:] == count[:-1])
    return counted.filter(pa.array(first & ~tied)).select(["nhs", *columns])


def _taken(table: pa.Table, blank: pa.Array, agreed: pa.Table) -> tuple[pa.Table, pa.Array]:
    """For each row of ``table``: the agreed values of its number where it is ``blank``
    (null elsewhere), and whether it took them."""
    where = pc.index_in(table.column("nhs"), value_set=agreed.column("nhs"))
    took = pc.and_(blank, pc.is_valid(where)).combine_chunks()
    return agreed.take(pc.if_else(took, where, None)), took


def fill(table: pa.Table, others: pa.Table | None = None) -> pa.Table:
    """``table`` (prepared by ``features.prepare``) with blank given names and dates of
    birth filled from the records that share each NHS number: those of ``table`` and of
    ``others`` (records held already, which are not changed). Adds ``filled``."""
    sources = [table] if others is None else [table, others]
    no_name, no_date = _blanks(table)
    names, took_name = _taken(table, no_name, _agreed(sources, _GIVEN, no_name))
    dates, took_date = _taken(table, no_date, _agreed(sources, _DOB, no_date))
    for name in ("given_std", "given_root"):
        table = _replaced(table, name, took_name, names.column(name))
    taken = dates.column("dob").filter(took_date).to_pylist()
    derived = {"dob": taken, "date_of_birth": taken,
               "dob_swapped": [swapped_date(d) for d in taken],
               "dob_year": [int(d[:4]) for d in taken],
               "dob_digits": [d.replace("-", "") for d in taken]}
    for name, values in derived.items():
        table = _replaced(table, name, took_date, values)
    return table.append_column(FILLED, _marks(took_name.to_numpy(zero_copy_only=False),
                                              took_date.to_numpy(zero_copy_only=False)))


def _replaced(table: pa.Table, name: str, where: pa.Array, values: Any) -> pa.Table:
    """``table`` with column ``name`` taking ``values`` where ``where`` is true: all rows'
    values, or (a list) those of the rows where it is true, in order."""
    index = table.schema.get_field_index(name)
    field = table.schema.field(index)
    if isinstance(values, list):
        column = pc.replace_with_mask(table.column(name).combine_chunks(), where,
                                      pa.array(values, field.type))
    else:
        column = pc.if_else(where, values, table.column(name))
    return table.set_column(index, field, column)


def _marks(name: numpy.ndarray, date: numpy.ndarray) -> pa.Array:
    """The ``filled`` column: ["given name"], ["date of birth"], both, or null."""
    both = numpy.stack([name, date], axis=1)
    offsets = numpy.concatenate([[0], numpy.cumsum(both.sum(axis=1))]).astype(numpy.int32)
    words = numpy.array([GIVEN_NAME, DATE_OF_BIRTH], dtype=object)
    values = pa.array(numpy.broadcast_to(words, both.shape)[both], pa.string())
    marks = pa.ListArray.from_arrays(pa.array(offsets), values)
    return pc.if_else(pa.array(name | date), marks, pa.nulls(len(name), FILLED.type))


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
