"""England's children's services authorities: the list an area is picked from by name."""

from __future__ import annotations

import pytest

from joinedup.agencies import (
    AREAS,
    area_for,
    area_label,
    area_name,
    is_area_code,
    is_english_area,
)
from joinedup.agencies.models import GSS_CODE

pytestmark = pytest.mark.postgres


def test_there_are_153_authorities_each_with_one_valid_code_sorted_by_name() -> None:
    codes = [a.code for a in AREAS]
    assert len(AREAS) == 153
    assert len(set(codes)) == 153 and len({a.name for a in AREAS}) == 153
    for code in codes:
        GSS_CODE(code)  # raises for a code that is not a letter and eight digits
        assert code[:3] in {"E06", "E08", "E09", "E10"}
    assert [a.name for a in AREAS] == sorted(a.name for a in AREAS)
    assert sum(c.startswith("E09") for c in codes) == 33  # every London borough and the City
    assert sum(c.startswith("E10") for c in codes) == 21


@pytest.mark.parametrize("code,name", [
    ("E08000007", "Stockport"), ("E08000003", "Manchester"), ("E06000063", "Cumberland"),
    ("E08000037", "Gateshead"), ("E09000001", "City of London"), ("E06000010",
                                                                   "Kingston upon Hull"),
    ("E06000058", "Bournemouth, Christchurch and Poole"), ("E10000034", "Worcestershire"),
])
def test_spot_checks(code: str, name: str) -> None:
    assert area_name(code) == name and is_english_area(code)


@pytest.mark.parametrize("retired", [
    "E08000020",  # Gateshead before 2013
    "E06000048",  # Northumberland before 2013
    "E06000028",  # Bournemouth before 2019
    "E10000006",  # Cumbria before 2023
    "E10000023",  # North Yorkshire County Council before 2023
    "E07000117",  # a district council: no children's services
])
def test_retired_codes_and_districts_are_not_listed(retired: str) -> None:
    assert not is_english_area(retired)
    assert area_name(retired) == retired


def test_an_area_outside_england_is_shown_by_its_code_and_country() -> None:
    assert area_name("W06000015") == "W06000015"
    assert area_label("W06000015") == "W06000015 (Wales)"
    assert area_label("S12000036") == "S12000036 (Scotland)"
    assert area_label("E08000003") == "Manchester (E08000003)"


@pytest.mark.parametrize("typed,code", [
    ("Manchester", "E08000003"), ("  manchester ", "E08000003"), ("St. Helens", "E08000013"),
    ("stockton on tees", "E06000004"), ("Brighton & Hove", "E06000043"),
    ("Hull", "E06000010"), ("e08000003", "E08000003"), ("W06000015", "W06000015"),
    ("Manchestr", None), ("", None), ("E0800003", None),
])
def test_an_area_is_found_by_name_or_by_code(typed: str, code: str | None) -> None:
    assert area_for(typed) == code


def test_a_code_has_the_form_of_a_gss_code() -> None:
    assert is_area_code("N09000003") and not is_area_code("E08-000003")
