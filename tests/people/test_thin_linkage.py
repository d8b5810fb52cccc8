"""Thin records in linkage (issue 17, parts 1 and 2): a record with nothing to identify the
person is never paired on nothing, yet its relationships put it in the child's network; a
date of birth kept as written is compared, so a one-digit slip still counts as evidence.

On the Baby S scenario with a background population (the ``baby_s`` fixture), so the model
is trained as it would be on real returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.ingest.loading import load_return
from joinedup.people import linking
from joinedup.people.directory import summaries
from joinedup.people.models import PersonRecord
from joinedup.people.network import network_for
from tests.helpers import write_return

pytestmark = pytest.mark.django_db

MOTHER = "HV:HV-5510238"  # Kayleigh Ashworth, born 3 November 2003
BLANK = {"given_name": "", "family_name": "", "date_of_birth": "", "sex": "",
         "nhs_number": "", "postcode": ""}


def _person_of(ref: str) -> int:
    return linking.resolve_record(ref).person_id  # type: ignore[return-value]


def test_an_unidentified_record_stays_its_own_person_and_joins_the_network_by_relationship(
        baby_s: dict[str, Any], tmp_path: Path) -> None:
    # Two records of nobody in particular at the family's postcode: nothing to pair them on.
    strangers = [{**BLANK, "person_id": f"HV-X{n}", "postcode": "SK5 8PB"} for n in (1, 2)]
    load_return(write_return(tmp_path / "r", people=strangers, relationships=[
        {"person_id": "HV-X1", "related_person_id": "HV-5510871",
         "relationship": "HOUSEHOLD_MEMBER_OF"}]), "HV")
    assert linking.link(who="test").kind == "incremental"
    first, second = _person_of("HV:HV-X1"), _person_of("HV:HV-X2")
    assert first != second
    assert PersonRecord.objects.filter(person_id=first).count() == 1
    assert first in {m.person_id for m in network_for(baby_s["child"]).members}
    assert summaries([first])[first].name == "Unidentified person (HV reference HV-X1)"


def test_a_date_of_birth_written_with_a_digit_slip_links_a_pair_names_alone_do_not(
        baby_s: dict[str, Any], tmp_path: Path) -> None:
    kayleigh = {**BLANK, "given_name": "Kayleigh", "family_name": "Ashworth"}
    load_return(write_return(tmp_path / "r", people=[
        {**kayleigh, "person_id": "HV-K1"},  # no date of birth: the names alone
        # 3 November 2003 with one digit too many: no date, kept as written
        {**kayleigh, "person_id": "HV-K2", "date_of_birth": "200311033"}]), "HV")
    record = linking.resolve_record("HV:HV-K2")
    assert (record.date_of_birth, record.date_of_birth_text) == (None, "200311033")
    linking.link(who="test")
    _, _, names_alone = linking.explain_pair("HV:HV-K1", MOTHER)
    assert names_alone.match_probability < linking.THRESHOLD
    assert _person_of("HV:HV-K1") != baby_s["mother"]
    assert _person_of("HV:HV-K2") == baby_s["mother"]
    _, _, explanation = linking.explain_pair("HV:HV-K2", MOTHER)
    assert explanation.match_probability >= linking.THRESHOLD
    birth = next(c for c in explanation.comparisons if c.comparison == "date_of_birth")
    assert birth.level == "date of birth as written within one character of the other's"
    assert birth.label.endswith("(200311033 as written / 2003-11-03)")
    assert birth.match_weight > 3
