"""The de-identification guard on plain text: every written form of every identifier is
caught, and a clean briefing passes (property tests with generated names and dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from joinedup.briefings.deidentify import (
    COMMON_WORDS,
    date_mentions,
    find_problems,
    written_forms,
)
from joinedup.briefings.family_identifiers import (
    Identifiers,
    address_lines,
    is_valid_nhs_number,
    name_words,
)

CLEAN_WORDS = ("the baby was seen by the health visitor who noted that the mother seemed "
               "isolated and tired after the move between areas and the team around the "
               "child met to agree a plan but the case was stepped down too soon and "
               "appointments were missed while the father returned from prison").split()
"""Everyday briefing words: none is a generated name (names are checked against them)."""

PSEUDONYM = "Baby S"
DOB = dt.date(2003, 11, 3)
INCIDENT = dt.date(2025, 5, 12)


def family() -> Identifiers:
    found = Identifiers()
    found.add_person("the mother's", given_name="Kayleigh", family_name="Ashworth",
                     other_names=["Brennan", "Kay"], date_of_birth=DOB,
                     nhs_number="9994123785", postcode="SK5 8PB",
                     address="Flat 3, 27 Alder Rise, Brinnington, Stockport")
    found.add_person("the child's", given_name="Sienna", family_name="Ashworth",
                     date_of_birth=dt.date(2024, 8, 9))
    found.add_person("the father's", given_name="Daniel", family_name="Kerrigan",
                     other_names=["Dan Kerrigan", "Danny K"], date_of_birth=dt.date(1995, 6, 14),
                     postcode="SK4 2HP", address="12 Wren Lane, Heaton Norris, Stockport")
    return found


words = st.lists(st.sampled_from(CLEAN_WORDS), min_size=0, max_size=25).map(" ".join)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12).filter(
    lambda n: n not in CLEAN_WORDS and n not in COMMON_WORDS and n not in {"baby"}
    and not any(n in w for w in ("st", "nd", "rd", "th", "of")))
dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2035, 12, 31))


def check(text: str, found: Identifiers | None = None,
          incident: dt.date | None = None) -> list[str]:
    return [p.why for p in find_problems([("part 1", text)], found or family(), PSEUDONYM,
                                         incident)]


# -- names ------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(before=words, after=words, name=names, role=st.sampled_from(["given", "family", "alias"]),
       case=st.sampled_from([str.lower, str.upper, str.title]),
       suffix=st.sampled_from(["", "'s", "\u2019s", ",", "."]))
def test_a_generated_name_is_caught_in_any_case(before: str, after: str, name: str,
                                                role: str, case: object, suffix: str) -> None:
    found = Identifiers()
    found.add_person("the mother's", **{"given": {"given_name": name.title()},
                                        "family": {"family_name": name.title()},
                                        "alias": {"other_names": [f"X {name.title()}"]}}[role])
    written = case(name) + suffix  # type: ignore[operator]
    reasons = check(f"{before} {written} {after}", found)
    label = {"given": "given name", "family": "family name", "alias": "other name"}[role]
    assert reasons == [f"the mother's {label}"]


def test_the_familys_real_names_are_caught_with_who_they_belong_to() -> None:
    text = ("Kayleigh moved from Manchester. DANNY's licence ended. kerrigan was known to "
            "probation. The Ashworth family; Kay said she was tired.")
    assert check(text) == [
        "the mother's given name", "the father's other name", "the father's family name",
        "the mother's and the child's family name", "the mother's other name"]


FULLWIDTH_KAYLEIGH = "".join(chr(ord(c) + 0xFEE0) for c in "Kayleigh")


@pytest.mark.parametrize(("written", "found", "why"), [
    ("the Kerrigans", "Kerrigans", "the father's family name"),
    ("Ashworths", "Ashworths", "the mother's and the child's family name"),
    ("the Kerrigans' flat", "Kerrigans", "the father's family name"),
    ("Ashworth's", "Ashworth", "the mother's and the child's family name"),
    ("Ashworth\u2019s", "Ashworth", "the mother's and the child's family name"),
    ("Kayleigh2", "Kayleigh", "the mother's given name"),
    ("2Kayleigh", "Kayleigh", "the mother's given name"),
    ("user_kayleigh_2", "kayleigh", "the mother's given name"),
    ("Kay\u200bleigh", "Kay\u200bleigh", "the mother's given name"),
    ("Kay\u00adleigh", "Kay\u00adleigh", "the mother's given name"),
    (FULLWIDTH_KAYLEIGH, FULLWIDTH_KAYLEIGH, "the mother's given name"),
    ("Sie\u0301nna", "Sie\u0301nna", "the child's given name"),
])
def test_names_are_caught_with_endings_digits_and_disguises(written: str, found: str,
                                                             why: str) -> None:
    [problem] = find_problems([("part 2", f"We spoke about {written} today.")], family(),
                              PSEUDONYM)
    assert (problem.found, problem.why) == (found, why)


def test_names_inside_longer_words_are_not_caught() -> None:
    found = Identifiers()
    found.add_person("the father's", given_name="Dan", family_name="Marsh",
                     other_names=["Tim"])
    assert check("A dance class; Danish pastries; three times a week; the marshes.",
                 found) == []
    assert check("the Dans, Marshes and Tims", found) == [
        "the father's given name", "the father's family name", "the father's other name"]


def test_names_run_together_are_caught() -> None:
    [problem] = find_problems([("part 2", "Her address was kayleighashworth@example.org.")],
                              family(), PSEUDONYM)
    assert problem.found == "kayleighashworth"
    assert problem.why == "the mother's given name; the mother's and the child's family name"
    assert check("DannyKerrigans") == ["the father's family name"]
    found = Identifiers()
    found.add_person("the mother's", given_name="Rose", family_name="Wood")
    assert check("a rosewood table", found) == []


def test_short_names_and_the_pseudonym_are_allowed() -> None:
    found = Identifiers()
    found.add_person("the child's", given_name="S", family_name="Al")
    assert name_words("Jo Ann-Marie O'Neill") == ["Ann-Marie", "Ann", "Marie", "O'Neill",
                                                  "Neill"]
    assert check("Baby S was nine months old. Al and S were there.", found) == []
    # ... but not a pseudonym that is itself a family name
    assert [p.where for p in find_problems([("part 1", "x")], family(), "Baby Ashworth")] == [
        "pseudonym"]


def test_names_that_are_everyday_words_only_count_with_a_capital() -> None:
    found = Identifiers()
    found.add_person("the mother's", given_name="Hope", family_name="Young")
    assert check("There is hope for young parents.", found) == []
    assert check("The youngs of other species.", found) == []
    assert check("The Youngs moved.", found) == ["the mother's family name"]
    assert check("Young was known to the police; Hope moved.", found) == [
        "the mother's family name", "the mother's given name"]


# -- dates ------------------------------------------------------------------------------

def test_every_form_the_brief_lists_is_known() -> None:
    forms = written_forms(dt.date(2024, 3, 3))
    for form in ("2024-03-03", "03/03/2024", "3/3/24", "03/03/24", "3 March 2024",
                 "3rd March 2024", "March 3rd 2024", "3 Mar 2024"):
        assert form in forms
    forms = written_forms(dt.date(1995, 6, 14))
    for form in ("14-Jun-1995", "14Jun1995", "14JUN95", "14-June-1995", "14.Jun.95",
                 "Jun-14-1995", "14/Jun/1995", "14 JUN 1995", "1995-Jun-14", "14061995",
                 "19950614"):
        assert form in forms


@pytest.mark.parametrize("written", [
    "14-Jun-1995", "14Jun1995", "14-June-1995", "14.Jun.95", "Jun-14-1995", "14/Jun/1995",
    "14 JUN 1995", "1995-Jun-14", "14JUN95", "14jun95", "14 - Jun - 1995", "14_Jun_1995",
    "14\u2013Jun\u20131995", "14\u00a0Jun\u00a01995", "14th-Jun-95", "1995 June 14",
    "14 06 1995", "14.06.95", "14\\06\\1995", "14061995", "19950614", "140695",
    "\uff11\uff14/06/1995", "14\u200b/06/1995", "June 14, '95",
])
def test_the_fathers_date_of_birth_is_caught_in_clinical_forms(written: str) -> None:
    [problem] = find_problems([("part 3", f"Born {written}, he was known.")], family(),
                              PSEUDONYM)
    assert problem.found == written
    assert problem.why == f"the father's date of birth, written as {written}"


@settings(max_examples=200, deadline=None)
@given(before=words, after=words, born=dates, data=st.data())
def test_a_date_of_birth_is_caught_in_every_written_form(before: str, after: str,
                                                         born: dt.date, data: st.DataObject
                                                         ) -> None:
    found = Identifiers()
    found.add_person("the father's", family_name="Zzyzx", date_of_birth=born)
    for form in written_forms(born):
        mention = data.draw(st.sampled_from([form, form.upper(), form.lower()]))
        reasons = check(f"{before} ({mention}) {after}", found)
        assert len(reasons) == 1, (mention, reasons)
        assert reasons[0].startswith("the father's date of birth, written as ")


@settings(max_examples=100, deadline=None)
@given(before=words, after=words, day=dates)
def test_the_incident_date_is_caught_only_when_the_policy_blocks_it(
        before: str, after: str, day: dt.date) -> None:
    for form in written_forms(day):
        text = f"{before} on {form} {after}"
        assert check(text, Identifiers(), incident=day) == [
            f"the date of the incident, written as {form}"]
        assert check(text, Identifiers(), incident=None) == []


@settings(max_examples=150, deadline=None)
@given(before=words, after=words, day=dates)
def test_other_dates_months_and_ages_pass(before: str, after: str, day: dt.date) -> None:
    sensitive = [DOB, dt.date(2024, 8, 9), dt.date(1995, 6, 14), INCIDENT]
    assume(all({(day.month, day.day), (day.day, day.month)}.isdisjoint(
        {(s.month, s.day), (s.day, s.month)}) for s in sensitive))
    text = (f"{before} {written_forms(day)[7]} and {written_forms(day)[1]}; in November 2003 "
            f"Baby S was 9 months old. {after}")
    assert check(text, incident=INCIDENT) == []


def test_numbers_that_are_not_dates_are_not_read_as_dates() -> None:
    assert list(date_mentions("version 1.2.3, 45/67/89, 2024-13-45, 31 February 2024")) == []


# -- NHS numbers, postcodes, addresses --------------------------------------------------

SEPARATORS = ["", " ", "-", ".", "/", "_", "  ", " - ", "\u00a0", "\u202f", "\u2007",
              "\u2013", ":"]
"""Written between the parts of an NHS number or a postcode: the guard ignores every one."""


@settings(max_examples=100, deadline=None)
@given(before=words, after=words, first=st.sampled_from(SEPARATORS),
       second=st.sampled_from(SEPARATORS))
def test_an_nhs_number_is_caught_with_any_separator(before: str, after: str, first: str,
                                                    second: str) -> None:
    written = f"999{first}412{second}3785"
    assert check(f"{before} NHS {written} {after}") == ["the mother's NHS number"]


def test_an_nhs_number_is_caught_with_its_digits_spaced_out() -> None:
    for written in ("9 9 9 4 1 2 3 7 8 5", "99-94-12-37-85", "\uff19\uff19\uff19 412 3785"):
        [problem] = find_problems([("part 1", f"NHS {written}.")], family(), PSEUDONYM)
        assert (problem.found, problem.why) == (written, "the mother's NHS number")


def test_any_number_that_passes_the_nhs_check_digit_is_caught() -> None:
    assert is_valid_nhs_number("9434765919") and not is_valid_nhs_number("9434765918")
    assert check("reference 943 476 5919") == ["a number that looks like an NHS number"]
    assert check("reference 943.476.5919") == ["a number that looks like an NHS number"]
    assert check("reference 943_476_5919") == ["a number that looks like an NHS number"]
    assert check("reference 943 476 5918, phone 0161 474 4000") == []


@settings(max_examples=100, deadline=None)
@given(before=words, after=words, separator=st.sampled_from(SEPARATORS),
       outward=st.sampled_from(["SK5", "sk5", "Sk5"]), inward=st.sampled_from(["8PB", "8pb"]))
def test_a_postcode_is_caught_with_any_separator_in_any_case(before: str, after: str,
                                                             separator: str, outward: str,
                                                             inward: str) -> None:
    assert check(f"{before} {outward}{separator}{inward} {after}") == ["the mother's postcode"]


def test_address_lines_are_caught_but_not_the_town() -> None:
    assert address_lines("Flat 3, 27 Alder Rise, Brinnington, Stockport") == [
        "27 alder rise", "alder rise", "brinnington"]
    assert check("She lived at 27 Alder Rise.") == ["part of the mother's address"]
    assert check("a flat on alder  rise in Brinnington") == [
        "part of the mother's address", "part of the mother's address"]
    assert check("He moved to Heaton Norris") == ["part of the father's address"]
    assert check("A refuge in Stockport; SK5 is the area.") == []


# -- a clean briefing -------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(words, min_size=1, max_size=9))
def test_a_clean_briefing_passes(paragraphs: list[str]) -> None:
    passages = [(f"part {i}", f"{PSEUDONYM}'s {text}. {PSEUDONYM} was nine months old.")
                for i, text in enumerate(paragraphs, 1)]
    assert find_problems(passages, family(), PSEUDONYM, INCIDENT) == []


def test_ordinary_prose_with_numbers_months_and_ages_passes() -> None:
    text = ("In March 2024, at 9 months old, Baby S was seen 3 times in 6 weeks; between "
            "2019 and 2025 the mother moved 4 times. The meeting on Tuesday at 10:30 heard "
            "that 2 of the 11 visits were missed (phone 0161 474 4000, ref 12/345). The "
            "Freedom Programme ran for 12 weeks in 2025. A dance class, a kayak trip and a "
            "danish pastry were mentioned; young parents may need more help.")
    assert check(text, incident=INCIDENT) == []


def test_each_problem_says_where_what_and_why() -> None:
    [problem] = find_problems([("part 4", "The mother, born 03/11/03, felt alone.")],
                              family(), PSEUDONYM)
    assert problem.where == "part 4" and problem.found == "03/11/03"
    assert problem.why == "the mother's date of birth, written as 03/11/03"
    assert "born 03/11/03, felt" in problem.snippet
    assert str(problem).startswith("part 4: the mother's date of birth")


def test_a_problem_quotes_the_passage_as_written_at_its_place() -> None:
    text = ("The health visitor called twice.\u200b Then \uff2b\uff41\uff59\u00adleigh\u2019s "
            "flat at SK5\u00a08PB was empty; her sister said she had gone.")
    name, postcode = find_problems([("part 6", text)], family(), PSEUDONYM)
    assert name.found == "\uff2b\uff41\uff59\u00adleigh"
    assert ("called twice.\u200b Then \uff2b\uff41\uff59\u00adleigh\u2019s flat at SK5 8PB "
            "was empty;\u2026") in name.snippet
    assert postcode.found == "SK5\u00a08PB"
    assert text.index(postcode.found) == text.index("SK5")
