"""Thin people rows load: only person_id is required, a missing name is a warning, a row with
nothing to identify the person loads as an unidentified record, and a date of birth or NHS
number that cannot be read is kept as written (issue 17, parts 1 and 2)."""

from __future__ import annotations

import pytest

from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow, RowWarning
from joinedup.people.models import PersonRecord, PersonRecordVersion
from tests.helpers import PERSON

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_row_without_a_family_name_loads_with_a_warning_naming_where_and_the_fix(
        agency, make_return):
    dean = {"person_id": "P7", "given_name": "Dean", "family_name": "", "date_of_birth": "",
            "sex": "M", "nhs_number": "", "postcode": ""}
    result = load_return(make_return(people=[PERSON, dean]), "HV")
    assert result.tables["people"].quarantined == 0
    record = PersonRecord.objects.get(source_id="P7")
    assert record.display_name == "Dean (no family name recorded)"
    warning = RowWarning.objects.get(column="family_name")
    assert (warning.location, warning.row_number) == ("people.csv", 3)
    assert warning.message == "the family name is missing"
    assert "Send the family name" in warning.fix
    assert not QuarantinedRow.objects.exists()


def test_a_file_without_a_family_name_column_loads(agency, make_return):
    result = load_return(make_return(people=[{"person_id": "P1", "given_name": "Dean"}]), "HV")
    assert result.tables["people"].new == 1
    assert PersonRecord.objects.get().family_name == ""


def test_a_row_with_nothing_to_identify_the_person_loads_as_an_unidentified_record(
        agency, make_return):
    nobody = {"person_id": "P9", "given_name": "", "family_name": "", "date_of_birth": "",
              "sex": "", "nhs_number": "", "postcode": "SK1 3XE"}
    result = load_return(make_return(people=[PERSON, nobody]), "HV")
    assert result.tables["people"].new == 2
    record = PersonRecord.objects.get(source_id="P9")
    assert record.display_name == "Unidentified person (HV reference P9)"
    [warning] = RowWarning.objects.filter(row_number=3)
    assert "unidentified record" in warning.message
    assert "only through its relationships" in warning.message
    assert warning.column == "family_name" and "Send any name" in warning.fix


@pytest.mark.parametrize(("column", "written"), [
    ("date_of_birth", "199907150"), ("date_of_birth", "31/02/2001"),
    ("nhs_number", "9434765918")])  # fails the Modulus 11 check
def test_a_value_that_cannot_be_read_is_kept_as_written_and_never_used_as_a_value(
        agency, make_return, column, written):
    load_return(make_return(people=[{**PERSON, column: written}]), "HV")
    record = PersonRecord.objects.get()
    assert getattr(record, f"{column}_text") == written
    assert getattr(record, column) in (None, "")
    warning = RowWarning.objects.get(column=column)
    assert warning.raw_value == written and "kept as written" in warning.fix
    assert PersonRecordVersion.objects.get().content[f"{column}_text"] == written


def test_a_value_that_reads_keeps_no_written_copy_and_a_resend_changes_nothing(
        agency, make_return):
    folder = make_return(people=[PERSON])
    first = load_return(folder, "HV")
    record = PersonRecord.objects.get()
    assert (record.date_of_birth_text, record.nhs_number_text) == ("", "")
    assert "date_of_birth_text" not in PersonRecordVersion.objects.get().content
    assert load_return(folder, "HV").already_received == first.submission_id
