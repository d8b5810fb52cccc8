"""What the early-warning rules make of an SSD extract, loaded as it comes (synthetic people;
each record is its own person, as linkage would leave three records with no names)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from joinedup.alerts.models import Alert
from joinedup.alerts.raising import run_alerts
from joinedup.ingest.loading import load_return
from joinedup.people.models import Person, PersonRecord
from tests.ingest.formats.ssd_folder import BABY, CHILD, MOTHER, TABLES, write_ssd

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LATE_CHILD = "P400"


@pytest.fixture
def alerts(db: None, tmp_path: Path) -> dict[tuple[str, str], Alert]:
    """The alerts after loading the extract (plus a child whose relative's contact was not
    followed up), by (rule, the child's SSD person id)."""
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    tables = copy.deepcopy(TABLES)
    tables["ssd_person"].append({**tables["ssd_person"][0], "pers_person_id": LATE_CHILD,
                                 "pers_dob": "2019-05-15"})
    tables["ssd_contacts"].append({**tables["ssd_contacts"][0], "cont_contact_id": "C9",
                                   "cont_person_id": LATE_CHILD,
                                   "cont_contact_date": "2025-04-01",
                                   "cont_contact_source_code": "1A"})
    return _alerts_of(tables, tmp_path)


def _alerts_of(tables: dict[str, list[dict[str, str]]], tmp_path: Path,
               ) -> dict[tuple[str, str], Alert]:
    assert load_return(write_ssd(tmp_path / "ssd", tables), "CSC").rows_quarantined == 0
    persons = {}
    for n, record in enumerate(PersonRecord.objects.order_by("source_id"), start=1):
        Person.objects.create(id=9100 + n)
        PersonRecord.objects.filter(pk=record.pk).update(person_id=9100 + n)
        persons[9100 + n] = record.source_id
    run_alerts(who="test")
    return {(a.rule, persons[a.child_id]): a for a in Alert.objects.all()}


def test_assessment_factors_about_the_parent_raise_cumulative_risk(
        alerts: dict[tuple[str, str], Alert]) -> None:
    # 2B and 4B on the baby's assessment: substance misuse and mental ill-health of her mother
    alert = alerts[("CUMULATIVE_PARENTAL_RISK", BABY)]
    assert "Substance misuse and mental ill-health" in alert.title
    # the older child's own mental health (4A) is not a carer's
    assert ("CUMULATIVE_PARENTAL_RISK", CHILD) not in alerts


def test_a_relatives_contact_not_followed_up_is_raised(
        alerts: dict[tuple[str, str], Alert]) -> None:
    assert ("FAMILY_CONCERN_UNACTIONED", LATE_CHILD) in alerts
    # the first child's contact from a relative was assessed three days later
    assert ("FAMILY_CONCERN_UNACTIONED", CHILD) not in alerts


def test_a_care_experienced_mother_with_a_thin_care_history(
        alerts: dict[tuple[str, str], Alert]) -> None:
    assert ("CARE_HISTORY_THIN", BABY) in alerts
    assert MOTHER not in {child for _rule, child in alerts}


def test_domestic_abuse_found_at_assessment_counts_but_is_no_incident(
        db: None, tmp_path: Path) -> None:
    """3B and 4B on the baby's assessment: domestic abuse and mental ill-health around her
    mother. The domestic abuse counts towards cumulative risk as a concern; it is not a
    reported incident, so the rule that acts on incidents around a baby stays quiet."""
    from joinedup.agencies.registry import register_agency

    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    tables = copy.deepcopy(TABLES)
    for row in tables["ssd_assessment_factors"]:
        if "2B" in row["cinf_assessment_factors_json"]:
            row["cinf_assessment_factors_json"] = '{"3B": "Yes", "4B": "Yes"}'
    alerts = _alerts_of(tables, tmp_path)
    alert = alerts[("CUMULATIVE_PARENTAL_RISK", BABY)]
    assert "Domestic abuse and mental ill-health" in alert.title
    assert ("DA_PREGNANCY_INFANCY", BABY) not in alerts
    concern = alert.evidence.get(event_type="DOMESTIC_ABUSE_CONCERN")
    assert concern.subject.source_id == MOTHER
