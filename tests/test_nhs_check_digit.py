"""The NHS number's check digit: one rule (joinedup/nhs_check_digit.py), the same for a
return's NHS number, linkage, the briefing guard and the demonstration's numbers."""

from __future__ import annotations

from random import Random

import pytest

from joinedup.briefings.family_identifiers import is_valid_nhs_number
from joinedup.ingest.values import ValueProblem
from joinedup.ingest.values import nhs_number as read_nhs_number
from joinedup.nhs_check_digit import check_digit, checks
from joinedup.people.linkage.features import nhs_number as linkage_nhs_number


def by_hand(nine: str) -> int | None:
    """The rule as NHS Digital writes it out, digit by digit."""
    remainder = sum(int(digit) * (10 - place) for place, digit in enumerate(nine)) % 11
    return {0: 0, 1: None}.get(remainder, 11 - remainder)


def test_the_check_digit_is_the_modulus_11_rule() -> None:
    assert check_digit("943476591") == 9
    assert check_digit("401023211") == 0  # 11 taken from 11: a check digit of 0
    assert check_digit("000000006") is None  # 10: no NHS number begins with these nine
    rng = Random(5)
    for nine in ("".join(rng.choice("0123456789") for _ in range(9)) for _ in range(5_000)):
        assert check_digit(nine) == by_hand(nine)


def test_whole_numbers_are_checked_alike_wherever_they_are_read() -> None:
    for number in ("9434765919", "4010232110", "6541003238"):
        assert checks(number) and is_valid_nhs_number(number)
        assert read_nhs_number(number) == linkage_nhs_number(number) == number
    for number in ("9434765918", "4010232111", "943476591", "94347659190", "943476591x"):
        assert not checks(number) and not is_valid_nhs_number(number)
        assert linkage_nhs_number(number) is None
        with pytest.raises(ValueProblem):
            read_nhs_number(number)


def test_digits_that_are_not_plain_do_not_crash_the_check() -> None:
    assert not checks("943476591\u00b2")  # a superscript two is a digit to Python, not a number
    assert linkage_nhs_number("943476591\u00b2") is None
