"""Grouping records into persons, and keeping person ids stable between runs."""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.errors import LinkageError
from joinedup.people.linkage.ambiguity import MANY_LINKS, linked_through_one
from joinedup.people.linkage.clustering import (
    Clustering,
    PersonChange,
    assign_person_ids,
    cluster,
)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
A, B, C, D = 1, 2, 3, 4


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


# --- hand cases -----------------------------------------------------------------------------


def test_rejection_breaks_a_chain_and_the_weaker_link_is_refused() -> None:
    result = cluster([A, B, C], [(A, B, 0.99), (B, C, 0.97)], 0.9, cannot_link=[(C, A)])
    assert result.groups == [frozenset({A, B}), frozenset({C})]
    assert result.refused_links == [(B, C, 0.97)]
    assert result.conflicts == []


def test_a_record_matching_both_records_kept_apart_joins_neither() -> None:
    # A and B are twins kept apart; C (no given name) matches both; D is A's other record
    result = cluster([A, B, C, D], [(A, C, 0.99), (B, C, 0.98), (A, D, 0.98)], 0.9,
                     kept_apart=[(A, B)])
    assert result.groups == [frozenset({A, D}), frozenset({B}), frozenset({C})]
    assert {(a, b) for a, b, _ in result.refused_links} == {(A, C), (B, C)}
    # a record kept apart from one of them is not torn: it is the other's
    chosen = cluster([A, B, C], [(A, C, 0.99), (B, C, 0.99)], 0.9, kept_apart=[(A, B), (B, C)])
    assert chosen.groups == [frozenset({A, C}), frozenset({B})]
    # unless it is kept apart from it only as two records of one agency, which may still be
    # one child written twice: it is still torn, and joins neither
    unsure = cluster([A, B, C], [(A, C, 0.99), (B, C, 0.99)], 0.9, kept_apart=[(A, B), (B, C)],
                     maybe_one=[(B, C)])
    assert unsure.groups == [frozenset({A}), frozenset({B}), frozenset({C})]
    # once a person confirms A and B as one child, C (linked to both) is that child's too
    confirmed = cluster([A, B, C], [(A, C, 0.99), (B, C, 0.99)], 0.9, must_link=[(A, B)],
                        kept_apart=[(A, B)])
    assert confirmed.groups == [frozenset({A, B, C})]
    assert confirmed.refused_links == []



def test_pairs_linked_through_one_record_are_found_for_the_twins_rules() -> None:
    # C (a twin's unnamed record) links to A and to B, which are not linked to each other;
    # A's other record D links only to A
    assert linked_through_one([(A, C), (C, B), (A, D)]) == [(A, B), (C, D)]
    # a pair already linked is not found again, in either order; a link listed twice is one
    assert linked_through_one([(A, C), (B, C), (B, A)]) == []
    assert linked_through_one([(A, C), (C, A), (A, C)]) == []
    # ids far apart (a database's) come back as they went in
    far = 10**12
    assert linked_through_one([(far, 5), (5, 7), (far, 9)]) == [(5, 9), (7, far)]
    # a record linked to very many (a default value on many people's records) is not read
    many = [(0, other) for other in range(1, MANY_LINKS + 2)]
    assert linked_through_one(many) == []
    assert len(linked_through_one(many[:MANY_LINKS])) == MANY_LINKS * (MANY_LINKS - 1) // 2


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).filter(lambda p: p[0] != p[1]),
                max_size=80))
def test_pairs_linked_through_one_record_are_exactly_those(links: list[tuple[int, int]]) -> None:
    near: dict[int, set[int]] = defaultdict(set)
    for a, b in links:
        near[a].add(b)
        near[b].add(a)
    expected = sorted({_pair(x, y) for others in near.values() if len(others) <= MANY_LINKS
                       for x in others for y in others if x != y and y not in near[x]})
    assert linked_through_one(links) == expected


def test_a_record_without_an_nhs_number_never_joins_two_numbered_persons() -> None:
    # A and B hold different NHS numbers; C (a police record) has none and matches both
    numbers = {A: "9434765919", B: "9434765870"}
    result = cluster([A, B, C], [(A, C, 0.99), (B, C, 0.97)], 0.9, numbers=numbers)
    assert result.groups == [frozenset({A, C}), frozenset({B})]
    assert result.refused_links == [(B, C, 0.97)]
    # the model's own link between the two numbered records joins them (a conflict to report)
    joined = cluster([A, B, C], [(A, C, 0.99), (B, C, 0.97), (A, B, 0.95)], 0.9,
                     numbers=numbers)
    assert joined.groups == [frozenset({A, B, C})]
    # a number in common is no conflict; a steward's confirmation is never refused
    assert cluster([A, B, C, D], [(A, C, 0.99), (C, D, 0.98), (B, D, 0.97)], 0.9,
                   numbers={**numbers, D: "9434765919"}).groups == [frozenset({A, B, C, D})]
    assert cluster([A, B, C], [], 0.9, must_link=[(A, C), (B, C)],
                   numbers=numbers).groups == [frozenset({A, B, C})]


