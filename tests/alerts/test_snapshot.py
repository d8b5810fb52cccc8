"""The rules' snapshot of the database: the same family networks as the chronology shows,
and the events each (as_of, known_by) lets the rules see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from joinedup.alerts.snapshot import from_database
from joinedup.people.network import RelationIndex, load_relations

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_sql_network_gives_every_child_the_same_roles_as_the_python_one(
        baby_s: dict[str, Any], db: None) -> None:
    index = RelationIndex(load_relations())
    with from_database() as snapshot:
        in_sql = set(snapshot.con.execute(
            "SELECT child_id, person_id, role FROM network").fetchall())
        children = {c for (c,) in snapshot.con.execute("SELECT child_id FROM child").fetchall()}
    in_python = {(c, c, "CHILD_SUBJECT") for c in children}
    for child in children:
        for member in index.network(child).members:
            in_python |= {(child, member.person_id, role) for role in member.roles}
    assert baby_s["child"] in children and len(children) > 100
    assert in_sql == in_python
    assert (baby_s["child"], baby_s["father"], "FATHER") in in_sql


def test_known_by_leaves_out_what_was_recorded_later(baby_s: dict[str, Any], db: None) -> None:
    query = "SELECT source_id FROM event WHERE agency = 'CSC' ORDER BY source_id"
    with from_database(child_ids=[baby_s["child"]]) as snapshot:
        everything = [r[0] for r in snapshot.con.execute(query).fetchall()]
        # The social worker's visit of 14 August 2024 was recorded on 5 September.
        snapshot.select(known_by=dt.date(2024, 9, 1))
        known = [r[0] for r in snapshot.con.execute(query).fetchall()]
        snapshot.select(as_of=dt.date(2024, 9, 1))
        happened = [r[0] for r in snapshot.con.execute(query).fetchall()]
    assert "CSC-EV-884107" in everything and "CSC-EV-884107" in happened
    assert "CSC-EV-884107" not in known
    assert "CSC-EV-884118" in everything and "CSC-EV-884118" not in happened  # May 2025


def test_flags_of_every_agency_reach_the_rules(baby_s: dict[str, Any], db: None) -> None:
    with from_database(child_ids=[baby_s["child"]]) as snapshot:
        flags = {f for (f,) in snapshot.con.execute(
            "SELECT flag FROM person_flag WHERE person_id = ?", [baby_s["father"]]).fetchall()}
        risk = snapshot.con.execute("SELECT since FROM risk_adult WHERE person_id = ?",
                                    [baby_s["father"]]).fetchall()
    # Police and probation hold his risk; children's social care holds only his name.
    assert {"SEX_OFFENDER_REGISTERED", "MAPPA_2", "DA_PERPETRATOR"} <= flags
    assert risk and risk[0][0] < 0  # a risk adult "from always", because of the flags
