"""Backups and restores as an operator makes them: `joinedup backup`, `joinedup restore`, and
the backup `joinedup init` takes before migrating. On SQLite, and on PostgreSQL in the
PostgreSQL pass (each site is then a database of its own on that server)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers import on_postgres
from tests.operations.conftest import Site, Sites

REPO_SRC = Path(__file__).resolve().parents[2] / "src" / "joinedup"

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def flat(result: subprocess.CompletedProcess[str]) -> str:
    """What the command said (stdout and stderr), on one line whatever the terminal width."""
    return " ".join((result.stdout + result.stderr).split())


def _backup(site: Site, path: Path) -> dict[str, object]:
    made = json.loads(site.ok("backup", str(path), "--format", "json"))
    assert Path(made["backup"]).exists() and Path(made["manifest"]).exists()
    return made


def _audit_entries(site: Site) -> int:
    out = site.ok("audit", "verify")
    assert "The audit trail is intact" in out
    return int(out.split(":")[1].split()[0].replace(",", ""))


def test_backup_writes_the_database_and_a_manifest_of_what_it_holds(
        source: Site, tmp_path: Path) -> None:
    made = _backup(source, tmp_path / "monday")
    counts = made["counts"]
    assert isinstance(counts, dict)
    assert counts["agencies"] == 2 and counts["submissions"] == 2
    assert counts["person_records"] == 3 and counts["events"] == 2
    assert counts["audit_entries"] == _audit_entries(source) > 0
    audit = made["audit"]
    assert isinstance(audit, dict) and audit["head_id"] == counts["audit_entries"]
    assert len(str(audit["head_hash"])) == 64
    assert made["database"] == source.vendor and made["joinedup_version"]
    migrations = made["migrations"]
    newest = max(p.stem for p in (REPO_SRC / "people" / "migrations").glob("0*.py"))
    assert isinstance(migrations, dict) and migrations["latest"]["people"] == newest
    import hashlib

    data = (tmp_path / "monday").read_bytes()
    assert made["sha256"] == hashlib.sha256(data).hexdigest() and made["bytes"] == len(data)
    shown = source.ok("backup", str(tmp_path / "tuesday"))
    assert "2 submissions" in shown and "3 person records" in shown


def test_a_backup_never_overwrites_and_a_folder_gets_a_dated_file(
        source: Site, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("something else")
    refused = source.run("backup", str(tmp_path / "taken"))
    assert refused.returncode == 1
    assert "already exists: give a new file name" in flat(refused)
    assert (tmp_path / "taken").read_text() == "something else"
    folder = tmp_path / "nightly"
    folder.mkdir()
    made = _backup(source, folder)
    assert Path(str(made["backup"])).parent == folder
    assert Path(str(made["backup"])).name.startswith("joinedup-")


def test_restore_into_an_empty_database_is_verified_against_the_manifest(
        source: Site, sites: Sites, tmp_path: Path) -> None:
    made = _backup(source, tmp_path / "b")
    target = sites.new("restored")
    result = target.run("restore", str(made["backup"]))
    assert result.returncode == 0, result.stderr
    assert "Verified: the restored database holds what the backup's manifest says" \
        in flat(result)
    entries = made["audit"]["head_id"]  # type: ignore[index]
    assert f"The audit trail is intact: {entries} entries" in flat(result)
    assert _audit_entries(target) == _audit_entries(source)
    listed = json.loads(target.ok("submissions", "list", "--format", "json"))
    assert sorted(s["agency"] for s in listed) == ["CSC", "HV"]


def test_restore_refuses_a_database_in_use_without_force_and_keeps_a_copy_with_it(
        source: Site, sites: Sites, tmp_path: Path) -> None:
    site = sites.copy(source)
    made = _backup(site, tmp_path / "b")
    site.ok("users", "add", "late.comer", "--agency", "HV", "--role", "practitioner")
    refused = site.run("restore", str(made["backup"]))
    assert refused.returncode == 1
    assert "already holds data" in flat(refused) and "--force" in flat(refused)
    assert "late.comer" in site.ok("users", "list")  # nothing was touched
    forced = site.run("restore", str(made["backup"]), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Saved a copy of the database as it was to" in flat(forced)
    assert "late.comer" not in site.ok("users", "list")
    saved = list((site.folder / "var" / "backups").glob("before-restore-*"))
    assert len([p for p in saved if not p.name.endswith(".json")]) == 1
    assert _audit_entries(site) == made["audit"]["head_id"]  # type: ignore[index]


def test_a_restore_that_does_not_match_its_manifest_fails_with_the_differences(
        source: Site, sites: Sites, tmp_path: Path) -> None:
    made = _backup(source, tmp_path / "b")
    manifest = Path(str(made["manifest"]))
    data = json.loads(manifest.read_text())
    data["counts"]["events"] += 1
    data["audit"]["head_hash"] = "0" * 64
    manifest.write_text(json.dumps(data))
    result = sites.new("restored").run("restore", str(made["backup"]))
    assert result.returncode == 1
    assert "NOT verified: 2 differences from the manifest" in flat(result)
    assert "events: 3 in the manifest, 2 in the database" in flat(result)
    assert "audit trail's last hash: 0000" in flat(result)


def test_a_damaged_backup_is_refused_before_anything_is_touched(
        source: Site, sites: Sites, tmp_path: Path) -> None:
    made = _backup(source, tmp_path / "b")
    backup = Path(str(made["backup"]))
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))
    target = sites.new("untouched")
    result = target.run("restore", str(backup))
    assert result.returncode == 1
    assert "does not match its manifest (its SHA-256 differs)" in flat(result)
    assert "Nothing was restored" in flat(result)
    assert "There is no database yet" in target.run("users", "list").stderr or on_postgres()
    missing = target.run("restore", str(tmp_path / "no-such-backup"))
    assert missing.returncode == 1 and "There is no backup file at" in flat(missing)


def test_a_backup_taken_while_others_write_is_consistent(
        source: Site, sites: Sites, tmp_path: Path) -> None:
    """An audit writer and a loader keep writing while backups are taken; each backup is
    one instant of the database: restored, its audit chain is whole and ends at the head its
    manifest recorded, and its counts are the manifest's."""
    site = sites.copy(source)
    out = tmp_path / "during"
    out.mkdir()
    script = f"""
import json, threading, time
from pathlib import Path
from django.db import connection
from joinedup.access import audit
from joinedup.ingest.loading import load_return
from joinedup.operations.backup import take_backup
from tests.helpers import EVENT, PERSON, write_return

stop = threading.Event()
written = [0]
errors = []

def audit_writer():
    try:
        while not stop.is_set():
            audit.record("writer", "change", object_type="test", object_id=written[0])
            written[0] += 1
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

def loader():
    n = 0
    try:
        while not stop.is_set():
            n += 1
            folder = write_return(Path({str(tmp_path)!r}) / f"load-{{n}}",
                people=[{{**PERSON, "person_id": f"L{{n}}"}}],
                events=[{{**EVENT, "event_id": f"L-E{{n}}", "person_id": f"L{{n}}"}}])
            load_return(folder, "HV")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=audit_writer), threading.Thread(target=loader)]
for t in threads:
    t.start()
while written[0] < 20:
    time.sleep(0.01)
taken = []
for i in range(20):
    before = written[0]
    target, made = take_backup(Path({str(out)!r}) / f"b{{i}}")
    taken.append({{"path": str(target), "before": before, "after": written[0],
                  "head": made.audit["head_id"], "entries": made.counts["audit_entries"],
                  "events": made.counts["events"], "submissions": made.counts["submissions"]}})
    if sum(1 for t in taken if t["after"] > t["before"]) >= 2:
        break
    # let the writer commit again before the next backup (a busy machine can hold it back
    # for longer than several backups take), so that each backup has something new to hold
    deadline = time.monotonic() + 10
    while written[0] <= taken[-1]["after"] and time.monotonic() < deadline:
        time.sleep(0.01)
stop.set()
for t in threads:
    t.join()
print(json.dumps({{"taken": taken, "errors": errors}}))
"""
    result = site.python(script)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    taken = report["taken"]
    for backup in taken:  # each manifest is one instant: the head is the last entry
        assert backup["entries"] == backup["head"]
    heads = [b["head"] for b in taken]
    assert heads == sorted(heads) and heads[-1] > heads[0]
    during = [b for b in taken if b["after"] > b["before"]]
    assert during, "the writers never wrote while a backup was being taken"
    for backup in during[:2]:
        restored = sites.new("restored")
        result_restore = restored.run("restore", backup["path"])
        assert result_restore.returncode == 0, result_restore.stderr + result_restore.stdout
        assert "Verified" in flat(result_restore)
        assert _audit_entries(restored) == backup["head"]


