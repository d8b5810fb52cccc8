"""`joinedup requests` and `joinedup meetings`: exit codes, messages and the JSON keys."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.postgres

REQUEST_KEYS = {
    "id", "from_agency", "to_agency", "to_area", "to_area_name", "person_id", "child_id", "reason",
    "reason_label", "question", "requested_on", "due_working_days", "due_on", "status",
    "as_of", "overdue", "working_days_overdue", "response", "received_on", "withdrawn_on",
    "withdrawn_reason", "sent_event_id", "received_event_id", "created_by", "updated_by",
    "updated_at",
}
MEETING_KEYS = {"id", "child_id", "agency", "status", "held_on", "chaired_by", "attending",
                "invited", "purpose", "agenda_alerts", "planned_by", "cancelled_reason",
                "decisions", "event_id", "recorded_by", "recorded_at", "actions"}
ACTION_KEYS = {"id", "meeting_id", "description", "owner", "owner_agency", "due_on", "status",
               "overdue", "done_on", "updated_by"}


@pytest.fixture
def cli(baby_s: dict[str, Any], db: None, cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup ...` (tests/conftest.py) against the test database holding Baby S."""
    return cli


@pytest.mark.slow
def test_a_request_from_sending_to_overdue_to_reply(cli: Callable[..., Any]) -> None:
    sent = cli("requests", "send", "--from", "CSC", "--to", "PROBATION",
               "--person", "PROBATION:X482915", "--child", "HV:HV-5510871",
               "--reason", "RISK_ADULT", "--question", "Risk assessment", "--on", "01/03/2024",
               "--due-days", "5")
    assert sent.exit_code == 0, sent.output
    assert "reply due by 08/03/2024 (5 working days)" in sent.stdout
    request_id = sent.stdout.split()[1]
    overdue = cli("requests", "list", "--overdue", "--as-of", "2024-03-12", "--format", "json")
    rows = json.loads(overdue.stdout)
    assert [r["id"] for r in rows] == [int(request_id)]
    assert set(rows[0]) == REQUEST_KEYS
    assert (rows[0]["overdue"], rows[0]["working_days_overdue"]) == (True, 2)
    assert rows[0]["due_on"] == "2024-03-08" and rows[0]["to_area"] is None
    not_yet = cli("requests", "list", "--overdue", "--as-of", "2024-03-08", "--format", "json")
    assert json.loads(not_yet.stdout) == []
    table = cli("requests", "list", "--as-of", "2024-03-12")
    assert "overdue, 2 working days" in table.stdout
    received = cli("requests", "receive", request_id, "--response", "MAPPA 2",
                   "--on", "2024-03-12")
    assert received.exit_code == 0 and "(after the due date)" in received.stdout
    shown = json.loads(cli("requests", "show", request_id, "--format", "json").stdout)
    assert set(shown) == REQUEST_KEYS | {"history"}
    assert (shown["status"], shown["overdue"], shown["received_on"]) == (
        "received", False, "2024-03-12")
    assert [h["what"] for h in shown["history"]] == ["sent", "received"]
    refused = cli("requests", "withdraw", request_id, "--why", "no longer needed")
    assert refused.exit_code == 1
    assert "a request with a reply cannot be withdrawn" in refused.output


def test_an_area_is_asked_by_its_name_and_listed_by_it(cli: Callable[..., Any]) -> None:
    sent = cli("requests", "send", "--from", "CSC", "--to-area", "manchester",
               "--person", "CSC:CSC-104229", "--reason", "CARE_HISTORY",
               "--question", "Looked-after records", "--on", "2024-03-01")
    assert sent.exit_code == 0, sent.output
    assert "sent from CSC to Manchester (E08000003) on 01/03/2024" in sent.stdout
    wales = cli("requests", "send", "--from", "CSC", "--to-area", "W06000015",
                "--person", "CSC:CSC-104229", "--reason", "OTHER", "--question", "q")
    assert wales.exit_code == 0 and "to W06000015 (Wales)" in wales.stdout
    rows = json.loads(cli("requests", "list", "--format", "json").stdout)
    assert {(r["to_area"], r["to_area_name"]) for r in rows} == {
        ("E08000003", "Manchester"), ("W06000015", None)}
    wrong = cli("requests", "send", "--from", "CSC", "--to-area", "Manchestr",
                "--person", "CSC:CSC-104229", "--reason", "OTHER", "--question", "q")
    assert wrong.exit_code == 1
    assert "'Manchestr' is not an area in England or an area code" in wrong.output


