"""The guard against Baby S's real family, from the demo scenario's agency files: every
family member's names, dates of birth, NHS numbers, postcodes and address lines, written
in random forms (separators, case, spacing, plural and possessive endings, glued digits
or other names, zero-width characters, soft hyphens, non-breaking spaces, fullwidth
letters and digits), are each caught and quoted as written; ordinary briefing prose gives
no false alarm.

Pure: the identifiers are read from the scenario's people.csv files, no database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.briefings.deidentify import COMMON_WORDS, find_problems, written_forms
from joinedup.briefings.family_identifiers import Identifiers, address_lines, name_words

PSEUDONYM = "Baby S"
INCIDENT = dt.date(2025, 5, 14)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)
"""Derandomised: the same examples every run, quick and stable."""

ROLES = {"child": "the child's", "mother": "the mother's", "father": "the father's"}


@dataclass(frozen=True)
class Member:
    """One agency's record of one person."""

    whose: str
    given_name: str
    family_name: str
    other_names: tuple[str, ...]
    born: dt.date | None
    nhs_number: str
    postcode: str
    address: str


def scenario_records() -> list[Member]:
    """Every person record of every agency in the Baby S scenario."""
    scenario = resources.files("joinedup.demo").joinpath("scenario")
    cast = {row["person_id"]: ROLES[row["role"]] for row in csv.DictReader(
        io.StringIO(scenario.joinpath("cast.csv").read_text("utf-8")))}
    members = []
    for folder in sorted(scenario.iterdir(), key=lambda f: f.name):
        people = folder.joinpath("people.csv")
        if not people.is_file():
            continue
        for row in csv.DictReader(io.StringIO(people.read_text("utf-8"))):
            members.append(Member(
                cast.get(row["person_id"], "a relative's"), row["given_name"],
                row["family_name"], tuple(o for o in row["other_names"].split(";") if o),
                dt.date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None,
                row["nhs_number"], row["postcode"], row["address"]))
    return members


RECORDS = scenario_records()
FAMILY = Identifiers()
for _m in RECORDS:
    FAMILY.add_person(_m.whose, given_name=_m.given_name, family_name=_m.family_name,
                      other_names=_m.other_names, date_of_birth=_m.born,
                      nhs_number=_m.nhs_number, postcode=_m.postcode, address=_m.address)

NAMES = sorted({word for m in RECORDS for name in (m.given_name, m.family_name, *m.other_names)
                for word in name_words(name)}, key=str.lower)
BIRTHDAYS = sorted({m.born for m in RECORDS if m.born})
NHS_NUMBERS = sorted({m.nhs_number for m in RECORDS if m.nhs_number})
POSTCODES = sorted({m.postcode for m in RECORDS if m.postcode})
ADDRESS_LINES = sorted({line for m in RECORDS for line in address_lines(m.address)})


def test_the_scenario_holds_baby_s_family() -> None:
    assert {"Kayleigh", "Ashworth", "Brennan", "Danny", "Kerrigan", "Sienna"} <= set(NAMES)
    assert dt.date(2003, 11, 3) in BIRTHDAYS and dt.date(1995, 6, 14) in BIRTHDAYS
    assert "9994123785" in NHS_NUMBERS and "SK5 8PB" in POSTCODES
    assert "27 alder rise" in ADDRESS_LINES


# -- writing an identifier in random forms ----------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SPACES = [" ", "\u00a0", "\u202f", "\u2007", "\u3000"]
SEPARATORS = ["", " ", "-", ".", "/", "_", "  ", " - ", "\u00a0", "\u202f", "\u2007",
              "\u2013", ":"]
DATE_SEPARATORS = [" ", "-", "/", ".", "_", "\\", " - ", " / ", "\u00a0", "\u2013"]
FRAMES = ["{} ", "({})", "{}.", "{},", "{};"]


