"""What a sharing-policy headline says: the category from a closed list, and who holds the
record, where the agency sent them; never on a headline that keeps someone safe."""

from __future__ import annotations

import pytest

from joinedup.visibility import (
    OFFENCE_GROUPS,
    PROTECTED_REPLACEMENT,
    VICTIM_SUPPORT_REPLACEMENT,
    Held,
    Reader,
    sight,
)

pytestmark = pytest.mark.postgres

MOTHER, FATHER, CHILD = 1, 2, 3
SOCIAL_WORKER = Reader("CSC", "CHILDRENS_SOCIAL_CARE", CHILD, allocated_csc=True,
                       protected=frozenset({MOTHER, CHILD}))
HEALTH_VISITOR = Reader("HV", "HEALTH_VISITING", CHILD, protected=frozenset({MOTHER, CHILD}))
FATHERS_PROBATION = Reader("PROB", "PROBATION", CHILD, perpetrator_side=True,
                           protected=frozenset({MOTHER, CHILD}))
OFFICER = Held({"offence_group": "violence", "outcome": "charged"}, "DC Priya Lomax",
               "0161 496 0611")


def police_arrest(reader: Reader, held: Held | None, about: int = FATHER) -> str:
    seen = sight(reader, "POLICE", "POLICE", "ARREST", (about, None), held)
    return seen.text("Arrested on suspicion of GBH to the baby")


def test_the_headline_names_the_offence_group_and_the_officer() -> None:
    assert police_arrest(SOCIAL_WORKER, OFFICER) == (
        "Arrest: violence against the person. Held by the police: ask DC Priya Lomax "
        "(0161 496 0611), or the police public protection unit")


def test_without_what_the_agency_sent_the_headline_names_the_team() -> None:
    assert police_arrest(SOCIAL_WORKER, Held()) == (
        "Held by the police: ask the police public protection unit")
    assert police_arrest(SOCIAL_WORKER, None) == (
        "Held by the police: ask the police public protection unit")
    only_number = Held({}, "", "0161 496 0611")
    assert police_arrest(SOCIAL_WORKER, only_number).endswith(
        "ask the police public protection unit (0161 496 0611)")


@pytest.mark.parametrize("sent", ["rape of Kayleigh", "GBH", "", "violence; see notes"])
def test_a_category_off_the_closed_list_is_never_shown(sent: str) -> None:
    words = police_arrest(SOCIAL_WORKER, Held({"offence_group": sent}))
    assert words == "Held by the police: ask the police public protection unit"


def test_every_offence_group_reads_as_words() -> None:
    for code, words in OFFENCE_GROUPS.items():
        assert police_arrest(HEALTH_VISITOR, Held({"offence_group": code.upper()})) \
            .startswith(f"Arrest: {words}. ")


def test_mappa_level_and_category() -> None:
    seen = sight(HEALTH_VISITOR, "PROB", "PROBATION", "MAPPA_LEVEL", (FATHER, None),
                 Held({"level": 2, "category": "1"}, "Gareth Okafor", ""))
    assert seen.text("Managed at level 2") == (
        "MAPPA level 2, category 1 (registered sexual offender). Held by probation: ask "
        "Gareth Okafor, or the probation officer")
    odd = sight(HEALTH_VISITOR, "PROB", "PROBATION", "MAPPA_LEVEL", (FATHER, None),
                Held({"level": 7, "category": "x"}))
    assert odd.text("") == "Held by probation: ask the probation officer"


def test_the_full_entry_is_unchanged_for_the_holding_agency() -> None:
    police = Reader("POLICE", "POLICE", CHILD)
    assert police_arrest(police, OFFICER) == "Arrested on suspicion of GBH to the baby"


def test_headlines_that_keep_someone_safe_name_no_worker_and_no_category() -> None:
    # the perpetrator's probation reading the police's entry about the mother
    about_her = police_arrest(FATHERS_PROBATION, OFFICER, about=MOTHER)
    assert about_her == PROTECTED_REPLACEMENT
    refuge = sight(HEALTH_VISITOR, "REFUGE", "REFUGE", "ADDRESS_CHANGE", (MOTHER, None),
                   Held({}, "Refuge keyworker Ann", "0161 496 0999"))
    assert refuge.text("Moved to a flat") == VICTIM_SUPPORT_REPLACEMENT
