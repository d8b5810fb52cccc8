"""A given name one slip from a known form takes that form's root, for telling twins from
one child written two ways (people/linkage/near_names.py)."""

from __future__ import annotations

from joinedup.people.linkage.near_names import near_root
from joinedup.people.linkage.nicknames import name_root


def test_a_name_one_slip_from_a_known_form_takes_its_root() -> None:
    assert near_root("BFCKY") == name_root("Rebecca")
    assert near_root("KASIQ") == name_root("Katarzyna")


def test_a_known_form_keeps_its_own_root() -> None:
    assert near_root("KATE") == name_root("Katherine")


def test_short_or_unknown_or_ambiguous_names_keep_their_own_spelling() -> None:
    assert near_root("JOE") == name_root("Joe")  # short: too near too many names
    assert near_root("ZYXWV") == "ZYXWV"  # near no form at all
    assert near_root("KATTY") == "KATTY"  # one slip from Katy, Matty and Patty
    assert near_root(None) is None and near_root("") == ""