@st.composite
def disguised(draw: st.DrawFn, text: str) -> str:
    """``text`` as a paste from elsewhere might hold it: any space a non-breaking or
    ideographic one, any character fullwidth, invisible characters anywhere inside."""
    chars = []
    for char in text:
        if char == " ":
            char = draw(st.sampled_from(SPACES))
        elif "!" <= char <= "~" and draw(st.integers(0, 3)) == 0:
            char = chr(ord(char) + 0xFEE0)  # NFKC reads it back as the ASCII character
        chars.append(char)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, max(1, len(chars) - 1)))
        chars.insert(at, draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


@st.composite
def any_case(draw: st.DrawFn, text: str, capital: bool = False) -> str:
    style = draw(st.sampled_from(["lower", "upper", "title", "mixed"]))
    if style == "mixed":
        text = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    else:
        text = getattr(text, style)()
    return text[:1].upper() + text[1:] if capital else text


@st.composite
def name_written(draw: st.DrawFn, name: str) -> str:
    written = draw(any_case(name, capital=name.lower() in COMMON_WORDS))
    sibilant = name.lower().endswith(("s", "x", "z", "ch", "sh"))
    ending = draw(st.sampled_from(["", "s", "'s", "s'", "\u2019s", "'", "2", "07"]
                                  + (["es", "es'"] if sibilant else [])))
    before = draw(st.sampled_from(["", "", "2", "17"]))
    if name.lower() not in COMMON_WORDS and draw(st.integers(0, 3)) == 0:
        # run together with another name, as in an email address or a user name
        other = draw(st.sampled_from([n for n in NAMES if n.lower() not in COMMON_WORDS]))
        before, ending = draw(st.sampled_from(["", other])), draw(st.sampled_from(["", other]))
    return draw(disguised(before + written + ending))


@st.composite
def date_written(draw: st.DrawFn, day: dt.date) -> str:
    """A date in any order, with the month as a number or a word, any separator."""
    if draw(st.integers(0, 3)) == 0:
        form = draw(st.sampled_from(written_forms(day)))
    else:
        order = draw(st.sampled_from(["dmy", "mdy", "ymd"]))
        words = draw(st.booleans())
        if words:
            month = draw(st.sampled_from([day.strftime("%B"), day.strftime("%b")]))
            month = draw(any_case(month))
            days = [str(day.day), f"{day.day:02d}"]
            if order != "ymd":
                days.append(written_forms(day)[15].split()[0])  # "3rd"
            separator = draw(st.sampled_from(DATE_SEPARATORS + ([""] if order != "mdy" else [])))
        else:
            month = draw(st.sampled_from([str(day.month), f"{day.month:02d}"]))
            days = [str(day.day), f"{day.day:02d}"]
            separator = draw(st.sampled_from(DATE_SEPARATORS))
        years = [str(day.year)] if order == "ymd" else [str(day.year), f"{day.year % 100:02d}"]
        d, y = draw(st.sampled_from(days)), draw(st.sampled_from(years))
        parts = {"dmy": (d, month, y), "mdy": (month, d, y), "ymd": (y, month, d)}[order]
        form = separator.join(parts)
        if draw(st.integers(0, 5)) == 0:  # and the numbers run together
            form = draw(st.sampled_from([f"{day.day:02d}{day.month:02d}{day.year}",
                                         f"{day.year}{day.month:02d}{day.day:02d}",
                                         f"{day.day:02d}{day.month:02d}{day.year % 100:02d}"]))
    return draw(disguised(draw(any_case(form))))


@st.composite
def nhs_written(draw: st.DrawFn, number: str) -> str:
    if draw(st.booleans()):
        first, second = draw(st.sampled_from(SEPARATORS)), draw(st.sampled_from(SEPARATORS))
        written = f"{number[:3]}{first}{number[3:6]}{second}{number[6:]}"
    else:
        written = draw(st.sampled_from(SEPARATORS)).join(number)
    return draw(disguised(written))


@st.composite
def postcode_written(draw: st.DrawFn, postcode: str) -> str:
    outward, inward = postcode.split()
    written = draw(any_case(outward)) + draw(st.sampled_from(SEPARATORS)) + draw(any_case(inward))
    return draw(disguised(written))


@st.composite
def address_written(draw: st.DrawFn, line: str) -> str:
    separator = st.sampled_from([" ", "  ", "\u00a0", "-", ", ", "_"])
    words = line.split()
    written = words[0] + "".join(draw(separator) + word for word in words[1:])
    return draw(disguised(draw(any_case(written))))


# -- the guard catches every one --------------------------------------------------------

PROSE = ["The health visitor saw the family", "appointments were missed",
         "the case was stepped down", "agencies did not share what they knew",
         "the mother moved between areas", "the father was released from prison"]


def assert_each_caught(data: st.DataObject, values: Sequence[Any],
                       written_as: Callable[[Any], st.SearchStrategy[str]], kind: str) -> None:
    """Every value, written in a random form, in one briefing passage: each is caught,
    quoted as written, and nothing else is reported."""
    tokens = [data.draw(written_as(value)) for value in values]
    sentences = [f"{data.draw(st.sampled_from(PROSE))} "
                 f"{data.draw(st.sampled_from(FRAMES)).format(token)} and so on."
                 for token in tokens]
    problems = find_problems([("part 3", " ".join(sentences))], FAMILY, PSEUDONYM)
    for value, token in zip(values, tokens, strict=True):
        assert any(p.found in token and kind in p.why for p in problems), (value, token,
                                                                           problems)
    for problem in problems:
        assert any(problem.found in token for token in tokens), problem


@SETTINGS
@given(data=st.data())
def test_every_family_name_is_caught_however_written(data: st.DataObject) -> None:
    assert_each_caught(data, NAMES, name_written, "name")


@SETTINGS
@given(data=st.data())
def test_every_date_of_birth_is_caught_however_written(data: st.DataObject) -> None:
    assert_each_caught(data, BIRTHDAYS, date_written, "date of birth, written as")


@SETTINGS
@given(data=st.data())
def test_every_nhs_number_is_caught_however_written(data: st.DataObject) -> None:
    assert_each_caught(data, NHS_NUMBERS, nhs_written, "NHS number")


@SETTINGS
@given(data=st.data())
def test_every_postcode_is_caught_however_written(data: st.DataObject) -> None:
    assert_each_caught(data, POSTCODES, postcode_written, "postcode")


@SETTINGS
@given(data=st.data())
def test_every_address_line_is_caught_however_written(data: st.DataObject) -> None:
    assert_each_caught(data, ADDRESS_LINES, address_written, "address")


# -- and ordinary prose passes ----------------------------------------------------------

ORDINARY = [
    "Baby S was known to children's services before her birth",
    "At 9 months old Baby S was taken to hospital with a fracture to her arm",
    "A healing rib fracture was thought to have been caused up to 6 weeks before",
    "When Baby S was 6 months old her mother asked for the father to be assessed",
    "His licence expired a month before the incident in May 2025",
    "In March 2024 the mother moved from another area into a refuge",
    "Between 2019 and 2024 the father was known to 3 agencies",
    "The mother, then aged 20, told her health visitor she was frightened",
    "The panel met twice, on a Tuesday at 10:30 and a Friday at 14:00",
    "2 of the 11 planned visits were missed in 2025",
    "The Freedom Programme ran for 12 weeks",
    "Young parents may need more help; there is hope when agencies talk",
    "A dance class, a kayak club and a Danish tutor were mentioned",
    "Baby S's mother had experienced childhood trauma",
    "Learning circles will be held in September and October",
    "Call the partnership on 0161 474 4000 for the full report (ref 12/345)",
]


@SETTINGS
@given(sentences=st.lists(st.sampled_from(ORDINARY), min_size=1, max_size=12))
def test_ordinary_briefing_prose_gives_no_false_alarm(sentences: list[str]) -> None:
    passages = [(f"part {i}", ". ".join(sentences[:i]) + ".")
                for i in range(1, len(sentences) + 1)]
    assert find_problems(passages, FAMILY, PSEUDONYM, INCIDENT) == []
