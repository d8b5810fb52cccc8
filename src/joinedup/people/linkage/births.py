"""Links that follow a family's relationships: an unborn baby's record and the child born,
and children born the same day to the same mother (possible twins).

The model compares two records field by field; some pairs it cannot judge that way:

- **Unborn to born.** A record made before birth has no date of birth and often no given
  name, so the model never links it to the child's later records. It is linked when all of
  these hold (:func:`unborn_check`):

  1. it and the child are children of the same mother *person* (her records may be
     spelled differently at each agency; linkage has already found her as one person);
  2. its expected date of birth is within :data:`WINDOW_DAYS` (8 weeks) of the child's date
     of birth;
  3. its family name, if it has one, is a family name of the mother, the father or the child
     (any of their records, former names included);
  4. the sex, where both records know it (M or F), is the same;
  5. no other child of that mother fits as well (twins born: a person decides).

- **Possible twins.** Two records with the same date of birth whose persons have the same
  mother, and different NHS numbers, or (where one record has no NHS number) given names
  that are not one name written two ways (a nickname, a slip, another spelling or "Baby"
  is not a different name), may be twins (:func:`twins_check`). The same NHS number on
  both says one child. They are never joined automatically, whatever the model's score:
  only a data steward may confirm them as one child.

Everything here works on plain values; ``people/family_links.py`` reads them from the
database. Persons are given as keys: during a run the groups being formed, on a page the
person ids.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from os.path import commonprefix

from joinedup.people.linkage.features import family_std, given_root, given_std, nhs_number
from joinedup.people.linkage.near_names import near_root
from joinedup.people.linkage.spelling import pinyin, slips

WINDOW_DAYS = 56
"""How far (in days) an expected date of birth may be from the date of birth: 8 weeks."""

Surnames = Callable[[int], frozenset[str]]
"""A person's family names (normalised, former names included)."""


@dataclass(frozen=True)
class BirthRecord:
    """What the family step reads of one person record."""

    record: int
    person: int
    born: dt.date | None
    expected: dt.date | None = None
    given_name: str = ""
    family_name: str = ""
    nhs_number: str = ""
    sex: str = ""

    @property
    def unborn(self) -> bool:
        """A record of a baby before birth: no date of birth, an expected date."""
        return self.born is None and self.expected is not None


@dataclass(frozen=True)
class Step:
    holds: bool
    text: str


@dataclass(frozen=True)
class UnbornCheck:
    """The steps that link (or do not link) an unborn record to a born child."""

    unborn: int
    child_person: int
    born_record: int | None  # the child's record the link is made to
    steps: tuple[Step, ...]

    @property
    def holds(self) -> bool:
        return bool(self.steps) and all(step.holds for step in self.steps)


@dataclass(frozen=True)
class PossibleTwins:
    a: int
    b: int
    mother: int | None  # None: found at one home, with no mother recorded (home_twins.py)
    born: dt.date
    why: str  # "different NHS numbers", "different given names (Amelia and Isla)"

    @property
    def warning(self) -> str:
        whose = (f"to the same mother (person {self.mother})" if self.mother is not None
                 else "and living at one home, with one family name")
        return (f"Possible twins: both born {day(self.born)} {whose}, with {self.why}. "
                "Twins are never joined automatically: check with the agencies before "
                "deciding these are one child.")


def day(value: dt.date) -> str:
    """``3 March 2025``."""
    return f"{value.day} {value:%B %Y}"


def _apart(days: int) -> str:
    if days == 0:
        return "the same day"
    return f"{days} day{'s' if days != 1 else ''} apart"


def date_of_birth(records: Iterable[BirthRecord]) -> tuple[dt.date, int] | None:
    """A person's date of birth (the one most of their records give; the earlier on a tie)
    and the first record giving it."""
    born = [(r.born, r.record) for r in records if r.born is not None]
    if not born:
        return None
    counts = Counter(b for b, _ in born)
    best = max(counts, key=lambda b: (counts[b], -b.toordinal()))
    return best, min(record for b, record in born if b == best)


