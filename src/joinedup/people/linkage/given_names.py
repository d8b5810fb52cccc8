"""Whether two records' given names may be of two children, for the twins rules
(``births.py``, ``home_twins.py``).

Two given names are one name written two ways when one is a nickname, a slip, another
spelling or a romanisation of the other (:func:`given_names_differ`). A valid NHS number is
one child's (the consistent identifier), so a record holding one is known by every name
written on the records with that number (:func:`names_by_number`): where a GP writes
"David" and a hospital "Wei" with one NHS number, a third record of "Wei" with none is that
child, not a twin called Wei; a twin called Jian is still two children with both
(:func:`names_differ`). The twins rules use these names only where one of the two records
holds no number, and a number written with more than :data:`MANY_NAMES` given names adds
none. And where one child's full name is written the other way round on the other record
("Wu Wei" and "Wei Wu"), the two are one child (:func:`other_way_round`): twins do not
swap names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from os.path import commonprefix

from joinedup.people.linkage.features import family_std, given_root, given_std
from joinedup.people.linkage.near_names import near_root
from joinedup.people.linkage.nicknames import ROOTS
from joinedup.people.linkage.spelling import pinyin, slips

Name = tuple[str | None, str | None, str | None]
"""A name as compared: the given name normalised (``features.given_std``), its root
(``features.given_root``) and the family name normalised (``features.family_std``)."""
Names = Mapping[str, Iterable[Name]]
"""The names written on the records of each valid NHS number (:func:`names_by_number`)."""
NO_NAMES: Names = {}


MANY_NAMES = 5
"""A number written with more given names than this is not one child's (a default or test
number on many people's records): it adds no names to any record."""


def names_by_number(rows: Iterable[tuple[str | None, Name]]) -> dict[str, list[Name]]:
    """From (valid NHS number, name) of records: each number's names, in order, each once
    (a record with no number adds nothing, nor a number with :data:`MANY_NAMES`)."""
    found: dict[str, list[Name]] = {}
    for number, name in rows:
        if number and name not in found.setdefault(number, []):
            found[number].append(name)
    return {number: known for number, known in found.items()
            if len({given for given, _, _ in known if given}) <= MANY_NAMES}


@lru_cache(maxsize=100_000)
def name_of(given_name: str | None, family_name: str | None) -> Name:
    """A name as written, as compared (:data:`Name`)."""
    given = given_std(given_name)
    return given, given_root(given_name) if given else None, family_std(family_name)


def known_as(own: Name, number: str | None, names: Names = NO_NAMES) -> list[Name]:
    """The names a record's child is known by: its own and, where it holds a valid NHS
    number, every name written with that number."""
    known = [own]
    for name in names.get(number, ()) if number else ():
        if name not in known:
            known.append(name)
    return known


def names_differ(first: list[Name], second: list[Name]) -> bool:
    """Whether no given name one child is known by is one name with any the other is known
    by (:func:`given_names_differ`). A child known by no given name differs from none."""
    given_a = [name for name in first if name[0]] or [(None, None, None)]
    given_b = [name for name in second if name[0]] or [(None, None, None)]
    return all(given_names_differ(x, root_x, y, root_y)
               for x, root_x, _ in given_a for y, root_y, _ in given_b)


def same_given_name(first: list[Name], second: list[Name]) -> bool:
    """Whether the two children are known by one given name written the same way."""
    return any(x and x == y for x, _, _ in first for y, _, _ in second)


def other_way_round(first: list[Name], second: list[Name]) -> bool:
    """One child's full name written the other way round on the other record: "Wu Wei"
    and "Wei Wu" (the given name of each the family name of the other). One of the two
    names may be written another way, as a given name may be ("Wahng Xiaoling" and
    "Xiaoling Wang", "Leeu Xiaoling" and "Xiaoling Liu"); the other is the same."""
    return any(_crossed(given, family, other_given, other_family)
               for given, _, family in first for other_given, _, other_family in second)


def _crossed(given: str | None, family: str | None, other_given: str | None,
             other_family: str | None) -> bool:
    if not (given and family and other_given and other_family):
        return False
    if family == other_given:
        return given == other_family or _one_name(given, other_family)
    return given == other_family and _one_name(family, other_given)


def _one_name(first: str, second: str) -> bool:
    return not given_names_differ(first, given_root(first), second, given_root(second))


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
      and their long endings differ (:func:`_different_endings`: Olumide and Oluwaseun),
      or both are forms the nickname table knows, of different roots (Muhammad and
      Mustafa: alike is for a form the table lacks, such as a slip or a spelling by
      sound)."""
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
    if _different_endings(first, second) or (first in ROOTS and second in ROOTS):
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
