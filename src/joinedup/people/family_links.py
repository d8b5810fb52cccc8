"""Links that follow relationships, read from the database: the unborn baby's record joined
to the child born, and possible twins kept apart (the rules are ``linkage/births.py``'s, and
``linkage/home_twins.py``'s for twins at one home with no mother recorded).

    cluster()      group records by the model's links and the decisions, then by the family
    explain_family() on a pair's page: each step, and the possible-twins warning
    with_reasons() the review queue's pairs, each with its ``reasons`` (``REASONS``)
    kept_apart()   pairs scored over the threshold that linkage did not join (twins)

An unborn baby's expected date of birth is read from the person record's columns outside
the contract: ``expected_date`` in a people file, ``ExpectedPersonBirthDate`` in a CIN
census (docs/data-contract.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q

from joinedup.people import home_twin_links, namesake_links
from joinedup.people.linkage import ambiguity, clustering, features, home_twins, namesakes
from joinedup.people.linkage.births import (
    BirthRecord,
    PossibleTwins,
    Step,
    UnbornCheck,
    possible_twins,
    twins_check,
    unborn_check,
    unborn_links,
)
from joinedup.people.linkage.clustering import Clustering
from joinedup.people.models import PairScore, PersonRecord, RelationshipRecord

EXPECTED_DATE_KEYS = ("expected_date", "ExpectedPersonBirthDate")
PARENTS = ("MOTHER_OF", "FATHER_OF")

POSSIBLE_TWINS = "possible twins"
UNBORN = "unborn"
PARENT_AND_CHILD = "parent and child"
TWO_NHS_NUMBERS = "two NHS numbers"
KEPT_APART = "kept apart"
REASONS = {
    POSSIBLE_TWINS: "the same date of birth and the same mother, or one home and family "
                    "name, with different given names, sexes or NHS numbers: never joined "
                    "automatically",
    UNBORN: "one record is of a baby before birth (an expected date, no date of birth)",
    PARENT_AND_CHILD: "an agency records one person as the other's mother or father: "
                      "never joined automatically",
    TWO_NHS_NUMBERS: "each record's person holds an NHS number the other's does not, and "
                     "one record has none: it never joins two numbers into one person "
                     "automatically",
    KEPT_APART: "scored as one person, but joining them would also join records that must "
                "stay apart (possible twins, two NHS numbers, or a steward's rejection), or "
                "one record fits two people kept apart equally well: a person decides",
    **namesakes.MEANINGS,
}
"""Reasons this module gives a pair in the review queue (its ``reasons`` set), and what each
means, the namesakes' from ``linkage/namesakes.py``; ``pair_review.py`` adds "conflicting
NHS number" (docs/linkage.md)."""

_FIELDS = ("id", "date_of_birth", "given_name", "family_name", "nhs_number", "sex")


@dataclass(frozen=True)
class Findings:
    links: list[UnbornCheck]  # each holding: the unborn record joins the child
    twins: list[PossibleTwins]


@dataclass
class FamilyEvidence:
    """What the family says about a pair, for the steward's page."""

    steps: list[Step] = field(default_factory=list)  # unborn to born, each step
    linked: bool = False  # every step holds: the records are linked through the family
    twins: PossibleTwins | None = None


def expected_date(extra: Mapping[str, Any] | None) -> dt.date | None:
    """The expected date of birth kept with a record, if it reads as a date."""
    for key in EXPECTED_DATE_KEYS:
        text = str((extra or {}).get(key) or "").strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text[:10], pattern).date()
            except ValueError:
                continue
    return None


# -- during a run ---------------------------------------------------------------------------

ParentRow = tuple[int, int, str]  # parent record, child record, MOTHER_OF or FATHER_OF


def parent_rows() -> list[ParentRow]:
    """Every current relationship saying one record is the mother or father of another."""
    rows = RelationshipRecord.objects.filter(is_current=True, relationship__in=PARENTS)
    return [(parent, child, code) for parent, child, code in rows.values_list(
        "person_id", "related_person_id", "relationship").iterator(chunk_size=20000)
        if parent != child]


