"""The optional uprn column of the people table: the Unique Property Reference Number of the
person's address (issue 17, part 3). Every number here is invented."""

from __future__ import annotations

import pytest

from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.ingest.values import ValueProblem, uprn
from joinedup.people.models import PersonRecord
from tests.helpers import PERSON

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(("raw", "clean"), [
    ("100023336956", "100023336956"), (" 10023336956 ", "10023336956"),
    ("000010023336", "10023336"), ("100023336956.0", "100023336956"),
    (100023336956, "100023336956"), (100023336956.0, "100023336956"), ("7", "7")])
def test_a_uprn_is_read_as_digits(raw: object, clean: str) -> None:
    assert uprn(raw) == clean


@pytest.mark.parametrize("raw", ["1234567890123", "1.00023E+11", "UPRN 100023336956",
                                 "0", "12-34", "100023336956.5"])
def test_a_bad_uprn_is_refused_with_the_fix(raw: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        uprn(raw)
    assert "up to 12 digits" in problem.value.message
    assert "digits only" in problem.value.fix


@pytest.mark.django_db
def test_the_uprn_column_is_kept_on_the_person_record(agency, make_return):
    result = load_return(make_return(people=[{**PERSON, "address": "Flat 2, 14 Elm Street",
                                              "uprn": "010023336956"}]), "HV")
    assert result.tables["people"].new == 1
    record = PersonRecord.objects.get()
    assert (record.uprn, record.address) == ("10023336956", "Flat 2, 14 Elm Street")
    assert not RowWarning.objects.exists()


@pytest.mark.django_db
def test_a_bad_uprn_is_a_warning_naming_where_and_the_fix_and_the_row_loads_without_it(
        agency, make_return):
    load_return(make_return(people=[{**PERSON, "uprn": "1.00023E+11"}]), "HV")
    record = PersonRecord.objects.get()
    assert record.uprn == "" and record.family_name == "Walker"
    warning = RowWarning.objects.get()
    assert (warning.location, warning.row_number, warning.column) == ("people.csv", 2, "uprn")
    assert warning.message == "a UPRN is a whole number of up to 12 digits"
    assert "format the column as text" in warning.fix and "loads without it" in warning.fix
    assert not QuarantinedRow.objects.exists()


@pytest.mark.django_db
def test_a_return_without_the_column_resent_with_it_empty_is_unchanged(agency, make_return):
    load_return(make_return(people=[PERSON]), "HV")
    again = load_return(make_return(people=[{**PERSON, "uprn": ""}]), "HV")
    assert again.tables["people"].unchanged == 1
    with_one = load_return(make_return(people=[{**PERSON, "uprn": "100023336956"}]), "HV")
    assert with_one.tables["people"].corrected == 1
    assert PersonRecord.objects.get().uprn == "100023336956"
