"""Action recognised without a click: a recorded event that meets an alert's action marks it
actioned on the next run, with the event as evidence; an event from before the alert's
evidence does not count; a dismissed alert is never changed; a bad ``met_by`` stops the
catalogue's load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.alerts import lifecycle
from joinedup.alerts.catalogue import load_catalogue
from joinedup.alerts.models import Alert, AlertChange, AlertStatus
from joinedup.alerts.raising import run_alerts
from joinedup.errors import RuleError
from tests.helpers import write_return

pytestmark = pytest.mark.django_db

BABY = 9301
INJURY_DAY = "2025-03-03"  # the baby is 7 weeks old: NIM_INJURY fires
LINE = ("Actioned by Strategy discussion on 4 March 2025, recorded 5 March 2025 by "
        "Children's Social Care")


@pytest.fixture
def load(db: None, tmp_path: Path) -> Any:
    """``load(agency, events)``: one return of the baby's events from that agency, its
    record linked to the one baby."""
    from joinedup.agencies.registry import register_agency
    from joinedup.ingest.loading import load_return
    from joinedup.people.models import Person, PersonRecord

    register_agency("HOSP", "Hospital", "HOSPITAL", "E08000007")
    register_agency("CSC", "Children's Social Care", "CHILDRENS_SOCIAL_CARE", "E08000007")
    Person.objects.create(id=BABY)

    def _load(agency: str, events: list[dict[str, str]]) -> None:
        people = [{"person_id": f"{agency}-1", "given_name": "Testa",
                   "family_name": "Recognisedbaby", "date_of_birth": "2025-01-13",
                   "sex": "F"}]
        rows = [{"person_id": f"{agency}-1", **e} for e in events]
        folder = write_return(tmp_path / f"{agency}-{len(rows)}-{rows[0]['event_id']}",
                              people=people, events=rows)
        assert load_return(folder, agency).rows_quarantined == 0
        PersonRecord.objects.filter(source_id=f"{agency}-1").update(person_id=BABY)

    return _load


def _injury() -> dict[str, str]:
    return {"event_id": "H1", "event_type": "INJURY", "occurred_at": INJURY_DAY,
            "recorded_at": INJURY_DAY, "details": '{"type": "bruise", "site": "cheek"}'}


def _discussion(event_id: str, on: str, recorded: str) -> dict[str, str]:
    return {"event_id": event_id, "event_type": "STRATEGY_DISCUSSION", "occurred_at": on,
            "recorded_at": recorded}


def _injury_alert() -> Alert:
    return Alert.objects.get(child_id=BABY, rule="NIM_INJURY")


def test_a_strategy_discussion_recorded_after_the_injury_actions_its_alert(load: Any) -> None:
    load("HOSP", [_injury()])
    run_alerts(who="test")
    assert _injury_alert().status == AlertStatus.OPEN

    load("CSC", [_discussion("S1", "2025-03-04", "2025-03-05")])
    result = run_alerts(who="test")
    alert = _injury_alert()
    assert alert.status == AlertStatus.ACTIONED and result.recognised == 1
    assert alert.actioned_by is not None and alert.actioned_by.source_id == "S1"
    assert sorted(e.event_type for e in alert.evidence.all()) == ["INJURY",
                                                                  "STRATEGY_DISCUSSION"]
    change = alert.changes.get(kind="recognised")
    assert change.who == "joinedup" and change.note.startswith(LINE)
    assert not Alert.objects.filter(child_id=BABY, rule="NIM_INJURY",
                                    status__in=["open", "acknowledged"]).exists()

    again = run_alerts(who="test")  # nothing more to say: not "evidence no longer part of it"
    assert (again.raised, again.updated, again.recognised) == (0, 0, 0)
    assert _injury_alert().evidence.count() == 2
    assert AlertChange.objects.filter(alert=alert).count() == 2  # raised, recognised


def test_an_acknowledged_alert_is_recognised_too(load: Any) -> None:
    load("HOSP", [_injury()])
    run_alerts(who="test")
    lifecycle.acknowledge(_injury_alert().id, who="social worker")
    load("CSC", [_discussion("S1", "2025-03-04", "2025-03-05")])
    run_alerts(who="test")
    assert _injury_alert().status == AlertStatus.ACTIONED


def test_a_strategy_discussion_before_the_injury_does_not_count(load: Any) -> None:
    load("CSC", [_discussion("S0", "2025-02-20", "2025-02-20")])
    load("HOSP", [_injury()])
    result = run_alerts(who="test")
    alert = _injury_alert()
    assert alert.status == AlertStatus.OPEN and alert.actioned_by is None
    assert result.recognised == 0
    assert [e.event_type for e in alert.evidence.all()] == ["INJURY"]


def test_a_dismissed_alert_stays_dismissed(load: Any) -> None:
    load("HOSP", [_injury()])
    run_alerts(who="test")
    lifecycle.dismiss(_injury_alert().id, who="team manager", reason="Seen at the clinic")
    load("CSC", [_discussion("S1", "2025-03-04", "2025-03-05")])
    run_alerts(who="test")
    alert = _injury_alert()
    assert alert.status == AlertStatus.DISMISSED and alert.actioned_by is None
    assert [e.event_type for e in alert.evidence.all()] == ["INJURY"]
    assert not alert.changes.filter(kind="recognised").exists()


def test_a_reopened_alert_is_not_actioned_again_by_the_same_run(load: Any) -> None:
    load("HOSP", [_injury()])
    load("CSC", [_discussion("S1", "2025-03-04", "2025-03-05")])
    run_alerts(who="test")
    lifecycle.reopen(_injury_alert().id, who="team manager", reason="Medical still needed")
    run_alerts(who="test")
    assert _injury_alert().status == AlertStatus.OPEN


def test_the_show_command_names_the_action(load: Any, cli: Any) -> None:
    load("HOSP", [_injury()])
    load("CSC", [_discussion("S1", "2025-03-04", "2025-03-05")])
    run_alerts(who="test")
    shown = cli("alerts", "show", str(_injury_alert().id))
    assert shown.exit_code == 0, shown.output
    assert f"{LINE} (CSC entry S1)." in shown.output


# --- met_by in the catalogue ------------------------------------------------------------------

RULE = """
[[rule]]
id = "BABY_BRUISE"
title = "Bruise on a baby"
explanation = "A baby was bruised."
source = "NICE CG89"
action = "Strategy discussion."
priority = "urgent"
priority_reason = "Today."
priority_source = "NICE CG89"
{met_by}
[[rule.clause]]
operator = "each_event"
select = {{ types = ["INJURY"], whose = "child" }}
"""


@pytest.mark.parametrize(("met_by", "message"), [
    ('met_by = { types = ["STRATEGY_CHAT"] }',
     "Rule BABY_BRUISE, field met_by.types: 'STRATEGY_CHAT' is not an event type"),
    ('met_by = { types = ["STRATEGY_DISCUSSION"], whose = "neighbour" }',
     "Rule BABY_BRUISE, field met_by.whose: 'neighbour' is not one of"),
    ('met_by = { types = ["STRATEGY_DISCUSSION"], when = "soon" }',
     "Rule BABY_BRUISE, field met_by.when: is not a selector field"),
    ('met_by = "a strategy discussion"', "Rule BABY_BRUISE, field met_by: must be a table"),
    ('met_by = { types = ["STRATEGY_DISCUSSION"], by_kinds = ["SOCIAL_WORK"] }',
     "Rule BABY_BRUISE, field met_by.by_kinds: must be a list of agency kinds"),
], ids=["unknown-type", "unknown-whose", "unknown-field", "not-a-table", "unknown-kind"])
def test_a_bad_met_by_stops_the_load(met_by: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_catalogue(text=RULE.format(met_by=met_by))
    assert message in str(caught.value)


def test_met_by_is_read_and_can_be_overridden(tmp_path: Path) -> None:
    (rule,) = load_catalogue(text=RULE.format(
        met_by='met_by = { types = ["STRATEGY_DISCUSSION", "CP_MEDICAL"], whose = "child" }'))
    assert rule.met_by is not None and rule.met_by.types == ("STRATEGY_DISCUSSION",
                                                             "CP_MEDICAL")
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('[JIGSAW_GAP]\nmet_by = false\n'
                         '[NIM_INJURY]\nmet_by = { types = ["CP_MEDICAL"], whose = "child" }\n',
                         encoding="utf-8")
    rules = {r.id: r for r in load_catalogue(overrides)}
    assert rules["JIGSAW_GAP"].met_by is None
    assert rules["NIM_INJURY"].met_by is not None
    assert rules["NIM_INJURY"].met_by.types == ("CP_MEDICAL",)
    overrides.write_text('[NIM_INJURY]\nmet_by = { types = ["TEA"] }\n', encoding="utf-8")
    with pytest.raises(RuleError, match="Rule NIM_INJURY, field met_by.types"):
        load_catalogue(overrides)