def find(groups: Sequence[frozenset[int]], parents: list[ParentRow] | None = None) -> Findings:
    """Unborn links and possible twins among ``groups`` (persons as they are being formed)."""
    person_of = {record: index for index, group in enumerate(groups) for record in group}
    mothers, fathers = _parents_in_groups(person_of, parent_rows() if parents is None
                                          else parents)
    if not mothers:
        return Findings([], [])
    wanted = {record for person in mothers for record in groups[person]}
    expected = {rid: expected_date(extra) for rid, extra in PersonRecord.objects.filter(
        date_of_birth__isnull=True).values_list("id", "extra").iterator(chunk_size=5000)
        if rid in wanted}
    records = [_birth_record(row, person_of[row[0]], expected.get(row[0]))
               for row in PersonRecord.objects.values_list(*_FIELDS).iterator(chunk_size=20000)
               if row[0] in wanted]
    names = _Surnames(lambda person: groups[person] if 0 <= person < len(groups) else ())
    known = home_twin_links.NamesOnNumbers()(r.nhs_number for r in records)
    return Findings(unborn_links(records, mothers, fathers, names),
                    possible_twins(records, mothers, known))


def _parents_in_groups(person_of: Mapping[int, int], rows: list[ParentRow]) -> tuple[
        dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    found: dict[str, dict[int, set[int]]] = {code: defaultdict(set) for code in PARENTS}
    for parent, child, code in rows:
        if parent in person_of and child in person_of and person_of[parent] != person_of[child]:
            found[code][person_of[child]].add(person_of[parent])
    return ({k: frozenset(v) for k, v in found["MOTHER_OF"].items()},
            {k: frozenset(v) for k, v in found["FATHER_OF"].items()})


def _birth_record(row: Sequence[Any], person: int, expected: dt.date | None) -> BirthRecord:
    record, born, given, family, nhs, sex = row
    return BirthRecord(record, person, born, expected, given or "", family or "", nhs or "",
                       sex or "")


class _Surnames:
    """A person's family names, read once from the records the person holds."""

    def __init__(self, records_of: Callable[[int], Iterable[int]]) -> None:
        self._records_of = records_of
        self._known: dict[int, frozenset[str]] = {}

    def __call__(self, person: int) -> frozenset[str]:
        if person not in self._known:
            ids = sorted(self._records_of(person))
            names: set[str] = set()
            for start in range(0, len(ids), 900):
                for family, other in PersonRecord.objects.filter(
                        id__in=ids[start:start + 900]).values_list("family_name", "other_names"):
                    names.update(features.surnames(family, other) or ())
            self._known[person] = frozenset(names)
        return self._known[person]


# -- persons as they stand ------------------------------------------------------------------

def _key(person_id: int | None, record_id: int) -> int:
    """A person's id, or (a record not linked yet) minus the record's id."""
    return person_id if person_id is not None else -record_id


def _as_birth_record(record: PersonRecord) -> BirthRecord:
    return BirthRecord(record.pk, _key(record.person_id, record.pk), record.date_of_birth,
                       expected_date(record.extra) if record.date_of_birth is None else None,
                       record.given_name, record.family_name, record.nhs_number, record.sex)


def _parents_of(records: Iterable[PersonRecord]) -> tuple[
        dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """The mother and father persons of each given record's person."""
    records = list(records)
    persons = sorted({r.person_id for r in records if r.person_id is not None})
    loose = sorted(r.pk for r in records if r.person_id is None)
    rows: list[tuple[int, int | None, int, int | None, str]] = []
    for start in range(0, max(len(persons), len(loose)), 400):
        rows += RelationshipRecord.objects.filter(
            Q(related_person__person_id__in=persons[start:start + 400])
            | Q(related_person_id__in=loose[start:start + 400]),
            is_current=True, relationship__in=PARENTS,
        ).values_list("person_id", "person__person_id", "related_person_id",
                      "related_person__person_id", "relationship")
    found: dict[str, dict[int, set[int]]] = {code: defaultdict(set) for code in PARENTS}
    for parent, parent_person, child, child_person, code in set(rows):
        parent_key, child_key = _key(parent_person, parent), _key(child_person, child)
        if parent_key != child_key:
            found[code][child_key].add(parent_key)
    return ({k: frozenset(v) for k, v in found["MOTHER_OF"].items()},
            {k: frozenset(v) for k, v in found["FATHER_OF"].items()})


def _records_of(key: int) -> list[int]:
    if key < 0:
        return [-key]
    return list(PersonRecord.objects.filter(person_id=key).values_list("id", flat=True))


class _Held:
    """The records of a person, read once."""

    def __init__(self) -> None:
        self._known: dict[int, list[BirthRecord]] = {}

    def __call__(self, person: int) -> list[BirthRecord]:
        self.read([person])
        return self._known[person]

    def read(self, persons: Iterable[int]) -> None:
        """Read the records of these persons (:func:`_key`) at once, in id order."""
        wanted = set(persons) - self._known.keys()
        linked, loose = sorted(p for p in wanted if p >= 0), sorted(-p for p in wanted if p < 0)
        found: dict[int, PersonRecord] = {}
        for start in range(0, max(len(linked), len(loose)), 400):
            found.update((r.pk, r) for r in PersonRecord.objects.filter(
                Q(person_id__in=linked[start:start + 400]) | Q(pk__in=loose[start:start + 400])))
        self._known.update({person: [] for person in wanted})
        for pk in sorted(found):
            keys = (found[pk].person_id, -pk)
            for key in [k for k in keys if k is not None and k in wanted]:
                self._known[key].append(_as_birth_record(found[pk]))


def _twins_between(first: BirthRecord, second: BirthRecord,
                   mothers: Mapping[int, frozenset[int]], held: _Held,
                   names: home_twin_links.NamesOnNumbers) -> PossibleTwins | None:
    """Possible twins between the two records, or else between any records of their two
    persons: a twin's "Baby Smith" record, with no name to compare, is kept apart from the
    other twin through the records that have one. Each record is known by every name
    written with its NHS number (``names``)."""
    if (first.born is None or first.born != second.born or not mothers.get(
            first.person, frozenset()) & mothers.get(second.person, frozenset())):
        return None
    records = [first, second, *held(first.person), *held(second.person)]
    known = names(r.nhs_number for r in records)
    direct = twins_check(first, second, mothers, known)
    if direct is not None or first.person == second.person:
        return direct
    for x in held(first.person):
        for y in held(second.person):
            found = twins_check(x, y, mothers, known)
            if found is not None:
                return found
    return None


def _two_numbers(first: BirthRecord, second: BirthRecord, held: _Held) -> bool:
    """Whether the two records' persons hold different NHS numbers (none in common) and
    one of the records holds none (``clustering.py``'s rule: such a link is refused)."""
    if features.nhs_number(first.nhs_number) and features.nhs_number(second.nhs_number):
        return False
    mine, theirs = ({n for r in held(record.person) if (n := features.nhs_number(r.nhs_number))}
                    for record in (first, second))
    return bool(mine and theirs and not mine & theirs)


def explain_family(a: PersonRecord, b: PersonRecord) -> FamilyEvidence:
    """Each step linking an unborn record to a born child, and any possible-twins warning."""
    mothers, fathers = _parents_of([a, b])
    first, second = _as_birth_record(a), _as_birth_record(b)
    names = home_twin_links.NamesOnNumbers()
    evidence = FamilyEvidence(twins=_twins_between(first, second, mothers, _Held(), names)
                              or home_twin_links.twins_between(a, b, names))
    unborn, other = ((first, second) if first.unborn else (second, first) if second.unborn
                     else (None, None))
    if unborn is not None and other is not None and other.born is not None:
        child = [_as_birth_record(r) for r in PersonRecord.objects.filter(
            pk__in=_records_of(other.person))] or [other]
        check = unborn_check(unborn, other.person, child, mothers, fathers,
                             _Surnames(_records_of))
        evidence.steps, evidence.linked = list(check.steps), check.holds
    return evidence


# -- the review queue -----------------------------------------------------------------------

def cluster(record_ids: list[int], edges: Iterable[tuple[int, int, float]], threshold: float,
            must: list[tuple[int, int]], cannot: list[tuple[int, int]],
            prepared: Any = None) -> Clustering:
    """Group by the model's links and the decisions, never joining two records an agency
    says are parent and child, nor possible twins at one home (``linkage/home_twins.py``:
    among the links, and among pairs of records linked to one record but not to each other,
    so that a twin's unnamed record joins neither twin); then, with the persons that
    makes, link each unborn record to its child and keep possible twins apart, and group
    again. A link through the family counts as a link at the threshold: a rejection, or a
    pair kept apart, refuses it like any other. ``prepared``: every record as linkage
    compares it, where the run holds them (``home_twin_links.twins_at_home``)."""
    scored = list(edges)
    parents = parent_rows()
    apart = [(parent, child) for parent, child, _ in parents]
    links = [(a, b) for a, b, p in scored if p >= threshold]
    look = home_twin_links.first_look()
    numbers = home_twin_links.nhs_numbers(look)
    at_home = home_twin_links.twins_at_home(ambiguity.pairs_for_twins(links), look, numbers,
                                            prepared)
    apart += [(t.a, t.b) for t in at_home]
    unsure = [(t.a, t.b) for t in at_home if home_twins.may_be_one(t)]
    grouping = clustering.cluster(record_ids, scored, threshold, must, cannot,
                                  kept_apart=apart, numbers=numbers, maybe_one=unsure)
    found = find(grouping.groups, parents)
    if not found.links and not found.twins:
        return grouping
    family = [(check.unborn, check.born_record, threshold) for check in found.links
              if check.born_record is not None]
    twins = [(t.a, t.b) for t in found.twins]
    seeds = {r for pair in [*twins, *((a, b) for a, b, _ in family)] for r in pair}
    again = _touched(grouping, seeds)

    def inside(pairs: Iterable[Any]) -> list[Any]:
        return [pair for pair in pairs if pair[0] in again and pair[1] in again]

    regrouped = clustering.cluster(again, inside(scored + family), threshold, inside(must),
                                   inside(cannot), kept_apart=inside(apart + twins),
                                   numbers=numbers, maybe_one=inside(unsure))
    kept = [g for g in grouping.groups if not g & again]
    return Clustering(
        sorted(kept + regrouped.groups, key=min),
        sorted([c for c in grouping.conflicts if c.a not in again] + regrouped.conflicts,
               key=lambda c: (c.a, c.b)),
        sorted([r for r in grouping.refused_links if r.a not in again]
               + regrouped.refused_links, key=lambda r: (-r.probability, r.a, r.b)))


def _touched(grouping: Clustering, seeds: set[int]) -> set[int]:
    """The records of every group holding a seed, and of the groups a refused link or a
    conflicting confirmation ties to them: grouping those again gives what grouping
    everything again would (the other groups cannot change)."""
    group_of = {record: index for index, group in enumerate(grouping.groups)
                for record in group}
    ties: dict[int, set[int]] = defaultdict(set)
    for a, b, *_ in [*grouping.refused_links, *grouping.conflicts]:
        ties[group_of[a]].add(group_of[b])
        ties[group_of[b]].add(group_of[a])
    todo = sorted({group_of[r] for r in seeds})
    seen = set(todo)
    while todo:
        for other in ties[todo.pop()] - seen:
            seen.add(other)
            todo.append(other)
    return {record for index in seen for record in grouping.groups[index]}


def kept_apart(threshold: float) -> list[PairScore]:
    """Pairs scored at or over the threshold whose records are not one person (possible
    twins, or a link a steward's rejection refused): a person should look at them."""
    return list(PairScore.objects.filter(match_probability__gte=threshold).exclude(
        record_a__person_id=F("record_b__person_id")).select_related(
        "record_a__agency", "record_b__agency").order_by(
        "-match_probability", "record_a_id", "record_b_id"))


def with_reasons(pairs: list[PairScore], threshold: float | None = None,
                 unseen: Iterable[int] = ()) -> list[PairScore]:
    """Give each pair its ``reasons``: the names of ``REASONS`` that apply to it. A pair
    scored at or over ``threshold`` whose records are not one person, with no other
    reason, was kept apart by the grouping (``clustering.py``): it says so. Two records of
    one name at one postcode also say what the other records there say
    (``namesake_links.py``; ``unseen``: persons the reader may not see)."""
    mothers, fathers = _parents_of({r.pk: r for p in pairs
                                    for r in (p.record_a, p.record_b)}.values())
    held, names = _Held(), home_twin_links.NamesOnNumbers()
    names(r.nhs_number for p in pairs for r in (p.record_a, p.record_b))  # read at once
    births = [(_as_birth_record(p.record_a), _as_birth_record(p.record_b)) for p in pairs]
    held.read(record.person for pair in births for record in pair)
    at_home = home_twin_links.twins_among([(p.record_a, p.record_b) for p in pairs], names)
    for pair, (first, second), home in zip(pairs, births, at_home, strict=True):
        why = set()
        if home is not None or _twins_between(first, second, mothers, held, names) is not None:
            why.add(POSSIBLE_TWINS)
        if first.unborn or second.unborn:
            why.add(UNBORN)
        parents = (mothers.get(first.person, frozenset()) | fathers.get(first.person, frozenset())
                   | mothers.get(second.person, frozenset())
                   | fathers.get(second.person, frozenset()))
        if {first.person, second.person} & parents:
            why.add(PARENT_AND_CHILD)
        if _two_numbers(first, second, held):
            why.add(TWO_NHS_NUMBERS)
        if (not why and threshold is not None and pair.match_probability >= threshold
                and first.person != second.person):
            why.add(KEPT_APART)
        pair.reasons = why
    namesake = namesake_links.namesake_reasons(pairs, unseen)
    for pair in pairs:
        if (pair.record_a_id, pair.record_b_id) in namesake:
            pair.reasons.add(namesake[(pair.record_a_id, pair.record_b_id)])
    return pairs
