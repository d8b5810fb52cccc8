"""`joinedup retention schedule` and `joinedup retention run` as a records manager uses them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.operations.conftest import Site, Sites

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def flat(result: subprocess.CompletedProcess[str]) -> str:
    return " ".join((result.stdout + result.stderr).split())


def test_the_schedule_in_force_is_shown_with_its_reasons(source: Site, tmp_path: Path) -> None:
    shown = source.run("retention", "schedule")
    assert shown.returncode == 0, shown.stderr
    said = flat(shown)
    assert "the built-in defaults (docs/retention.md)" in said
    assert "looked_after: until their 75th birthday" in said
    assert "not legal advice" in said
    listed = json.loads(source.ok("retention", "schedule", "--format", "json"))
    assert [c["class"] for c in listed["classes"]] == [
        "quarantine", "person_details", "case_text", "information_requests", "break_glass",
        "sessions", "sign_in_records", "audit_trail"]
    audit = next(c for c in listed["classes"] if c["class"] == "audit_trail")
    assert (audit["action"], audit["keep_years"]) == ("keep", 7)
    ours = tmp_path / "ours.toml"
    ours.write_text("[sign_in_records]\nkeep_years = 2\n")
    changed = json.loads(source.ok("retention", "schedule", "--schedule", str(ours),
                                   "--format", "json"))
    sign_ins = next(c for c in changed["classes"] if c["class"] == "sign_in_records")
    assert (sign_ins["keep_days"], sign_ins["keep_years"]) == (None, 2)


def test_run_says_to_choose_dry_run_or_apply(source: Site) -> None:
    neither = source.run("retention", "run")
    assert neither.returncode == 2
    assert "say --dry-run to see what is due, or --apply to do it" in flat(neither)
    bad_day = source.run("retention", "run", "--dry-run", "--as-of", "12/31/2040")
    assert bad_day.returncode == 2


def test_a_broken_schedule_file_stops_the_run(source: Site, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[audit_trail]\naction = \"delete\"\n")
    result = source.run("retention", "run", "--apply", "--schedule", str(bad))
    assert result.returncode == 1
    assert "[audit_trail] action cannot change: it is always 'keep'" in flat(result)


def test_dry_run_then_apply_then_nothing_left(source: Site, sites: Sites) -> None:
    site = sites.copy(source)
    entries_before = site.ok("audit", "verify")
    dry = json.loads(site.ok("retention", "run", "--dry-run", "--as-of", "2040-01-01",
                             "--format", "json"))
    due = {c["class"]: c["due"] for c in dry["classes"]}
    assert due["quarantine"] == 1  # the mistyped event type in the health visitors' return
    assert due["person_details"] == 3 and due["case_text"] == 2
    assert dry["applied"] is False and all(c["done"] == 0 for c in dry["classes"])
    assert site.ok("audit", "verify") == entries_before
    table = site.run("retention", "run", "--dry-run", "--as-of", "01/01/2040")
    assert "Dry run: nothing was changed" in flat(table)
    applied = site.run("retention", "run", "--apply", "--as-of", "2040-01-01")
    assert applied.returncode == 0, applied.stderr
    said = flat(applied)
    assert "person_details: pseudonymised: person records: 3" in said
    assert "(written to the audit trail)" in said
    assert "The audit trail is intact" in site.ok("audit", "verify")
    again = site.run("retention", "run", "--apply", "--as-of", "2040-01-01")
    assert "Nothing was due: nothing was changed." in flat(again)
    listed = json.loads(site.ok("audit", "list", "--format", "json", "--limit", "20"))
    assert sum(1 for e in listed if e["object_type"] == "retention") == 3
