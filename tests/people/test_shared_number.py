"""A blank given name or date of birth filled from the other records that carry the same
NHS number (people/linkage/shared_number.py): on its own, on the pair page, and when a
record arriving later fills the blanks of records already linked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joinedup.ingest.loading import load_return
from joinedup.people import linking
from joinedup.people.linkage import features, model, shared_number
from joinedup.people.linking import THRESHOLD, explain_pair, resolve_record
from joinedup.people.models import PairScore
from tests.helpers import write_return

NUMBER, OTHER_NUMBER = "9434765919", "9434765870"


def _record(uid: int, given: str, dob: str | None, nhs: str = NUMBER, *,
            written: str | None = None) -> dict[str, Any]:
    return {"unique_id": uid, "agency": "GP", "given_name": given, "family_name": "Okafor",
            "date_of_birth": dob, "date_of_birth_text": written, "sex": "M",
            "nhs_number": nhs, "postcode": "SK1 3XE"}


def _filled(records: list[dict[str, Any]], others: list[dict[str, Any]] | None = None
            ) -> list[dict[str, Any]]:
    table = shared_number.fill(features.prepare(records),
                               features.prepare(others) if others else None)
    return table.to_pylist()


def test_a_blank_name_and_date_take_what_most_records_of_the_number_say() -> None:
    rows = _filled([_record(1, "", None), _record(2, "Kayden", "2024-05-06"),
                    _record(3, "Kaiden", "2024-05-06"), _record(4, "Kayden", "2024-06-05")])
    blank = rows[0]
    assert blank["filled"] == [shared_number.GIVEN_NAME, shared_number.DATE_OF_BIRTH]
    assert (blank["given_std"], blank["given_root"]) == ("KAYDEN", "KAYDEN")
    assert blank["dob"] == blank["date_of_birth"] == "2024-05-06"
    assert (blank["dob_swapped"], blank["dob_year"], blank["dob_digits"]) == (
        "2024-06-05", 2024, "20240506")
    # the records that had values keep them, and are not marked
    assert [r["given_std"] for r in rows[1:]] == ["KAYDEN", "KAIDEN", "KAYDEN"]
    assert [r["filled"] for r in rows[1:]] == [None, None, None]


def test_a_number_whose_records_disagree_fills_nothing() -> None:
    rows = _filled([_record(1, "Baby", None), _record(2, "Kayden", "2024-05-06"),
                    _record(3, "Tobi", "2024-06-05")])
    assert rows[0]["given_std"] is None and rows[0]["dob"] is None
    assert rows[0]["filled"] is None


def test_only_the_same_valid_number_fills() -> None:
    rows = _filled([_record(1, "", None), _record(2, "Kayden", "2024-05-06", OTHER_NUMBER),
                    _record(3, "", None, nhs=""), _record(4, "Kayden", "2024-05-06", nhs="")])
    assert [r["filled"] for r in rows] == [None] * 4
    assert rows[0]["given_std"] is None and rows[2]["given_std"] is None


def test_a_date_written_but_not_read_is_kept_as_written() -> None:
    rows = _filled([_record(1, "Kayden", None, written="202405060"),
                    _record(2, "Kayden", "2024-05-06")])
    assert rows[0]["dob"] is None and rows[0]["dob_text"] == "202405060"
    assert rows[0]["filled"] is None


def test_records_held_already_fill_new_ones_and_are_not_changed() -> None:
    rows = _filled([_record(1, "", None)], others=[_record(2, "Kayden", "2024-05-06"),
                                                   _record(3, "", None)])
    assert len(rows) == 1 and rows[0]["given_std"] == "KAYDEN"
    table = features.prepare([_record(1, "", None), _record(2, "Kayden", "2024-05-06"),
                              _record(3, "Tobi", None, nhs=OTHER_NUMBER)])
    # a change to the named record may change what the blank one takes; not the other way
    assert shared_number.sharing_numbers(table, [2]) == {1, 2}
    assert shared_number.sharing_numbers(table, [1]) == {1}
    assert shared_number.sharing_numbers(table, [3]) == {3}
    # read after filling, the record filled still counts as blank
    assert shared_number.sharing_numbers(shared_number.fill(table), [2]) == {1, 2}


def test_the_explanation_says_which_value_was_filled() -> None:
    named = {**_record(1, "Kayden", "2024-05-06", nhs=""), "agency": "POLICE"}
    blank = {**_record(2, "", None), "agency": "HOSPITAL"}
    gp = _record(3, "Kayden", "2024-05-06")
    trained = model.train([named, blank, gp])
    alone = model.explain(named, blank, trained)
    labels = {c.comparison: c.label for c in alone.comparisons}
    assert labels["given_name"].startswith("given name missing")
    told = model.explain(named, blank, trained, others=[gp])
    labels = {c.comparison: c.label for c in told.comparisons}
    assert labels["given_name"] == ("same given name (Kayden; the second record's given name "
                                    "is from other records with its NHS number)")
    assert labels["date_of_birth"] == ("same date of birth (2024-05-06; the second record's "
                                       "date of birth is from other records with its NHS "
                                       "number)")
    assert told.match_probability > alone.match_probability


OKAFOR = {"family_name": "Okafor", "sex": "M", "postcode": "SK4 1AA",
          "address": "9 Hatter Street, Stockport"}


def test_a_record_arriving_later_fills_the_blanks_of_records_linked_before(
        baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    # the hospital knows the baby only by his NHS number and family name; the police know
    # him by name and date of birth, with no number
    load_return(write_return(tmp_path / "hospital", people=[
        {**OKAFOR, "person_id": "H-O1", "given_name": "", "date_of_birth": "",
         "nhs_number": NUMBER}]), "HOSPITAL")
    load_return(write_return(tmp_path / "police", people=[
        {**OKAFOR, "person_id": "POL-O1", "given_name": "Kayden",
         "date_of_birth": "2024-05-06", "nhs_number": ""}]), "POLICE")
    linking.link(who="test")
    hospital, police = resolve_record("HOSPITAL:H-O1"), resolve_record("POLICE:POL-O1")
    pair = (min(hospital.pk, police.pk), max(hospital.pk, police.pk))

    def score() -> float:
        found = PairScore.objects.filter(record_a_id=pair[0], record_b_id=pair[1]).first()
        return found.match_probability if found else 0.0

    assert score() < THRESHOLD
    # the GP's record of the number names him: the hospital's record is scored again
    load_return(write_return(tmp_path / "gp", people=[
        {**OKAFOR, "person_id": "GP-O1", "given_name": "Kayden",
         "date_of_birth": "2024-05-06", "nhs_number": NUMBER}]), "GP")
    result = linking.link(who="test")
    assert result.kind == "incremental"
    assert score() >= THRESHOLD
    _, _, explanation = explain_pair("HOSPITAL:H-O1", "POLICE:POL-O1")
    labels = {c.comparison: c.label for c in explanation.comparisons}
    assert "is from other records with its NHS number" in labels["given_name"]
