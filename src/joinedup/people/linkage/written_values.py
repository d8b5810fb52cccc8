"""Dates of birth and NHS numbers read, or kept as written, a column at a time.

Preparing a million records read each distinct NHS number, and each distinct pair of a
date of birth and its text as written, in Python: nearly every NHS number is distinct, so
that was some 400,000 checks and, with the dates, 8 s of the 21 s that preparing took
(docs/benchmarks.md). Here the values that read cleanly, nearly all of them, are done for
the whole column at once, and only the rest go through ``features``' functions, once per
distinct value:

- an NHS number recorded as ten digits is checked with numpy by the same Modulus 11 rule
  as ``features.nhs_number``: weights 10 down to 2 on the first nine digits, the remainder
  of their sum by 11 taken from 11 (11 reads as 0; 10 means no number has these nine
  digits), which must be the tenth digit; one digit repeated (``0000000000``) is not a
  number. A valid number is its own digits and has nothing kept as written. Anything
  else (spaces inside, the wrong length, a failing check, a number as written) is read
  one value at a time;
- a date of birth already read (``dob``) is its own digits and has nothing kept as
  written; only a missing or unreadable one is looked at again, with its text as written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from joinedup.nhs_check_digit import WEIGHTS
from joinedup.people.linkage.bulk import each_distinct

NHS_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)
"""The Modulus 11 weights of an NHS number's first nine digits (``nhs_check_digit.py``)."""
_TEXT = pa.string()
Reader = Callable[[tuple[Any, Any]], tuple[str | None, ...]]


def valid_ten_digits(numbers: pa.Array) -> pa.Array:
    """For each value (text, or null), whether it is ten digits making a valid NHS number:
    a boolean array, never null, as long as ``numbers``."""
    ten = pc.fill_null(pc.match_substring_regex(numbers, r"^[0-9]{10}$"), False)
    found = np.zeros(len(numbers), dtype=bool)
    where = np.flatnonzero(ten.to_numpy(zero_copy_only=False))
    if where.size:
        text = "".join(numbers.filter(ten).to_pylist()).encode("ascii")
        digits = (np.frombuffer(text, dtype=np.uint8).reshape(-1, 10) - ord("0")).astype(
            np.int64)
        check = 11 - (digits[:, :9] @ NHS_WEIGHTS) % 11
        check[check == 11] = 0
        one_digit = (digits == digits[:, :1]).all(axis=1)
        found[where] = (check == digits[:, 9]) & ~one_digit
    return pa.array(found)


def nhs_columns(numbers: pa.Array, written: Sequence[Any], read: Reader) -> list[pa.Array]:
    """(nhs, nhs_text, nhs_digits) for NHS numbers (text, stripped; or null) and their
    text as written: ``read`` takes (number, written) for the values not ten valid digits."""
    valid = valid_ten_digits(numbers)
    nhs, text, digits = _each_unread(valid, numbers.to_pylist(), written, read, 3)
    return [pc.if_else(valid, numbers, nhs), text, pc.if_else(valid, numbers, digits)]


def dob_columns(dob: pa.Array, values: Sequence[Any], written: Sequence[Any],
                read: Reader) -> list[pa.Array]:
    """(dob_text, dob_digits) for dates of birth already read (``dob``: ISO text or null)
    and the values and texts they were read from: ``read`` takes (value, written) where
    no date was read."""
    done = dob.is_valid()
    text, digits = _each_unread(done, values, written, read, 2)
    return [text, pc.if_else(done, pc.replace_substring(dob, "-", ""), digits)]


def _each_unread(done: pa.Array, first: Sequence[Any], second: Sequence[Any], read: Reader,
                 width: int) -> list[pa.Array]:
    """``read`` of (first, second) at each place ``done`` is false, once per distinct
    pair, as ``width`` text columns; null where ``done`` is true."""
    todo = np.flatnonzero(~done.to_numpy(zero_copy_only=False))
    results = each_distinct(read, [(first[i], second[i]) for i in todo.tolist()])
    columns = []
    for index in range(width):
        column = np.full(len(done), None, dtype=object)
        if todo.size:
            column[todo] = [result[index] for result in results]
        columns.append(pa.array(column, _TEXT))
    return columns