def unborn_check(unborn: BirthRecord, child_person: int, child_records: list[BirthRecord],
                 mothers: Mapping[int, frozenset[int]], fathers: Mapping[int, frozenset[int]],
                 surnames: Surnames) -> UnbornCheck:
    """Each step of linking ``unborn`` to the child ``child_person``, held or not."""
    steps: list[Step] = []
    shared = sorted(mothers.get(unborn.person, frozenset())
                    & mothers.get(child_person, frozenset()))
    steps.append(Step(bool(shared), f"same mother (person {shared[0]}) on both records"
                      if shared else "no mother in common on the two records"))
    found = date_of_birth(child_records)
    expected = unborn.expected
    if found is None or expected is None:
        steps.append(Step(False, "no expected date on the unborn record" if expected is None
                          else "no date of birth on the child's records"))
        return UnbornCheck(unborn.record, child_person, None, tuple(steps))
    born, born_record = found
    days = abs((born - expected).days)
    within = "within" if days <= WINDOW_DAYS else "more than"
    steps.append(Step(days <= WINDOW_DAYS, f"expected {day(expected)}, born {day(born)}: "
                      f"{_apart(days)} ({within} 8 weeks)"))
    steps.append(_name_step(unborn, child_person, shared, mothers, fathers, surnames))
    sexes = {r.sex for r in child_records if r.sex in ("M", "F")}
    if unborn.sex in ("M", "F") and sexes and unborn.sex not in sexes:
        steps.append(Step(False, f"recorded as sex {unborn.sex} before birth, "
                                 f"{'/'.join(sorted(sexes))} after"))
    return UnbornCheck(unborn.record, child_person, born_record, tuple(steps))


def _name_step(unborn: BirthRecord, child_person: int, shared: list[int],
               mothers: Mapping[int, frozenset[int]], fathers: Mapping[int, frozenset[int]],
               surnames: Surnames) -> Step:
    name = family_std(unborn.family_name)
    if name is None:
        return Step(True, "no family name on the unborn record")
    father_persons = fathers.get(unborn.person, frozenset()) | fathers.get(
        child_person, frozenset())
    owners = [("the mother's", shared), ("the father's", sorted(father_persons)),
              ("the child's", [child_person])]
    for whose, persons in owners:
        if any(name in surnames(p) for p in persons):
            return Step(True, f"family name {unborn.family_name} is {whose}")
    return Step(False, f"family name {unborn.family_name} is not the mother's, the father's "
                       "or the child's")


def unborn_links(records: Iterable[BirthRecord], mothers: Mapping[int, frozenset[int]],
                 fathers: Mapping[int, frozenset[int]], surnames: Surnames) -> list[UnbornCheck]:
    """Every unborn record that fits exactly one born child of its mother."""
    by_person: dict[int, list[BirthRecord]] = defaultdict(list)
    for record in records:
        by_person[record.person].append(record)
    children: dict[int, set[int]] = defaultdict(set)
    for person, their_mothers in mothers.items():
        if any(r.born is not None for r in by_person.get(person, ())):
            for mother in their_mothers:
                children[mother].add(person)
    links = []
    for person, held in sorted(by_person.items()):
        for unborn in (r for r in held if r.unborn):
            candidates = sorted({c for m in mothers.get(person, ()) for c in children[m]}
                                - {person})
            fits = [check for c in candidates
                    if (check := unborn_check(unborn, c, by_person[c], mothers, fathers,
                                              surnames)).holds]
            if len(fits) == 1:
                links.append(fits[0])
    return links


def twins_check(a: BirthRecord, b: BirthRecord,
                mothers: Mapping[int, frozenset[int]]) -> PossibleTwins | None:
    """Whether two records may be of twins (see the module docstring)."""
    if a.born is None or a.born != b.born:
        return None
    shared = mothers.get(a.person, frozenset()) & mothers.get(b.person, frozenset())
    if not shared:
        return None
    why = _different(a, b)
    if why is None:
        return None
    low, high = sorted((a.record, b.record))
    return PossibleTwins(low, high, min(shared), a.born, why)


@lru_cache(maxsize=100_000)
def _nhs(value: str) -> str | None:
    return nhs_number(value)


@lru_cache(maxsize=100_000)
def _given(value: str) -> tuple[str | None, str | None]:
    """The given name for comparison and its root (None, None for none or "Baby")."""
    std = given_std(value)
    return (std, given_root(value)) if std else (None, None)


def _different(a: BirthRecord, b: BirthRecord) -> str | None:
    nhs_a, nhs_b = _nhs(a.nhs_number), _nhs(b.nhs_number)
    if nhs_a and nhs_b:
        return "different NHS numbers" if nhs_a != nhs_b else None  # the same: one child
    if _names_differ(a.given_name, b.given_name):
        return f"different given names ({a.given_name.strip()} and {b.given_name.strip()})"
    return None


def _names_differ(a: str, b: str) -> bool:
    """Two given names that are not one name written two ways (:func:`given_names_differ`)."""
    (first, root_a), (second, root_b) = _given(a), _given(b)
    return given_names_differ(first, root_a, second, root_b)


