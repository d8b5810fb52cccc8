"""Dates, NHS numbers and postcodes as UK agencies write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.ingest.values import (
    ValueProblem,
    nhs_number,
    parse_date,
    parse_datetime,
    postcode,
)
from joinedup.local_time import local_date

pytestmark = pytest.mark.postgres


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_and_uk_dates_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert local_date(parse_datetime(day.isoformat())[0]) == day


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_reported_problem(text: str) -> None:
    try:
        parse_date(text)
        parse_datetime(text)
    except ValueProblem as problem:
        assert problem.message and problem.fix


@pytest.mark.parametrize("text", ["31/02/2025", "12/31/2025", "03/04/25", "2025/03/04",
                                  "1899-12-31", "next Tuesday", "2025-3-4"])
def test_ambiguous_or_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(text)


def test_times_are_uk_time_unless_an_offset_is_given() -> None:
    summer, known = parse_datetime("2025-07-01T09:30:00")
    assert known and summer.utcoffset() == dt.timedelta(hours=1)
    utc, _ = parse_datetime("2025-07-01T09:30:00Z")
    assert utc.utcoffset() == dt.timedelta(0)
    midnight, known = parse_datetime("01/07/2025")
    assert not known and local_date(midnight) == dt.date(2025, 7, 1)


@pytest.mark.parametrize("number", ["9434765919", "6541003238", "943 476 5919", "943-476-5919"])
def test_valid_nhs_numbers(number: str) -> None:
    assert len(nhs_number(number)) == 10


@pytest.mark.parametrize("number", ["9434765918", "123456789", "12345678901", "ABCDEFGHIJ"])
def test_invalid_nhs_numbers(number: str) -> None:
    with pytest.raises(ValueProblem):
        nhs_number(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_check_digit_matches_a_reference_implementation(first_nine: str) -> None:
    total = sum(int(first_nine[i]) * (10 - i) for i in range(9))
    check = (11 - total % 11) % 11
    for last in "0123456789":
        ok = check != 10 and int(last) == check
        try:
            nhs_number(first_nine + last)
            assert ok
        except ValueProblem:
            assert not ok


@pytest.mark.parametrize("raw,clean", [("sk1 3xe", "SK1 3XE"), ("M11AE", "M1 1AE"),
                                       ("EC1A 1BB", "EC1A 1BB"), ("gir0aa", "GIR 0AA")])
def test_postcodes_are_normalised(raw: str, clean: str) -> None:
    assert postcode(raw) == clean


@pytest.mark.parametrize("raw", ["SK1", "QQ1 1AA", "12345", "SK1 3X"])
def test_bad_postcodes_are_refused(raw: str) -> None:
    with pytest.raises(ValueProblem):
        postcode(raw)
