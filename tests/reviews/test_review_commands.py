"""`joinedup review ...`: exit codes, messages and the JSON keys (docs/cli.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROW_KEYS = {"id", "child_id", "pseudonym", "incident_on", "aware_on", "status", "decision",
            "decided_on", "closed_on", "as_of", "next_due", "overdue", "overdue_steps"}
STATUS_KEYS = ROW_KEYS | {"what_happened", "decision_label", "criteria", "decision_reasons",
                          "opened_by", "opened_at", "steps", "findings", "actions", "history"}
STEP_KEYS = {"id", "kind", "label", "agency", "agency_name", "planned_from", "due_on",
             "status", "done_on", "late", "overdue", "working_days_overdue", "note",
             "recorded_by"}
ACTION_KEYS = {"id", "review_id", "finding", "description", "owner", "owner_agency", "due_on",
               "status", "done_on", "overdue"}
THEME_KEYS = {"code", "label", "reviews", "total", "by_year", "by_quarter", "first_seen",
              "last_seen", "as_of", "window_years", "min_reviews", "reviews_in_window",
              "recurs"}


@pytest.fixture
def cli(baby_s: dict[str, Any], db: None, cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup ...` (tests/conftest.py) against the test database holding Baby S."""
    return cli


def _open(cli: Callable[..., Any]) -> int:
    result = cli("review", "open", "HV:HV-5510871", "--aware", "2025-05-21", "--incident",
                 "20/05/2025", "--what", "Fractures found in a 9-month-old.", "--pseudonym",
                 "Baby S", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == STATUS_KEYS
    return int(body["id"])


def test_a_review_from_opening_to_decision(cli: Callable[..., Any]) -> None:
    review = str(_open(cli))
    assert cli("review", "record", review, "sin", "--on", "2025-05-29").exit_code == 0
    summary = cli("review", "record", review, "agency_summary", "--agency", "PROBATION",
                  "--on", "2025-06-06", "--note", "On licence from August 2024.")
    assert summary.exit_code == 0, summary.output
    assert "from PROBATION recorded as done on 06/06/2025 (after its due date)" in summary.stdout

    on_due_day = json.loads(cli("review", "status", review, "--as-of", "2025-06-05",
                                "--format", "json").stdout)
    steps = {(s["kind"], s["agency"]): s for s in on_due_day["steps"]}
    assert set(on_due_day["steps"][0]) == STEP_KEYS
    assert steps[("SIN", None)]["status"] == "done" and not steps[("SIN", None)]["overdue"]
    assert not steps[("AGENCY_SUMMARY", "HV")]["overdue"]
    day_after = json.loads(cli("review", "status", review, "--as-of", "2025-06-06",
                               "--format", "json").stdout)
    assert {s["agency"] for s in day_after["overdue_steps"]} >= {"HV", "CSC"}

    listed = cli("review", "list", "--overdue", "--as-of", "2025-06-06", "--format", "json")
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [int(review)] and set(rows[0]) == ROW_KEYS
    none = json.loads(cli("review", "list", "--overdue", "--as-of", "2025-06-05",
                          "--format", "json").stdout)
    assert none == []
    table = cli("review", "list", "--as-of", "2025-06-06")
    assert table.exit_code == 0 and "Agency summary: " in table.stdout

    no_criterion = cli("review", "decide", review, "--decision", "local_cspr", "--reasons",
                       "Agreed")
    assert no_criterion.exit_code == 1 and "regulation 11 criterion" in no_criterion.output
    bad = cli("review", "decide", review, "--decision", "local_cspr", "--reasons", "Agreed",
              "--criterion", "just because")
    assert bad.exit_code == 2 and "LETTER=" in bad.output
    decided = cli("review", "decide", review, "--decision", "local_cspr", "--criterion",
                  "c=Agencies did not share the father's risk", "--reasons", "Agreed",
                  "--on", "2025-06-12")
    assert decided.exit_code == 0, decided.output
    assert "Publication due by 12/12/2025" in decided.stdout
    wrong = cli("review", "decide", review, "--decision", "maybe", "--reasons", "x")
    assert wrong.exit_code == 2


def test_findings_actions_and_themes(cli: Callable[..., Any]) -> None:
    review = str(_open(cli))
    added = cli("review", "finding", "add", review, "--title", "The father's role",
                "--narrative", "Adult services knew.", "--theme", "FATHERS_MEN",
                "--evidence", "PROBATION:NDL-5520024")
    assert added.exit_code == 0, added.output
    assert "finding 1 added" in added.stdout
    unknown = cli("review", "finding", "add", review, "--title", "t", "--narrative", "n",
                  "--theme", "NOPE")
    assert unknown.exit_code == 1 and "review theme add" in unknown.output
    action = cli("review", "action", "add", review, "--description", "Ask probation",
                 "--owner", "CSC principal social worker", "--due", "2025-12-01",
                 "--finding", "1", "--agency", "CSC")
    assert action.exit_code == 0, action.output
    action_id = action.stdout.split("action ")[1].split()[0]
    status = json.loads(cli("review", "status", review, "--format", "json").stdout)
    assert set(status["actions"][0]) == ACTION_KEYS
    assert status["findings"][0]["evidence"] == ["PROBATION:NDL-5520024"]
    assert cli("review", "action", "done", action_id, "--on", "2025-11-01").exit_code == 0
    twice = cli("review", "action", "done", action_id)
    assert twice.exit_code == 1 and "already done" in twice.output

    assert cli("review", "theme", "add", "HOME_CONDITIONS", "Home conditions").exit_code == 0
    themes = json.loads(cli("review", "themes", "--as-of", "2025-12-31", "--format",
                            "json").stdout)
    assert set(themes[0]) == THEME_KEYS
    fathers = next(t for t in themes if t["code"] == "FATHERS_MEN")
    assert fathers["reviews"] == [int(review)] and not fathers["recurs"]
    assert any(t["code"] == "HOME_CONDITIONS" for t in themes)
    recurs = json.loads(cli("review", "themes", "--as-of", "2025-12-31", "--min-reviews", "1",
                            "--format", "json").stdout)
    assert next(t for t in recurs if t["code"] == "FATHERS_MEN")["recurs"]
    assert cli("review", "themes").exit_code == 0


def test_review_chronology_files(cli: Callable[..., Any], tmp_path: Path) -> None:
    review = str(_open(cli))
    no_file = cli("review", "chronology", review, "--format", "docx")
    assert no_file.exit_code == 2 and "-o" in no_file.output
    path = tmp_path / "review.docx"
    written = cli("review", "chronology", review, "--format", "docx", "-o", str(path))
    assert written.exit_code == 0 and path.stat().st_size > 10_000
    body = json.loads(cli("review", "chronology", review, "--format", "json").stdout)
    assert set(body) == {"marking", "review", "chronology", "agency_summaries",
                         "evidence_after_awareness"}


def test_unknown_review_and_bad_input(cli: Callable[..., Any]) -> None:
    missing = cli("review", "status", "999999")
    assert missing.exit_code == 1 and "There is no review 999999" in missing.output
    bad_date = cli("review", "open", "HV:HV-5510871", "--aware", "05/21/2025", "--incident",
                   "2025-05-20", "--what", "x", "--pseudonym", "Baby S")
    assert bad_date.exit_code == 2
    child = cli("review", "open", "NOPE:1", "--aware", "2025-05-21", "--incident",
                "2025-05-20", "--what", "x", "--pseudonym", "Baby S")
    assert child.exit_code == 1
    review = str(_open(cli))
    step = cli("review", "record", review, "coffee")
    assert step.exit_code == 1 and "not a review step" in step.output


def test_closing_a_review(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINEDUP_PANEL_GRACE_DAYS", "14")
    review = str(_open(cli))
    no_reason = cli("review", "close", review, "--reason", "  ")
    assert no_reason.exit_code == 1 and "Say why review" in no_reason.output
    assert cli("review", "close", review).exit_code == 2  # --reason is required
    closed = cli("review", "close", review, "--reason", "Learning published.", "--on",
                 "2025-12-01")
    assert closed.exit_code == 0, closed.output
    assert f"Review {review} (Baby S) closed on 01/12/2025" in closed.stdout
    assert "until 15/12/2025, and not after" in closed.stdout  # 14 days from the setting
    body = json.loads(cli("review", "status", review, "--format", "json").stdout)
    assert (body["status"], body["closed_on"]) == ("closed", "2025-12-01")
    assert body["history"][-1]["what"] == "closed"
    shown = cli("review", "status", review)
    assert "Closed on 01/12/2025; the panel may open the child's record until 15/12/2025" \
        in " ".join(shown.stdout.split())
    twice = cli("review", "close", review, "--reason", "Again.")
    assert twice.exit_code == 1 and "already closed on 2025-12-01" in twice.output
    missing = cli("review", "close", "999999", "--reason", "x")
    assert missing.exit_code == 1 and "There is no review 999999" in missing.output
    monkeypatch.setenv("JOINEDUP_PANEL_GRACE_DAYS", "a month")
    bad = cli("review", "status", review)
    assert bad.exit_code == 1 and "JOINEDUP_PANEL_GRACE_DAYS must be a whole number" \
        in bad.output
