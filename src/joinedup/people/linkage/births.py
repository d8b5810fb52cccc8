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
  both says one child. A record holding a valid NHS number is known by every name written
  with that number, and a full name written the other way round is one child
  (``given_names.py``). They are never joined automatically, whatever the model's score:
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

from joinedup.people.linkage.features import family_std, nhs_number
from joinedup.people.linkage.given_names import (
    NO_NAMES,
    Name,
    Names,
    known_as,
    name_of,
    names_by_number,
    names_differ,
    other_way_round,
)

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


def twins_check(a: BirthRecord, b: BirthRecord, mothers: Mapping[int, frozenset[int]],
                names: Names = NO_NAMES) -> PossibleTwins | None:
    """Whether two records may be of twins (see the module docstring); ``names`` gives the
    names written with each NHS number (:func:`names_of`)."""
    if a.born is None or a.born != b.born:
        return None
    shared = mothers.get(a.person, frozenset()) & mothers.get(b.person, frozenset())
    if not shared:
        return None
    why = _different(a, b, names)
    if why is None:
        return None
    low, high = sorted((a.record, b.record))
    return PossibleTwins(low, high, min(shared), a.born, why)


@lru_cache(maxsize=100_000)
def _nhs(value: str) -> str | None:
    return nhs_number(value)


def _different(a: BirthRecord, b: BirthRecord, names: Names) -> str | None:
    nhs_a, nhs_b = _nhs(a.nhs_number), _nhs(b.nhs_number)
    if nhs_a and nhs_b:
        return "different NHS numbers" if nhs_a != nhs_b else None  # the same: one child
    first, second = known_as(_name(a), nhs_a, names), known_as(_name(b), nhs_b, names)
    if not other_way_round(first, second) and names_differ(first, second):
        return f"different given names ({a.given_name.strip()} and {b.given_name.strip()})"
    return None


def _name(record: BirthRecord) -> Name:
    return name_of(record.given_name, record.family_name)


def names_of(records: Iterable[BirthRecord]) -> dict[str, list[Name]]:
    """The names written with each valid NHS number (``given_names.names_by_number``)."""
    return names_by_number((_nhs(r.nhs_number), _name(r)) for r in records)


def possible_twins(records: Iterable[BirthRecord], mothers: Mapping[int, frozenset[int]],
                   names: Names | None = None) -> list[PossibleTwins]:
    """Every pair of records that may be of twins, ordered by record ids; ``names`` as for
    :func:`twins_check` (by default, the names written with each number among ``records``)."""
    records = list(records)
    names = names_of(records) if names is None else names
    buckets: dict[tuple[int, dt.date], list[BirthRecord]] = defaultdict(list)
    for record in records:
        if record.born is not None:
            for mother in mothers.get(record.person, ()):
                buckets[(mother, record.born)].append(record)
    found: dict[tuple[int, int], PossibleTwins] = {}
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                twins = twins_check(a, b, mothers, names)
                if twins is not None:
                    found.setdefault((twins.a, twins.b), twins)
    return [found[pair] for pair in sorted(found)]