def test_confirmation_beats_a_low_score() -> None:
    result = cluster([A, B, C], [(A, B, 0.02)], 0.9, must_link=[(B, A)])
    assert result.groups == [frozenset({A, B}), frozenset({C})]


def test_confirmations_that_contradict_a_rejection_are_reported() -> None:
    result = cluster([A, B, C], [], 0.9, must_link=[(A, B), (B, C)], cannot_link=[(A, C)])
    assert result.groups == [frozenset({A, B}), frozenset({C})]
    [(a, b, reason)] = result.conflicts
    assert (a, b) == (B, C)
    assert "rejected" in reason and "1 and 3" in reason


def test_a_pair_both_confirmed_and_rejected_stays_apart() -> None:
    result = cluster([A, B], [(A, B, 0.99)], 0.9, must_link=[(A, B)], cannot_link=[(B, A)])
    assert result.groups == [frozenset({A}), frozenset({B})]
    assert [(a, b) for a, b, _ in result.conflicts] == [(A, B)]
    assert "both confirmed and rejected" in result.conflicts[0].reason
    assert result.refused_links == [(A, B, 0.99)]


def test_a_pair_scored_twice_counts_once_at_its_highest() -> None:
    edges = [(A, B, 0.95), (B, A, 0.99), (A, C, 0.5)]
    result = cluster([A, B, C], edges, 0.9, cannot_link=[(A, B)])
    assert result.refused_links == [(A, B, 0.99)]
    assert result.groups == [frozenset({A}), frozenset({B}), frozenset({C})]


def test_the_threshold_itself_is_a_link() -> None:
    assert cluster([A, B], [(A, B, 0.9)], 0.9).groups == [frozenset({A, B})]


def test_links_never_join_a_pair_kept_apart_even_through_other_records() -> None:
    # possible twins A and C: A-B and B-C score above the threshold, but only one may hold
    result = cluster([A, B, C], [(A, B, 0.999), (B, C, 0.95)], 0.9, kept_apart=[(A, C)])
    assert result.groups == [frozenset({A, B}), frozenset({C})]
    assert result.refused_links == [(B, C, 0.95)]


def test_a_direct_link_over_the_threshold_does_not_join_a_pair_kept_apart() -> None:
    result = cluster([A, B], [(A, B, 0.999)], 0.9, kept_apart=[(B, A)])
    assert result.groups == [frozenset({A}), frozenset({B})]


def test_a_confirmation_joins_a_pair_kept_apart_but_a_rejection_still_wins() -> None:
    confirmed = cluster([A, B, C], [(B, C, 0.99)], 0.9, must_link=[(A, B)],
                        kept_apart=[(A, B)])
    assert confirmed.groups == [frozenset({A, B, C})]
    assert confirmed.conflicts == []
    rejected = cluster([A, B], [], 0.9, must_link=[(A, B)], cannot_link=[(A, B)],
                       kept_apart=[(A, B)])
    assert rejected.groups == [frozenset({A}), frozenset({B})]


def test_unknown_records_and_self_rejections_are_refused() -> None:
    with pytest.raises(LinkageError, match="records 7 and 8"):
        cluster([A, B], [(A, 7, 0.99)], 0.9, must_link=[(8, B)])
    with pytest.raises(LinkageError, match="itself"):
        cluster([A, B], [], 0.9, cannot_link=[(A, A)])


# --- properties against a reference -----------------------------------------------------------


@dataclass
class Problem:
    records: list[int]
    edges: list[tuple[int, int, float]]
    threshold: float
    must_link: list[tuple[int, int]]
    cannot_link: list[tuple[int, int]]

    def run(self) -> Clustering:
        return cluster(self.records, self.edges, self.threshold, self.must_link,
                       self.cannot_link)


PROBABILITIES = st.sampled_from([0.1, 0.5, 0.8, 0.9, 0.95, 0.99]) | st.floats(0, 1)


