"""The `joinedup` command as a data steward uses it: outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EVENT, PERSON, write_return

pytestmark = pytest.mark.sqlite_only


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("JOINEDUP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "joinedup", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "var"
    assert run(folder, "init").returncode == 0
    added = run(folder, "agency", "add", "HV", "--name", "Health Visiting",
                "--kind", "HEALTH_VISITING", "--area", "E08000007")
    assert added.returncode == 0, added.stderr
    return folder


def test_commands_before_init_say_to_run_init(tmp_path: Path) -> None:
    result = run(tmp_path / "empty", "agency", "list")
    assert result.returncode == 1
    assert "There is no database yet" in result.stderr
    assert "set it up first" in result.stderr
    assert "`joinedup init` sets it up and brings it up to date." in " ".join(
        result.stderr.split())  # the path is long: the line wraps
    as_json = run(tmp_path / "empty", "agency", "list", "--format", "json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["error"]["hint"] == (
        "`joinedup init` sets it up and brings it up to date.")


def test_ingest_reports_counts_and_problems_and_exits_0(data: Path, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON],
                          events=[EVENT, {**EVENT, "event_id": "E2", "event_type": "HV_VIST"}])
    result = run(data, "ingest", str(folder), "--agency", "HV")
    assert result.returncode == 0, result.stderr
    assert "events.csv, row 3, column event_type: 'HV_VIST' is not an event type" in result.stdout
    assert "Did you mean HV_VISIT" in result.stdout
    assert "Stored as submission 1: 2 rows loaded, 1 quarantined" in result.stdout
    again = run(data, "ingest", str(folder), "--agency", "hv")
    assert "already received from HV as submission 1: nothing changed" in again.stdout
    listed = json.loads(run(data, "quarantine", "list", "--format", "json").stdout)
    assert [(q["table"], q["row"], q["column"]) for q in listed] == [("events", 3, "event_type")]
    subs = json.loads(run(data, "submissions", "list", "--format", "json").stdout)
    assert [(s["id"], s["rows_loaded"], s["rows_quarantined"]) for s in subs] == [(1, 2, 1)]


def test_ingest_json_output_is_stable(data: Path, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON], events=[EVENT])
    result = run(data, "ingest", str(folder), "--agency", "HV", "--dry-run", "--output", "json")
    body = json.loads(result.stdout)
    assert body["dry_run"] is True and body["submission_id"] is None
    assert body["tables"]["events"] == {"read": 1, "new": 1, "corrected": 0, "unchanged": 0,
                                        "quarantined": 0, "warnings": 0}
    assert json.loads(run(data, "submissions", "list", "--format", "json").stdout) == []


@pytest.mark.parametrize("args,code,message", [
    (["ingest", "{missing}", "--agency", "HV"], 1, "no such file or folder"),
    (["ingest", "{return}", "--agency", "NOPE"], 1, "no agency with code 'NOPE'"),
    (["ingest", "{return}", "--agency", "HV", "--format", "pdf"], 2, "--format"),
    (["ingest", "{return}"], 2, "--agency"),
    (["agency", "add", "X", "--name", "X", "--kind", "WIZARD", "--area", "E08000007"], 1,
     "not an agency kind"),
    (["quarantine", "list", "--submission", "99"], 1, "no submission 99"),
    (["no-such-command"], 2, "No such command"),
])
def test_exit_codes(data: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON])
    args = [a.format(missing=tmp_path / "nothing-here", **{"return": folder}) for a in args]
    result = run(data, *args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args,code,message,hint", [
    (["chronology", "999999"], "not_found", "There is no person 999999.",
     "`joinedup export persons` lists them."),
    (["alerts", "show", "999"], "not_found", "There is no alert 999.",
     "`joinedup alerts list` shows them."),
    (["ingest", "{return}", "--agency", "NOPE"], "agency", "no agency with code 'NOPE'",
     "Register it with `joinedup agency add NOPE --name ... --kind ... --area ...`."),
])
def test_refusals_come_out_as_json_when_json_was_asked_for(
        data: Path, tmp_path: Path, args: list[str], code: str, message: str,
        hint: str) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON])
    args = [a.format(**{"return": folder}) for a in args]
    as_json = "--output" if args[0] == "ingest" else "--format"
    asked = run(data, *args, as_json, "json")
    assert asked.returncode == 1, (asked.stdout, asked.stderr)
    error = json.loads(asked.stdout)["error"]
    assert error["code"] == code and message in error["message"]
    assert hint in error["hint"] and "joinedup" not in error["message"]
    assert set(error) == {"code", "message", "hint"}
    plain = run(data, *args)
    assert plain.returncode == 1
    assert plain.stdout == "" and "Error: " in plain.stderr and message in plain.stderr
    assert plain.stderr.index(message) < plain.stderr.index(hint)
    as_table = run(data, *args, as_json, "table")
    assert as_table.returncode == 1 and as_table.stdout == "" and message in as_table.stderr


def test_the_format_of_a_return_read_is_not_the_format_of_the_output(
        data: Path, tmp_path: Path) -> None:
    folder = write_return(tmp_path / "r", people=[PERSON])
    result = run(data, "ingest", str(folder), "--agency", "NOPE", "--format", "json")
    assert result.returncode == 1
    assert result.stdout == "" and "no agency with code 'NOPE'" in result.stderr


def test_link_explain_review_decide_and_export(tmp_path: Path) -> None:
    data = tmp_path / "var"
    demo = run(data, "demo", "--families", "0")
    assert demo.returncode == 0, demo.stderr
    assert "Baby S family across agencies" in demo.stdout
    assert "The father (person" in demo.stdout
    # The rules, the replay up to the injury, the review and its briefing in three formats.
    assert "rules would have called for action before the injury" in demo.stdout
    assert "UNASSESSED_RISKY_ADULT" in demo.stdout
    assert "it passed the de-identification guard and was published" in demo.stdout
    for name in ("baby-s-7-minute-briefing.html", "baby-s-7-minute-briefing.pdf",
                 "baby-s-7-minute-briefing.docx", "baby-s-review-chronology.pdf"):
        assert (data / "briefings" / name).stat().st_size > 1000, name
    explained = json.loads(run(data, "link", "explain", "GP:GP-88231", "PROBATION:X482915-V1",
                               "--format", "json").stdout)
    assert explained["match_probability"] > 0.95
    assert {c["field"] for c in explained["comparisons"]} >= {"given name", "date of birth"}
    # the previous area's record of Baby S before birth joins her, each step explained
    child_row = next(line for line in demo.stdout.splitlines() if "│ child" in line)
    assert "│ 12 " in child_row and "one person" in child_row, child_row
    unborn = json.loads(run(data, "link", "explain", "CSC_PREV:MCR-1120457", "HV:HV-5510871",
                            "--format", "json").stdout)["family"]
    assert unborn["linked"] and unborn["possible_twins"] is None
    assert unborn["steps"][1] == {"holds": True, "text": "expected 6 September 2024, born "
                                  "9 August 2024: 28 days apart (within 8 weeks)"}
    told = run(data, "link", "explain", "CSC_PREV:MCR-1120457", "HV:HV-5510871").stdout
    assert "holds: family name Brennan is the mother's" in told
    waiting = json.loads(run(data, "link", "review", "--format", "json").stdout)
    assert all(isinstance(row["reasons"], list) for row in waiting)
    rows = json.loads(run(data, "export", "persons", "--format", "json").stdout)
    assert set(rows[0]) == {"agency", "source_person_id", "person_id", "match_confidence",
                            "nhs_number", "nhs_conflict"}
    csv_out = run(data, "export", "persons").stdout.splitlines()
    assert csv_out[0] == ("agency,source_person_id,person_id,match_confidence,nhs_number,"
                          "nhs_conflict")
    assert len(csv_out) == len(rows) + 1
    no_reason = run(data, "link", "reject", "GP:GP-88231", "AMH:AMH-300781")
    assert no_reason.returncode == 2
    rejected = run(data, "link", "reject", "GP:GP-88231", "AMH:AMH-300781", "--why", "checked")
    assert rejected.returncode == 0, rejected.stderr
    after = {(r["agency"], r["source_person_id"]): r["person_id"] for r in json.loads(
        run(data, "export", "persons", "--format", "json").stdout)}
    assert after[("GP", "GP-88231")] != after[("AMH", "AMH-300781")]
    unknown = run(data, "link", "explain", "GP:NOPE", "GP:GP-88231")
    assert unknown.returncode == 1 and "no person record 'GP:NOPE'" in unknown.stderr