def test_init_backs_up_a_database_in_use_before_migrating(source: Site, sites: Sites) -> None:
    site = sites.copy(source)
    rolled = site.python("from django.core.management import call_command\n"
                         "call_command('migrate', 'people', '0003', verbosity=0)")
    assert rolled.returncode == 0, rolled.stderr
    result = site.run("init")
    assert result.returncode == 0, result.stderr
    assert "Backed up the database to" in flat(result)
    assert "before migrating (2 agencies, 2 submissions, 3 person records" in flat(result)
    backups = sorted(p.name for p in (site.folder / "var" / "backups").iterdir())
    assert len(backups) == 2 and backups[0].startswith("before-migrate-")
    assert backups[0].endswith(".dump" if on_postgres() else ".sqlite3")
    assert backups[1] == backups[0] + ".manifest.json"
    manifest = json.loads((site.folder / "var" / "backups" / backups[1]).read_text())
    assert manifest["migrations"]["latest"]["people"].startswith("0003")
    # people 0004 and whatever migrations depend on it were rolled back: init applies them
    assert re.search(r"\b[1-9][0-9]* migrations applied", flat(result))
    again = site.run("init")
    assert "Backed up" not in flat(again) and "already up to date" in flat(again)


def test_init_of_a_new_database_takes_no_backup(sites: Sites) -> None:
    site = sites.new("fresh")
    result = site.run("init")
    assert result.returncode == 0, result.stderr
    assert "Backed up" not in flat(result)
    assert not (site.folder / "var" / "backups").exists()


