"""Who is protected from whom, read from what agencies recorded (Baby S's family)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import override_settings

from joinedup.access.protection import domestic_abuse_parties, family_of, reader

pytestmark = pytest.mark.postgres

EVER = 10 * 365  # the scenario's events are from 2024-25: count them all as involvement


def _unflag() -> None:
    """Take away every flag, so the parties can only be read from events and relationships."""
    from joinedup.people.models import PersonRecord

    PersonRecord.objects.update(flags=[])


@override_settings(JOINEDUP_INVOLVEMENT_DAYS=EVER)
def test_the_fathers_probation_officer_is_perpetrator_side(staff: SimpleNamespace) -> None:
    seen = reader(staff.probation, staff.child)
    assert seen.perpetrator_side
    assert {staff.mother, staff.child} <= seen.protected
    assert staff.father not in seen.protected
    assert seen.name(staff.mother, "Kayleigh Ashworth") == "Kayleigh Brennan"


@override_settings(JOINEDUP_INVOLVEMENT_DAYS=EVER)
def test_other_agencies_are_not(staff: SimpleNamespace) -> None:
    for user in (staff.hv, staff.police, staff.outsider, staff.panel):
        assert not reader(user, staff.child).perpetrator_side


@override_settings(JOINEDUP_INVOLVEMENT_DAYS=EVER)
def test_without_any_flag_the_police_incident_still_names_the_parties(
        staff: SimpleNamespace) -> None:
    """A DA_INCIDENT is recorded about the victim with the suspect as its related person:
    that alone tells joinedup who is who, before any agency has flagged anyone."""
    _unflag()
    accused, victims = domestic_abuse_parties(staff.child, family_of(staff.child))
    assert staff.father in accused and staff.mother in victims
    assert staff.father not in victims and staff.mother not in accused
    assert reader(staff.probation, staff.child).perpetrator_side


def test_a_family_without_domestic_abuse_has_nobody_protected(staff: SimpleNamespace) -> None:
    from joinedup.alerts.models import Alert

    others = Alert.objects.exclude(child_id__in=family_of(staff.child)).values_list(
        "child_id", flat=True)
    for child in list(others[:20]):
        accused, victims = domestic_abuse_parties(child, family_of(child))
        seen = reader(staff.hv, child)
        assert not seen.perpetrator_side
        assert seen.protected <= victims | set(family_of(child))
        assert not (accused & seen.protected)
