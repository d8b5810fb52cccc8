"""The NHS number's check digit: the one Modulus 11 rule every part of joinedup uses.

An NHS number is ten digits, the tenth a check on the first nine: weight them 10 down to 2,
take the remainder of their sum by 11 from 11; 11 means a check digit of 0, and 10 means no
NHS number begins with those nine digits. Where a number counts as valid beyond that (one
digit repeated, ``0000000000``, is not a number to linkage; spaces are allowed in a return)
is each caller's own rule: ``ingest/values.py``, ``people/linkage/features.py`` (one
number) and ``written_values.py`` (a column at once, with these weights),
``briefings/family_identifiers.py``, and the demonstration's families, which make numbers.
"""

from __future__ import annotations

from operator import mul

WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
"""The weights of the first nine digits."""


def check_digit(nine: str) -> int | None:
    """The check digit for an NHS number's first nine digits, or None where no number
    begins with them. ``nine`` must be nine digits."""
    check = 11 - sum(map(mul, map(int, nine), WEIGHTS)) % 11
    return 0 if check == 11 else None if check == 10 else check


def checks(digits: str) -> bool:
    """Whether ten digits end in the check digit of their first nine."""
    return (len(digits) == 10 and digits.isdecimal()
            and check_digit(digits[:9]) == int(digits[9]))