@pytest.mark.sqlite_only
def test_a_sqlite_backup_is_one_self_contained_checked_file(source: Site, tmp_path: Path
                                                            ) -> None:
    if on_postgres():
        pytest.skip("SQLite only")
    made = _backup(source, tmp_path / "b.sqlite3")
    with sqlite3.connect(str(made["backup"])) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM chronology_event").fetchone()[0] == 2
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.postgres_only
def test_pg_dump_missing_or_of_another_version_is_a_clear_error(
        source: Site, tmp_path: Path) -> None:
    if not on_postgres():
        pytest.skip("needs PostgreSQL (JOINEDUP_DATABASE_URL=postgresql://...)")
    missing = source.run("backup", str(tmp_path / "a"), env_extra={"JOINEDUP_PG_BIN":
                                                                  str(tmp_path / "none")})
    assert missing.returncode == 1
    assert "pg_dump is not installed in JOINEDUP_PG_BIN" in flat(missing)
    assert "apt-get install postgresql-client-" in flat(missing)
    fake = tmp_path / "old-bin"
    fake.mkdir()
    (fake / "pg_dump").write_text('#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22"\n')
    (fake / "pg_dump").chmod(0o755)
    other = source.run("backup", str(tmp_path / "b"), env_extra={"JOINEDUP_PG_BIN": str(fake)})
    assert other.returncode == 1
    assert "is version 11" in flat(other) and "(the server's version) is needed" in flat(other)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