@st.composite
def problems(draw: st.DrawFn, decisions: bool = True) -> Problem:
    records = draw(st.lists(st.integers(0, 500), min_size=1, max_size=30, unique=True))
    record = st.sampled_from(records)
    edges = draw(st.lists(st.tuples(record, record, PROBABILITIES), max_size=60))
    must = cannot = []
    if decisions:
        must = draw(st.lists(st.tuples(record, record), max_size=10))
        cannot = draw(st.lists(st.tuples(record, record).filter(lambda p: p[0] != p[1]),
                               max_size=10))
    return Problem(records, edges, draw(st.sampled_from([0.5, 0.9, 0.95])), must, cannot)


def _components(records: list[int], pairs: set[tuple[int, int]]) -> list[frozenset[int]]:
    """Reference: connected components by breadth-first search."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[int] = set()
    components = []
    for start in records:
        if start in seen:
            continue
        seen.add(start)
        component, queue = {start}, deque([start])
        while queue:
            for nxt in neighbours[queue.popleft()] - seen:
                seen.add(nxt)
                component.add(nxt)
                queue.append(nxt)
        components.append(frozenset(component))
    return sorted(components, key=min)


def _links(problem: Problem) -> set[tuple[int, int]]:
    return {_pair(a, b) for a, b, p in problem.edges if p >= problem.threshold and a != b}


@SETTINGS
@given(problems())
def test_groups_respect_every_decision_and_hold_together(problem: Problem) -> None:
    result = problem.run()
    group_of = {r: i for i, g in enumerate(result.groups) for r in g}
    assert sorted(group_of) == sorted(problem.records)
    assert sum(map(len, result.groups)) == len(problem.records)

    for a, b in problem.cannot_link:
        assert group_of[a] != group_of[b]
    conflicts = {(a, b) for a, b, _ in result.conflicts}
    for a, b in problem.must_link:
        assert group_of[a] == group_of[b] or _pair(a, b) in conflicts

    # Every refusal is justified: joining those two groups would join a rejected pair.
    for a, b in conflicts | {(a, b) for a, b, _ in result.refused_links}:
        together = result.groups[group_of[a]] | result.groups[group_of[b]]
        assert group_of[a] != group_of[b]
        assert any(x in together and y in together for x, y in problem.cannot_link)

    # Every applied pair lies inside one group, and each group is connected by them alone.
    applied = ({_pair(a, b) for a, b in problem.must_link if a != b} - conflicts) | (
        _links(problem) - {(a, b) for a, b, _ in result.refused_links})
    assert all(group_of[a] == group_of[b] for a, b in applied)
    assert _components(problem.records, applied) == result.groups


@SETTINGS
@given(problems(decisions=False))
def test_without_decisions_groups_are_connected_components(problem: Problem) -> None:
    result = problem.run()
    assert result.groups == _components(problem.records, _links(problem))
    assert result.conflicts == [] and result.refused_links == []


@SETTINGS
@given(problems(decisions=False), st.data())
def test_two_nhs_numbers_share_a_group_only_through_a_link_between_numbered_records(
        problem: Problem, data: st.DataObject) -> None:
    numbers = data.draw(st.dictionaries(st.sampled_from(problem.records),
                                        st.sampled_from(["9434765919", "9434765870"])))
    result = cluster(problem.records, problem.edges, problem.threshold, numbers=numbers)
    group_of = {r: i for i, g in enumerate(result.groups) for r in g}
    refused = {(a, b) for a, b, _ in result.refused_links}
    applied = _links(problem) - refused
    assert _components(problem.records, applied) == result.groups
    for group in result.groups:
        if len({numbers[r] for r in group if r in numbers}) > 1:
            assert any(a in group and b in group and a in numbers and b in numbers
                       for a, b in applied)
    for a, b in refused:  # only a link from a record without a number is refused
        assert not (a in numbers and b in numbers)
        assert {numbers[r] for r in result.groups[group_of[a]] | result.groups[group_of[b]]
                if r in numbers} == {"9434765919", "9434765870"}


@SETTINGS
@given(problems(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(problem: Problem, rnd: random.Random) -> None:
    def shuffled(pairs: list) -> list:
        out = [(b, a, *rest) if rnd.random() < 0.5 else (a, b, *rest) for a, b, *rest in pairs]
        rnd.shuffle(out)
        return out

    records = list(problem.records)
    rnd.shuffle(records)
    again = Problem(records, shuffled(problem.edges), problem.threshold,
                    shuffled(problem.must_link), shuffled(problem.cannot_link))
    assert again.run() == problem.run()


# --- stable person ids ------------------------------------------------------------------------


def _groups(*groups: set[int]) -> list[frozenset[int]]:
    return [frozenset(g) for g in groups]


PREVIOUS = {1: 10, 2: 10, 3: 10, 4: 11, 5: 11, 6: 12}


def test_the_same_groups_keep_their_ids_and_nothing_changes() -> None:
    result = assign_person_ids(_groups({6}, {4, 5}, {1, 2, 3}), PREVIOUS, next_id=20)
    assert result.person_of == PREVIOUS
    assert result.changes == []


def test_a_new_record_joins_an_existing_person() -> None:
    result = assign_person_ids(_groups({1, 2, 3, 7}, {4, 5}, {6}), PREVIOUS, next_id=20)
    assert result.person_of[7] == 10
    assert result.changes == [
        PersonChange("grew", 10, (), (7,), "Person 10 gained new record 7")]


def test_two_persons_merge_under_the_larger_ones_id() -> None:
    result = assign_person_ids(_groups({1, 2, 3, 4, 5}, {6}), PREVIOUS, next_id=20)
    assert set(result.person_of.values()) == {10, 12}
    kinds = [(c.kind, c.person_id, c.other_person_ids) for c in result.changes]
    assert kinds == [("merged", 10, (11,)), ("retired", 11, (10,))]
    assert result.changes[0].explanation == (
        "Records 1, 2, 3, 4 and 5, held as persons 10 and 11, are now one person (10)")


def test_equal_overlaps_keep_the_smaller_id() -> None:
    result = assign_person_ids(_groups({4, 5, 6}), {4: 31, 5: 30, 6: 99}, next_id=100)
    assert result.person_of == {4: 30, 5: 30, 6: 30}


def test_a_split_keeps_the_id_for_the_larger_part() -> None:
    result = assign_person_ids(_groups({1, 2}, {3}, {4, 5}, {6}), PREVIOUS, next_id=20)
    assert result.person_of[1] == result.person_of[2] == 10
    assert result.person_of[3] == 20
    [split] = result.changes
    assert (split.kind, split.person_id, split.other_person_ids) == ("split", 10, (20,))
    assert split.explanation == (
        "Person 10 is now 2 people: records 1 and 2 are person 10; record 3 is person 20")


def test_a_person_whose_records_are_gone_is_retired() -> None:
    result = assign_person_ids(_groups({1, 2, 3}, {6}), PREVIOUS, next_id=20)
    [retired] = result.changes
    assert (retired.kind, retired.person_id, retired.record_ids) == ("retired", 11, (4, 5))
    assert "no longer in the data" in retired.explanation


def test_a_person_losing_records_shrinks_and_new_groups_are_created() -> None:
    result = assign_person_ids(_groups({1, 2}, {4, 5}, {6}, {7, 8}), PREVIOUS, next_id=20)
    assert [(c.kind, c.person_id, c.record_ids) for c in result.changes] == [
        ("shrank", 10, (3,)), ("created", 20, (7, 8))]
    assert result.changes[1].explanation == "Records 7 and 8 are a new person (20)"


def test_bad_groups_and_ids_are_refused() -> None:
    with pytest.raises(LinkageError, match="more than one group"):
        assign_person_ids(_groups({1, 2}, {2, 3}), {}, next_id=1)
    with pytest.raises(LinkageError, match="next_id"):
        assign_person_ids(_groups({1}), {1: 5}, next_id=5)


@st.composite
def reruns(draw: st.DrawFn) -> tuple[list[frozenset[int]], dict[int, int]]:
    records = draw(st.lists(st.integers(0, 60), min_size=1, max_size=40, unique=True))
    labels = draw(st.lists(st.integers(0, 8), min_size=len(records), max_size=len(records)))
    members: dict[int, set[int]] = defaultdict(set)
    for record, label in zip(records, labels, strict=True):
        members[label].add(record)
    previous = draw(st.dictionaries(st.sampled_from(records), st.integers(1, 9)))
    return [frozenset(g) for g in members.values()], previous


@SETTINGS
@given(reruns())
def test_ids_are_distinct_old_or_new_and_a_rerun_changes_nothing(
    case: tuple[list[frozenset[int]], dict[int, int]],
) -> None:
    groups, previous = case
    first = assign_person_ids(groups, previous, next_id=100)
    ids = {first.person_of[min(g)] for g in groups}
    assert len(ids) == len(groups)
    for group in groups:
        assert len({first.person_of[r] for r in group}) == 1
        pid = first.person_of[min(group)]
        assert pid >= 100 or any(previous.get(r) == pid for r in group)
    assert all(c.explanation for c in first.changes)

    again = assign_person_ids(list(reversed(groups)), first.person_of, next_id=200)
    assert again.person_of == first.person_of
    assert again.changes == []
