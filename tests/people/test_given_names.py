"""The names a child is known by, for the twins rules (people/linkage/given_names.py)."""

from __future__ import annotations

from joinedup.people.linkage.given_names import (
    MANY_NAMES,
    known_as,
    name_of,
    names_by_number,
    names_differ,
    other_way_round,
)

NUMBER, DEFAULT = "9434765919", "9434765870"


def test_a_number_s_names_are_every_name_written_with_it_once() -> None:
    names = names_by_number([(NUMBER, name_of("David", "Zhou")), (NUMBER, name_of("Wei", "Zhou")),
                             (NUMBER, name_of("David", "Zhou")), (None, name_of("Jian", "Zhou"))])
    assert names == {NUMBER: [name_of("David", "Zhou"), name_of("Wei", "Zhou")]}
    assert known_as(name_of("", "Zhou"), NUMBER, names) == [
        name_of("", "Zhou"), name_of("David", "Zhou"), name_of("Wei", "Zhou")]
    assert known_as(name_of("Wei", "Zhou"), None, names) == [name_of("Wei", "Zhou")]


def test_a_number_written_with_many_names_adds_none() -> None:
    # a default or test number on many people's records is not one child's
    many = ["Amelia", "Isla", "Jack", "Noah", "Ava", "Leo", "Mia"][:MANY_NAMES + 1]
    names = names_by_number([(DEFAULT, name_of(given, "Smith")) for given in many]
                            + [(NUMBER, name_of("Amelia", "Smith"))])
    assert list(names) == [NUMBER]


def test_two_children_differ_only_if_no_name_of_one_is_a_name_of_the_other() -> None:
    david_wei = [name_of("David", "Zhou"), name_of("Wei", "Zhou")]
    assert not names_differ(david_wei, [name_of("Wei", "Zhou")])
    assert names_differ(david_wei, [name_of("Jian", "Zhou")])
    # no given name is no evidence of two children, unless the number gives one
    assert not names_differ([name_of("", "Zhou")], [name_of("Jian", "Zhou")])
    assert names_differ([name_of("", "Zhou"), *david_wei], [name_of("Jian", "Zhou")])


def test_a_full_name_the_other_way_round_is_one_child() -> None:
    assert other_way_round([name_of("Wu", "Wei")], [name_of("Wei", "Wu")])
    assert not other_way_round([name_of("Wu", "Wei")], [name_of("Wei", "Li")])
    assert not other_way_round([name_of("", "Wei")], [name_of("Wei", "")])


def test_a_name_the_other_way_round_may_be_spelt_another_way_on_one_side() -> None:
    # the family name first, and as it sounds: Wahng for Wang; Leeu for Liu
    assert other_way_round([name_of("Wahng", "Xiaoling")], [name_of("Xiaoling", "Wang")])
    assert other_way_round([name_of("Xiaoling", "Liu")], [name_of("Leeu", "Xiaoling")])
    # one name in common, the other two names: two children, "Chen Hao" and "Jian Chen"
    assert not other_way_round([name_of("Chen", "Hao")], [name_of("Jian", "Chen")])
    # both names spelt another way is too far to read as one name turned round
    assert not other_way_round([name_of("Wahng", "Xiaolin")], [name_of("Xiaoling", "Wang")])
