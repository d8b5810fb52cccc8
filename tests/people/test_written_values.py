"""Dates of birth and NHS numbers read a column at a time give what reading them one by one
gives (people/linkage/written_values.py against features.py's own functions)."""

from __future__ import annotations

from random import Random

import pyarrow as pa

from joinedup.people.linkage import features
from joinedup.people.linkage.written_values import valid_ten_digits

NUMBERS = ["9434765919", "9434765918", "943 476 5919", " 9434765919 ", "0000000000",
           "94347659190", "943476591", "", None, "NHS9434765919", "4010232110", "4010232111"]
"""Valid and invalid, written with spaces, too long and too short, empty, junk; 4010232110
has a check digit of 0 from a remainder of 11 taken from 11."""


def test_a_column_of_ten_digit_numbers_is_checked_as_one_number_is() -> None:
    rng = Random(17)
    numbers = NUMBERS + ["".join(rng.choice("0123456789") for _ in range(10))
                         for _ in range(20_000)]
    checked = valid_ten_digits(pa.array(numbers, pa.string())).to_pylist()
    assert checked == [features.nhs_number(n) is not None and n == (n or "").strip()
                       and len(n) == 10 for n in numbers]
    assert 1_500 < sum(checked) < 2_200  # about one random number in eleven is valid


def test_prepared_records_read_numbers_and_dates_as_one_record_alone_does() -> None:
    dates = ["2001-02-03", "31/02/2001", "199907150", "", None, "2020-13-01", "not known"]
    written = [None, "", "20010203", "199907150"]
    records = [{"unique_id": i, "given_name": "Ava", "family_name": "Reid",
                "nhs_number": number, "nhs_number_text": written[i % 4],
                "date_of_birth": dates[i % 7], "date_of_birth_text": written[(i + 1) % 4]}
               for i, number in enumerate(NUMBERS * 3)]
    table = features.prepare(records).to_pylist()
    for record, row in zip(records, table, strict=True):
        alone = features.prepare_record(record)
        assert {k: row[k] for k in ("nhs", "nhs_text", "nhs_digits", "dob", "dob_text",
                                    "dob_digits")} == {
            k: alone[k] for k in ("nhs", "nhs_text", "nhs_digits", "dob", "dob_text",
                                  "dob_digits")}, record
    first = table[0]
    assert (first["nhs"], first["nhs_text"], first["nhs_digits"]) == (
        "9434765919", None, "9434765919")
    assert (table[2]["nhs"], table[2]["nhs_digits"]) == ("9434765919", "9434765919")
    assert (table[5]["nhs"], table[5]["nhs_text"]) == (None, "94347659190")
    # "31/02/2001" is not a date: the text written beside it is what is kept
    assert (table[1]["dob"], table[1]["dob_text"]) == (None, "20010203")
    assert (table[8]["dob"], table[8]["dob_text"]) == (None, "20010231")
    assert (table[0]["dob"], table[0]["dob_digits"]) == ("2001-02-03", "20010203")
