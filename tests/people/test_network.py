"""The family network: who is around the child, which agencies know it, where they disagree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.people.directory import resolve_person, summaries
from joinedup.people.network import Relation, RelationIndex, network_for


def rel(agency: str, kind: str, a: int, b: int, **kw: Any) -> Relation:
    return Relation(agency, kind, a, b, f"{agency}-{a}", f"{agency}-{b}", **kw)


def test_roles_through_the_parents_and_men_first_class() -> None:
    child, mother, father, partner, gran, aunt, half_brother = 1, 2, 3, 4, 5, 6, 7
    index = RelationIndex([
        rel("HV", "MOTHER_OF", mother, child),
        rel("POLICE", "FATHER_OF", father, child),
        rel("POLICE", "PARTNER_OF", partner, mother, valid_from=dt.date(2025, 3, 1)),
        rel("CSC", "MOTHER_OF", gran, mother),
        rel("CSC", "SIBLING_OF", aunt, mother),
        rel("POLICE", "FATHER_OF", father, half_brother),
    ])
    net = index.network(child)
    roles = {m.person_id: m.role for m in net.members}
    assert roles == {mother: "MOTHER", father: "FATHER", partner: "PARTNER_OF_PARENT",
                     gran: "GRANDPARENT", aunt: "OTHER_RELATIVE", half_brother: "SIBLING"}
    # the father is known only to the police here, and is listed all the same
    assert net.with_role("FATHER")[0].agencies == ["POLICE"]
    assert net.with_role("PARTNER_OF_PARENT")[0].since == dt.date(2025, 3, 1)
    assert not net.with_role("PARTNER_OF_PARENT")[0].current_on(dt.date(2025, 2, 28))
    assert index.children() == {child, mother, half_brother}
    assert net.conflicts == []


def test_disagreements_are_shown_with_who_said_what() -> None:
    child, mother, man_a, man_b = 1, 2, 3, 4
    net = RelationIndex([
        rel("HV", "MOTHER_OF", mother, child),
        rel("HV", "FATHER_OF", man_a, child, details={"lives_with": False}),
        rel("GP", "FATHER_OF", man_b, child),
        rel("CSC", "FATHER_OF", man_a, child, details={"lives_with": True}),
        rel("POLICE", "PARTNER_OF", man_a, mother, valid_from=dt.date(2025, 1, 1)),
        rel("REFUGE", "EX_PARTNER_OF", man_a, mother),  # undated: overlaps everything
    ]).network(child)
    kinds = {c.kind: c for c in net.conflicts}
    assert set(kinds) == {"two_fathers", "partner_status", "lives_with"}
    assert "HV says person 3" in kinds["two_fathers"].text
    assert "GP says person 4" in kinds["two_fathers"].text
    assert {r.agency for r in kinds["lives_with"].relations} == {"HV", "CSC"}
    assert "POLICE record a current partner; REFUGE record a former partner" in \
        kinds["partner_status"].text


def test_former_and_current_partner_at_different_times_is_not_a_conflict() -> None:
    net = RelationIndex([
        rel("HV", "MOTHER_OF", 2, 1),
        rel("POLICE", "EX_PARTNER_OF", 3, 2, valid_to=dt.date(2024, 1, 25)),
        rel("POLICE", "PARTNER_OF", 3, 2, valid_from=dt.date(2025, 3, 9)),
    ]).network(1)
    assert net.conflicts == []
    assert net.members[1].roles == ["PARTNER_OF_PARENT", "EX_PARTNER"]


@pytest.mark.slow
def test_baby_s_network_puts_the_father_next_to_the_baby(baby_s: dict[str, Any],
                                                         db: None) -> None:
    net = network_for(baby_s["child"])
    father = next(m for m in net.members if m.person_id == baby_s["father"])
    assert father.role == "FATHER"
    # CSC, HV, MIDWIFERY and POLICE record him as the father; probation, which holds
    # his risk, records him only as the mother's former partner.
    assert {"CSC", "HV", "MIDWIFERY", "POLICE", "PROBATION"} <= set(father.agencies)
    assert "EX_PARTNER" in father.roles and "PARTNER_OF_PARENT" in father.roles
    names = summaries([father.person_id])[father.person_id]
    assert "SEX_OFFENDER_REGISTERED" in names.flags
    assert resolve_person("POLICE:PNC-15/0412773H") == baby_s["father"]
    grandmothers = {summaries([m.person_id])[m.person_id].name
                    for m in net.with_role("GRANDPARENT")}
    assert grandmothers == {"Joanne Brennan", "Maureen Kerrigan"}
