"""The visibility gate's decisions, one reader and one entry at a time (pure)."""

from __future__ import annotations

import pytest

from joinedup.visibility import (
    NAME_WITHHELD,
    PROTECTED_REPLACEMENT,
    SEALED_NAME,
    VICTIM_SUPPORT_REPLACEMENT,
    Reader,
    sight,
)

pytestmark = pytest.mark.postgres

MOTHER, FATHER, CHILD, SEALED = 1, 2, 3, 4
OTHERS = Reader("HV", "HEALTH_VISITING", CHILD, protected=frozenset({MOTHER, CHILD}))
SOCIAL_WORKER = Reader("CSC", "CHILDRENS_SOCIAL_CARE", CHILD, allocated_csc=True,
                       protected=frozenset({MOTHER, CHILD}))
FATHERS_PROBATION = Reader("PROB", "PROBATION", CHILD, perpetrator_side=True,
                           protected=frozenset({MOTHER, CHILD}),
                           own_names={MOTHER: "Kayleigh Brennan"},
                           victim_support_agencies=frozenset({"REFUGE"}))


def refuge(reader: Reader) -> tuple[bool, bool, str]:
    seen = sight(reader, "REFUGE", "REFUGE", "ADDRESS_CHANGE", (MOTHER, None))
    return seen.show, seen.full, seen.text("Moved to a flat in Brinnington")


def test_victim_support_is_full_to_the_allocated_social_worker_and_the_refuge_itself() -> None:
    assert refuge(SOCIAL_WORKER) == (True, True, "Moved to a flat in Brinnington")
    assert refuge(Reader("REFUGE", "REFUGE", CHILD))[1]


def test_victim_support_is_a_headline_to_other_agencies() -> None:
    assert refuge(OTHERS) == (True, False, VICTIM_SUPPORT_REPLACEMENT)
    assert refuge(Reader()) == (True, False, VICTIM_SUPPORT_REPLACEMENT)  # a panel member


def test_victim_support_never_reaches_the_perpetrators_agency() -> None:
    assert refuge(FATHERS_PROBATION) == (False, False, "")
    assert not FATHERS_PROBATION.shows_agency("REFUGE")


def test_a_perpetrator_side_reader_sees_only_headlines_about_protected_people() -> None:
    seen = sight(FATHERS_PROBATION, "HV", "HEALTH_VISITING", "HV_VISIT", (CHILD, None))
    assert (seen.show, seen.full, seen.replacement) == (True, False, PROTECTED_REPLACEMENT)
    about_him = sight(FATHERS_PROBATION, "HV", "HEALTH_VISITING", "HV_VISIT", (FATHER, None))
    assert about_him.full
    assert sight(FATHERS_PROBATION, "PROB", "PROBATION", "LICENCE_START", (FATHER, MOTHER)).full


def test_names_of_protected_people_as_the_perpetrator_side_reader_recorded_them() -> None:
    assert FATHERS_PROBATION.name(MOTHER, "Kayleigh Ashworth") == "Kayleigh Brennan"
    assert FATHERS_PROBATION.name(CHILD, "Sienna Ashworth") == NAME_WITHHELD
    assert OTHERS.name(CHILD, "Sienna Ashworth") == "Sienna Ashworth"


def test_entries_about_a_sealed_person_are_withheld_and_the_person_unnamed() -> None:
    reader = Reader("HV", "HEALTH_VISITING", CHILD, closed=frozenset({SEALED}))
    assert not sight(reader, "HV", "HEALTH_VISITING", "HV_VISIT", (SEALED, None)).show
    assert not sight(reader, "CSC", "CHILDRENS_SOCIAL_CARE", "HOME_VISIT", (CHILD, SEALED)).show
    assert reader.name(SEALED, "A Name") == SEALED_NAME and not reader.shows_identity(SEALED)


def test_the_adult_services_policy_still_applies() -> None:
    seen = sight(OTHERS, "PROB", "PROBATION", "SUBSTANCE_MISUSE_CONCERN", (FATHER, None))
    assert (seen.show, seen.full, seen.shared_as) == (True, False, "headline")
    assert "probation" in seen.replacement
    withheld = sight(OTHERS, "AMH", "ADULT_MENTAL_HEALTH", "MEDICATION_PRESCRIBED", (FATHER,))
    assert not withheld.show
