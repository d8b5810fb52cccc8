"""Address lines read into house, flat and street, and what the linkage model makes of them.

Every address here is invented.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.people.linkage import features, model
from joinedup.people.linkage.addresses import Address, parse_address, street_std


@pytest.mark.parametrize(("line", "house", "flat", "street"), [
    ("12 Acacia Road, Stockport", "12", None, "ACACIA ROAD"),
    ("12 ACACIA RD", "12", None, "ACACIA ROAD"),
    ("12, Acacia Rd., Stockport", "12", None, "ACACIA ROAD"),
    ("Flat 2, 14 Elm St, Edgeley, Stockport SK3 9QX", "14", "2", "ELM STREET"),
    ("14 Elm Street Flat 2", "14", "2", "ELM STREET"),
    ("2, 14 Elm Street", "14", "2", "ELM STREET"),
    ("2/14 Elm Street", "14", "2", "ELM STREET"),
    ("B/12 BEECH AVE, STOCKPORT", "12", "B", "BEECH AVENUE"),
    ("Apartment 2, 14 Elm Str", "14", "2", "ELM STREET"),
    ("Apt 2 14 Elm St Stockport", "14", "2", "ELM STREET"),
    ("12a Beech Ave", "12", "A", "BEECH AVENUE"),
    ("Flat A, 12 Beech Avenue, Reddish", "12", "A", "BEECH AVENUE"),
    ("flat b 7 bramble cl", "7", "B", "BRAMBLE CLOSE"),
    ("Ground Floor Flat, 22 Cedar Gdns", "22", "GROUND FLOOR", "CEDAR GARDENS"),
    ("First floor flat 22 Cedar Gardens", "22", "FIRST FLOOR", "CEDAR GARDENS"),
    ("Rose Cottage, Mill Lane, Marple", "ROSE COTTAGE", None, "MILL LANE"),
    ("Flat 3, Damson House, 40 Foxglove Cres", "40", "3", "FOXGLOVE CRESCENT"),
    ("40 Foxglove Crescent", "40", None, "FOXGLOVE CRESCENT"),
    ("12-14 High St", "12-14", None, "HIGH STREET"),
    ("7 St Mary's Rd", "7", None, "SAINT MARYS ROAD"),
    ("7 St. Marys Road", "7", None, "SAINT MARYS ROAD"),
    ("45 Gt Clover Pl", "45", None, "GREAT CLOVER PLACE"),
    ("3 Hazel Ct, Cheadle", "3", None, "HAZEL COURT"),
    ("3 Hazel Court Cheadle Cheshire", "3", None, "HAZEL COURT"),
    ("9 Larch Sq", "9", None, "LARCH SQUARE"),
    ("9 Larch Dr.", "9", None, "LARCH DRIVE"),
    ("101 Rowan Ln", "101", None, "ROWAN LANE"),
    ("Unit 4, 2 Willow Tce", "2", "4", "WILLOW TERRACE"),
    ("5 Zoë Gardens", "5", None, "ZOE GARDENS"),
])
def test_an_address_line_is_read_into_house_flat_and_street(
        line: str, house: str, flat: str | None, street: str) -> None:
    assert parse_address(line) == Address(house, flat, street)


@pytest.mark.parametrize("line", ["", "   ", "NFA", "No fixed abode", "n/k", "Not known",
                                  ", ,", None])
def test_no_address_gives_nothing_to_compare(line: str | None) -> None:
    assert parse_address(line) == Address(None, None, None)


def test_one_home_written_as_different_agencies_write_it_reads_the_same() -> None:
    ways = ["Flat 2, 14 Elm Street, Stockport", "14 ELM ST FLAT 2", "2, 14 Elm St.",
            "Apartment 2 14 Elm Str, Stockport SK1 3XE", "2/14 elm street"]
    assert len({parse_address(w) for w in ways}) == 1
    assert parse_address("12a Beech Ave") == parse_address("Flat A, 12 Beech Avenue")


def test_different_homes_read_differently() -> None:
    assert parse_address("14 Elm Street") != parse_address("41 Elm Street")
    assert parse_address("Flat 1, 14 Elm Street") != parse_address("Flat 2, 14 Elm Street")
    assert street_std("Elm Road") != street_std("Elm Street")


def test_st_is_saint_before_a_name_and_street_after_one() -> None:
    assert street_std("St John St") == "SAINT JOHN STREET"


# -- features ------------------------------------------------------------------------------

def person(uid: int, given: str, family: str, dob: str | None, *, postcode: str = "",
           address: str = "", uprn: str = "", sex: str = "F") -> dict[str, Any]:
    return {"unique_id": uid, "agency": "GP", "given_name": given, "family_name": family,
            "other_names": [], "date_of_birth": dob, "sex": sex, "nhs_number": "",
            "postcode": postcode, "address": address, "uprn": uprn}


def test_prepare_adds_the_address_columns() -> None:
    rows = features.prepare([
        person(1, "Jade", "Brown", None, address="Flat 2, 14 Elm St", uprn="010023336956"),
        person(2, "Jade", "Brown", None, uprn="1234567890123"),
        person(3, "Jade", "Brown", None, uprn="100023336956.0"),
    ]).to_pylist()
    assert [(r["house_number"], r["flat"], r["street_std"]) for r in rows] == [
        ("14", "2", "ELM STREET"), (None, None, None), (None, None, None)]
    assert [r["uprn"] for r in rows] == ["10023336956", None, "100023336956"]
    assert rows[0]["address"] == "Flat 2, 14 Elm St"


# -- scores ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def defaults() -> dict[str, Any]:
    """A model with the documented default m and u (too few records to train)."""
    return model.train([person(1, "Amy", "Stone", "1990-01-01"),
                        person(2, "Ben", "Cole", "1985-05-05", sex="M")])


def _address(explanation: model.Explanation) -> model.FieldContribution:
    return next(c for c in explanation.comparisons if c.comparison == "address")


def test_a_changed_surname_at_the_same_house_scores_higher_than_without_the_address(
        defaults: dict[str, Any]) -> None:
    # a woman who married: her new surname at the health visitor, no date of birth, no
    # postcode recorded; the same house and street written another way
    a = person(1, "Jade", "Brown", "1996-04-11", postcode="SK3 9QX",
               address="Flat 2, 14 Elm Street, Edgeley")
    b = person(2, "Jade", "Okafor", None, address="14 Elm St flat 2")
    with_address = model.explain(a, b, defaults)
    without = model.explain({**a, "address": ""}, {**b, "address": ""}, defaults)
    assert with_address.match_probability > without.match_probability
    found = _address(with_address)
    assert found.level.startswith("same house number and street") and found.match_weight > 5
    assert "Flat 2, 14 Elm Street, Edgeley / 14 Elm St flat 2" in found.label


def test_the_same_uprn_scores_higher_than_without_it(defaults: dict[str, Any]) -> None:
    a = person(1, "Jade", "Brown", "1996-04-11", postcode="SK3 9QX", uprn="100012345678")
    b = person(2, "Jade", "Okafor", None, uprn="100012345678")
    with_uprn = model.explain(a, b, defaults)
    without = model.explain({**a, "uprn": ""}, {**b, "uprn": ""}, defaults)
    assert with_uprn.match_probability > without.match_probability
    assert _address(with_uprn).level.startswith("same UPRN")


def test_a_household_does_not_count_its_shared_home_twice(defaults: dict[str, Any]) -> None:
    # twins: one family name, one postcode, one house: the postcode has said it all
    home = {"postcode": "SK1 3XE", "address": "7 Bramble Close"}
    a = person(1, "Ava", "Stewart", "2020-06-01", **home)
    b = person(2, "Isla", "Stewart", "2020-06-01", **home)
    found = _address(model.explain(a, b, defaults))
    assert found.match_weight == 0 and found.level.startswith("address missing")


def test_another_house_at_the_same_postcode_counts_against(defaults: dict[str, Any]) -> None:
    a = person(1, "Jade", "Brown", "1996-04-11", postcode="SK3 9QX", address="14 Elm Street")
    b = person(2, "Jade", "Okafor", "1996-04-11", postcode="SK3 9QX", address="41 Elm Street")
    found = _address(model.explain(a, b, defaults))
    assert found.level == "another house at the same postcode" and found.match_weight < 0
    c = {**b, "address": "14 Elm St"}
    assert model.explain(a, c, defaults).match_probability > model.explain(
        a, b, defaults).match_probability
