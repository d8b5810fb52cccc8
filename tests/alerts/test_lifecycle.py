"""The alert lifecycle: every action from every state, the page offering exactly what the
lifecycle allows, a run reopening a dismissed alert, and evidence replaced in bulk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.alerts import lifecycle, states
from joinedup.alerts.engine import Firing
from joinedup.alerts.models import Alert, AlertChange, AlertRun, AlertStatus
from joinedup.errors import ActionError
from tests.helpers import write_return

pytestmark = pytest.mark.django_db

CHILD = 9101
ON = dt.date(2025, 3, 3)
EVENTS = 12


@pytest.fixture
def child(db: None, tmp_path: Path) -> dict[str, Any]:
    """A child known to one agency, with a dozen events to use as evidence."""
    from joinedup.agencies.registry import register_agency
    from joinedup.chronology.models import Event
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord

    register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")
    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    people = [{"person_id": "P1", "given_name": "Testa", "family_name": "Lifecyclechild",
               "date_of_birth": "2024-06-01", "sex": "F"}]
    events = [{"event_id": f"E{i}", "person_id": "P1", "event_type": "HV_VISIT",
               "occurred_at": f"2025-03-{i + 1:02d}", "recorded_at": f"2025-03-{i + 1:02d}"}
              for i in range(EVENTS)]
    assert load_return(write_return(tmp_path / "HV", people=people, events=events),
                       "HV").rows_quarantined == 0
    Person.objects.create(id=CHILD)
    PersonRecord.objects.filter(source_id="P1").update(person_id=CHILD)
    ids = list(Event.objects.order_by("source_id").values_list("id", flat=True))
    return {"events": ids, "run": AlertRun.objects.create(who="test", rules_digest="x")}


def _alert(child: dict[str, Any], status: str = AlertStatus.OPEN, key: str = "k") -> Alert:
    alert = Alert.objects.create(
        rule="JIGSAW_GAP", child_id=CHILD, key=key, fired_on=ON, window_start=ON,
        window_end=ON, title="t", explanation="e", recommended_action="a", source="s",
        first_run=child["run"], last_run=child["run"], status=status)
    alert.evidence.add(child["events"][0])
    return alert


def _do(move: str, alert_id: int) -> Alert:
    if move == "acknowledged":
        return lifecycle.acknowledge(alert_id, who="tester", note="looking")
    if move == "dismissed":
        return lifecycle.dismiss(alert_id, who="tester", reason="known to CSC")
    if move == "reopened":
        return lifecycle.reopen(alert_id, who="tester", reason="new worry")
    return lifecycle.act_with_meeting(alert_id, who="tester", agency="HV", held_on=ON,
                                      attending=["HV", "CSC"], decisions="Visit weekly.")


EXPECTED = {  # what the lifecycle has always allowed, written out by hand
    ("acknowledged", "open"): "acknowledged",
    ("actioned", "open"): "actioned", ("actioned", "acknowledged"): "actioned",
    ("dismissed", "open"): "dismissed", ("dismissed", "acknowledged"): "dismissed",
    ("reopened", "dismissed"): "open", ("reopened", "actioned"): "open",
}


@pytest.mark.parametrize("status", [s.value for s in AlertStatus])
@pytest.mark.parametrize("move", ["acknowledged", "actioned", "dismissed", "reopened"])
def test_every_action_from_every_state(child: dict[str, Any], move: str,
                                       status: str) -> None:
    from joinedup.information_requests.models import ProfessionalsMeeting

    alert = _alert(child, status)
    target = EXPECTED.get((move, status))
    assert states.may(move, status) == (target is not None)
    if target is None:
        with pytest.raises(ActionError) as refused:
            _do(move, alert.pk)
        assert str(refused.value) == f"Alert {alert.pk} is {status}; it cannot be {move}."
        alert.refresh_from_db()
        assert alert.status == status
        assert not AlertChange.objects.filter(alert=alert).exists()
        assert not ProfessionalsMeeting.objects.exists()  # refused before anything is made
        return
    _do(move, alert.pk)
    alert.refresh_from_db()
    assert alert.status == target
    (change,) = AlertChange.objects.filter(alert=alert)
    assert (change.kind, change.who) == (move, "tester")
    assert change.note


def test_a_reason_is_still_asked_for_first(child: dict[str, Any]) -> None:
    alert = _alert(child, AlertStatus.ACTIONED)
    with pytest.raises(ActionError, match="A reason is required to dismiss"):
        lifecycle.dismiss(alert.pk, who="tester", reason=" ")
    with pytest.raises(ActionError, match="A reason is required to reopen"):
        lifecycle.reopen(alert.pk, who="tester", reason="")


@pytest.mark.parametrize("status", [s.value for s in AlertStatus])
def test_the_page_offers_what_the_lifecycle_allows(status: str) -> None:
    offered = states.offered(status)
    assert offered == {"acknowledge": ("acknowledged", status) in EXPECTED,
                       "act": ("actioned", status) in EXPECTED,
                       "dismiss": ("dismissed", status) in EXPECTED,
                       "reopen": ("reopened", status) in EXPECTED}
    assert any(offered.values())  # no state is a dead end


def _firing(key: str, evidence: list[int]) -> Firing:
    return Firing(rule="JIGSAW_GAP", child_id=CHILD, key=key, fired_on=ON,
                  window_start=ON, window_end=ON, evidence=tuple(evidence))


def _store(firings: list[Firing]) -> Any:
    from joinedup.alerts.catalogue import load_catalogue
    from joinedup.alerts.raising import store

    return store(firings, load_catalogue(None), as_of=None, known_by=None, who="run",
                 digest="x")


def test_a_dismissed_alert_that_gains_evidence_is_reopened(child: dict[str, Any]) -> None:
    events = child["events"]
    dismissed = _alert(child, key="dismissed")
    actioned = _alert(child, AlertStatus.ACTIONED, key="actioned")
    lifecycle.dismiss(dismissed.pk, who="tester", reason="known to CSC")
    result = _store([_firing("dismissed", events[:2]), _firing("actioned", events[:2])])
    assert (result.reopened, result.updated, result.raised) == (1, 1, 0)
    dismissed.refresh_from_db()
    actioned.refresh_from_db()
    assert (dismissed.status, actioned.status) == ("open", "actioned")
    last = dismissed.changes.order_by("-id").first()
    assert last is not None and (last.kind, last.who) == ("reopened", "run")
    assert last.note == "Reopened: 1 new evidence event, after it was dismissed"
    assert set(dismissed.evidence.values_list("id", flat=True)) == set(events[:2])
    # evidence only taken away does not reopen it
    lifecycle.dismiss(dismissed.pk, who="tester", reason="still known")
    result = _store([_firing("dismissed", events[:1]), _firing("actioned", events[:2])])
    dismissed.refresh_from_db()
    assert (result.reopened, result.updated, result.unchanged) == (0, 1, 1)
    assert dismissed.status == "dismissed"


def _queries_to_replace_evidence(child: dict[str, Any], alerts: int) -> int:
    events = child["events"]
    keys = [f"a{i}" for i in range(alerts)]
    for key in keys:
        _alert(child, key=key)
    with CaptureQueriesContext(connection) as queries:
        result = _store([_firing(key, events[1:]) for key in keys])
    assert result.updated == alerts
    for alert in Alert.objects.filter(key__in=keys):
        assert set(alert.evidence.values_list("id", flat=True)) == set(events[1:])
    Alert.objects.filter(key__in=keys).delete()
    return len(queries)


def test_evidence_is_replaced_in_bulk(child: dict[str, Any]) -> None:
    one = _queries_to_replace_evidence(child, 1)
    many = _queries_to_replace_evidence(child, 8)
    assert many == one


def test_changes_lock_the_alert_row_where_the_database_can(child: dict[str, Any]) -> None:
    """PostgreSQL takes the row lock; SQLite has none to take (it locks the whole file)."""
    alert = _alert(child, key="locked")
    with CaptureQueriesContext(connection) as by_a_person:
        lifecycle.acknowledge(alert.pk, who="tester")
    with CaptureQueriesContext(connection) as by_a_run:
        _store([_firing("locked", child["events"][:3])])
    for queries in (by_a_person, by_a_run):
        locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert len(locking) == (1 if connection.features.has_select_for_update else 0)