ALIKE_ROOTS = 0.9
"""Roots at least this alike (Jaro-Winkler) are one name's forms for a man and a woman
(Aleksandr and Aleksandra, whose "Sasha" the table files under the woman's name); two
children of different sexes are told apart by the sex recorded."""


def given_names_differ(first: str | None, root_a: str | None, second: str | None,
                       root_b: str | None) -> bool:
    """Two given names (already normalised: features.py's ``given_std`` and
    ``given_root``) that are not one name written two ways. They are one name when either
    is missing or only a placeholder ("Baby"), or they are:

    - of the same root (Kate, Katherine), also after one slip in a name the table lacks
      (Tommy, Th0mas: ``near_names.py``), or of roots alike (:data:`ALIKE_ROOTS`), or one
      Chinese name in two romanisations (Hsin, Xin: ``spelling.pinyin``);
    - one slip apart (Ivy, Iy; Ali, Ail), but not short names differing in their first
      letter (:data:`SHORT_NAME`: Lei and Wei are two names), or one inside the other (Nat,
      Natalie; Seun, Oluwaseun);
    - alike: Jaro-Winkler 0.7 or more, and 0.8 or more where the first letters differ
      (Roisin and Rosheen are alike, Amelia and Isla are not), unless they share a start
      and their long endings differ (:func:`_different_endings`: Olumide and Oluwaseun)."""
    if not first or not second or root_a == root_b:
        return False
    if slips(first, second) <= 1:
        return _other_short_name(first, second)
    if (first.startswith(second) or second.startswith(first) or first.endswith(second)
            or second.endswith(first)):
        return False
    near_a = near_root(first) if root_a == first else root_a
    near_b = near_root(second) if root_b == second else root_b
    if near_a == near_b or jaro_winkler(near_a or "", near_b or "") >= ALIKE_ROOTS:
        return False
    if pinyin(first) == pinyin(second):
        return False
    if _different_endings(first, second):
        return True
    alike = jaro_winkler(first, second)
    return alike < 0.7 or (alike < 0.8 and first[0] != second[0])


SHORT_NAME = 4
"""Names of up to this many letters that differ in their first letter alone are two names
(Lei and Wei, Hao and Tao, Mia and Pia), not one name with a slip."""


def _other_short_name(first: str, second: str) -> bool:
    return (len(first) == len(second) <= SHORT_NAME and first[0] != second[0]
            and first[1:] == second[1:])


SHARED_START, ENDING = 3, 4
"""Names sharing their first :data:`SHARED_START` letters or more are compared by what
follows, where both go on for :data:`ENDING` letters or more."""


def _different_endings(first: str, second: str) -> bool:
    """Two names sharing a start whose long endings are three slips or more apart:
    Olumide and Oluwaseun (Jaro-Winkler, which weighs a shared start, calls them alike).
    Not Ibrahim and Ibraheem, nor Sergei and Serhiy, whose endings are short."""
    shared = len(commonprefix((first, second)))
    ends = first[shared:], second[shared:]
    return (shared >= SHARED_START and min(map(len, ends)) >= ENDING
            and slips(*ends) >= 3)


def jaro_winkler(a: str, b: str) -> float:
    """How alike two strings are, from 0 (nothing shared) to 1 (the same)."""
    if a == b:
        return 1.0
    reach = max(len(a), len(b)) // 2 - 1
    used = [False] * len(b)
    matched_a = []
    for i, letter in enumerate(a):
        for j in range(max(0, i - reach), min(len(b), i + reach + 1)):
            if not used[j] and b[j] == letter:
                used[j] = True
                matched_a.append(letter)
                break
    matches = len(matched_a)
    if not matches:
        return 0.0
    matched_b = [letter for j, letter in enumerate(b) if used[j]]
    half_swaps = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - half_swaps) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def possible_twins(records: Iterable[BirthRecord],
                   mothers: Mapping[int, frozenset[int]]) -> list[PossibleTwins]:
    """Every pair of records that may be of twins, ordered by record ids."""
    buckets: dict[tuple[int, dt.date], list[BirthRecord]] = defaultdict(list)
    for record in records:
        if record.born is not None:
            for mother in mothers.get(record.person, ()):
                buckets[(mother, record.born)].append(record)
    found: dict[tuple[int, int], PossibleTwins] = {}
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                twins = twins_check(a, b, mothers)
                if twins is not None:
                    found.setdefault((twins.a, twins.b), twins)
    return [found[pair] for pair in sorted(found)]