@pytest.mark.slow
def test_a_meeting_and_its_actions(cli: Callable[..., Any]) -> None:
    recorded = cli("meetings", "record", "--child", "HV:HV-5510871", "--agency", "CSC",
                   "--on", "2024-09-02", "--attending", "HV, POLICE,PROBATION",
                   "--decisions", "Step-up review", "--chair", "Team manager",
                   "--action", "Tell HV of release date|Offender manager|2024-09-04|PROBATION",
                   "--action", "Step-up review|CSC team|2024-09-09")
    assert recorded.exit_code == 0, recorded.output
    meetings = json.loads(cli("meetings", "list", "--child", "HV:HV-5510871",
                              "--format", "json").stdout)
    assert len(meetings) == 1 and set(meetings[0]) == MEETING_KEYS
    meeting = meetings[0]
    assert meeting["attending"] == ["CSC", "HV", "POLICE", "PROBATION"]
    assert [set(a) for a in meeting["actions"]] == [ACTION_KEYS, ACTION_KEYS]
    first = meeting["actions"][0]
    assert (first["owner_agency"], first["due_on"], first["status"]) == (
        "PROBATION", "2024-09-04", "open")
    done = cli("meetings", "done", str(first["id"]), "--on", "2024-09-03")
    assert done.exit_code == 0 and "marked done on 03/09/2024" in done.stdout
    shown = json.loads(cli("meetings", "show", str(meeting["id"]), "--format", "json").stdout)
    assert [a["status"] for a in shown["actions"]] == ["done", "open"]
    again = cli("meetings", "done", str(first["id"]))
    assert again.exit_code == 1 and "already done" in again.output
    badly = cli("meetings", "record", "--child", "5", "--agency", "CSC", "--on", "2024-09-02",
                "--attending", "HV", "--decisions", "x", "--action", "no due date|me")
    assert badly.exit_code == 2 and "description|owner|YYYY-MM-DD" in badly.output


@pytest.mark.slow
def test_a_meeting_planned_then_held(cli: Callable[..., Any], settings: Any) -> None:
    settings.JOINEDUP_INVOLVEMENT_DAYS = 3 * 365  # the scenario's events are from 2024-25
    next_week = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    plan = ("meetings", "plan", "--child", "HV:HV-5510871", "--agency", "CSC", "--on",
            next_week, "--purpose", "Agree a plan now the father is out")
    unknown = cli(*plan, "--invite", "HV,NOSUCH")
    assert unknown.exit_code == 1 and "There is no agency with code NOSUCH" in unknown.output
    assert cli("agency", "add", "DENTAL", "--name", "Community Dental Service", "--kind",
               "OTHER", "--area", "E08000007").exit_code == 0
    refused = cli(*plan, "--invite", "HV,DENTAL")  # knows nothing of the family
    assert refused.exit_code == 1
    assert "Community Dental Service (DENTAL) cannot be invited" in refused.output
    planned = cli(*plan, "--invite", "HV,PROBATION")
    assert planned.exit_code == 0, planned.output
    assert "invited: HV, PROBATION" in planned.stdout
    meeting_id = planned.stdout.split()[1]
    listed = json.loads(cli("meetings", "list", "--child", "HV:HV-5510871",
                            "--format", "json").stdout)
    assert [(m["status"], m["invited"], m["event_id"]) for m in listed] == [
        ("planned", ["HV", "PROBATION"], None)]
    held = cli("meetings", "record", "--child", "HV:HV-5510871", "--agency", "CSC", "--on",
               dt.date.today().isoformat(), "--attending", "HV,PROBATION", "--decisions",
               "Step up", "--planned", meeting_id)
    assert held.exit_code == 0, held.output
    shown = json.loads(cli("meetings", "show", meeting_id, "--format", "json").stdout)
    assert shown["status"] == "held" and shown["event_id"] is not None
    late = cli("meetings", "cancel", meeting_id, "--reason", "not needed")
    assert late.exit_code == 1 and "only a planned meeting can be cancelled" in late.output


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("JOINEDUP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "joinedup", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.sqlite_only
def test_exit_codes_of_the_real_command(tmp_path: Path) -> None:
    data = tmp_path / "var"
    assert run(data, "init").returncode == 0
    assert run(data, "agency", "add", "CSC", "--name", "Children's social care",
               "--kind", "CHILDRENS_SOCIAL_CARE", "--area", "E08000007").returncode == 0
    empty = run(data, "requests", "list", "--format", "json")
    assert (empty.returncode, json.loads(empty.stdout)) == (0, [])
    assert json.loads(run(data, "meetings", "list", "--format", "json").stdout) == []
    cases = [
        (["requests", "send", "--from", "CSC", "--person", "1", "--reason", "OTHER",
          "--question", "q"], 2, "--to AGENCY or --to-area"),
        (["requests", "send", "--from", "CSC", "--to-area", "E08000003", "--person", "7",
          "--reason", "OTHER", "--question", "q"], 1, "There is no person 7"),
        (["requests", "send", "--from", "CSC", "--to-area", "E08000003", "--person", "7",
          "--reason", "OTHER", "--question", "q", "--on", "12/31/2024"], 2, "--on"),
        (["requests", "receive", "3", "--response", "r"], 1, "no information request 3"),
        (["requests", "withdraw", "3"], 2, "--why"),
        (["requests", "list", "--status", "lost"], 2, "--status"),
        (["meetings", "show", "4"], 1, "no professionals meeting 4"),
        (["meetings", "done", "5"], 1, "no meeting action 5"),
    ]
    for args, code, message in cases:
        result = run(data, *args)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        assert message in result.stdout + result.stderr, args
        assert "Traceback" not in result.stderr
