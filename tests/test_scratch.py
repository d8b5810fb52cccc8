"""Scratch folders (src/joinedup/scratch.py): work on children's records is written under
the data folder, never left in the system's temporary folder, and what a killed process
left behind is removed the next time a folder is made."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from joinedup import scratch
from joinedup.duckdb_sandbox import locked_connection
from joinedup.errors import ConfigurationError

REPO = Path(__file__).resolve().parents[1]

# a process that makes a scratch folder, writes a return into it, says where, and waits
HOLDER = """
import sys, time
from pathlib import Path
from joinedup import scratch
with scratch.folder("api") as made:
    (Path(made) / "return.json").write_text('{"people": []}')
    print(made, flush=True)
    time.sleep(120)
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOINEDUP_DATA_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


@pytest.fixture
def holder(data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    env = {**os.environ, "JOINEDUP_DATA_DIR": str(data_dir),
           "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen([sys.executable, "-c", HOLDER], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    made = Path(process.stdout.readline().strip())
    try:
        yield process, made
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_folder_is_private_under_the_data_folder_and_removed_after(data_dir: Path) -> None:
    with scratch.folder("export") as made:
        folder = Path(made)
        assert folder.parent == data_dir / "scratch"
        assert folder.name.startswith("export-")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        (folder / "chronology.pdf").write_bytes(b"%PDF")
    assert not folder.exists()


def test_what_a_killed_process_left_is_removed_when_the_next_folder_is_made(
        holder: tuple[subprocess.Popen[str], Path]) -> None:
    process, left = holder
    assert (left / "return.json").exists()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert left.exists()  # a killed process cannot clear up after itself
    with scratch.folder("upload") as made:
        assert not left.exists()
        assert Path(made).exists()


def test_the_folder_of_a_process_still_working_is_kept(
        holder: tuple[subprocess.Popen[str], Path]) -> None:
    _, working = holder
    with scratch.folder("upload"):
        pass
    assert scratch.sweep() == []
    assert (working / "return.json").exists()


def test_folders_of_another_machine_and_other_files_are_left_alone(data_dir: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    root = scratch.root()
    other_machine = root / f"api-anothermachine-{ended.pid}-x1"
    not_ours = root / "notes"
    ours = root / f"api-{scratch._machine()}-{ended.pid}-x2"
    for folder in (other_machine, not_ours, ours):
        folder.mkdir()
    assert scratch.sweep() == [ours]
    assert other_machine.exists() and not_ours.exists() and not ours.exists()


def test_a_purpose_is_one_plain_word(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="lower-case word"):
        scratch.folder("../api")


def test_duckdb_spills_into_the_scratch_folder(data_dir: Path) -> None:
    con = locked_connection()
    try:
        row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    assert row is not None
    assert Path(row[0]).parent == data_dir / "scratch"
    assert Path(row[0]).name.startswith("duckdb-")


def test_a_data_folder_that_cannot_be_written_is_explained(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("JOINEDUP_DATA_DIR", str(blocked))
    with pytest.raises(ConfigurationError, match="cannot make its scratch folder .*a-file/scratch"):
        scratch.folder("api")


def test_where_the_system_cannot_be_asked_nothing_is_swept(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    left = scratch.root() / f"api-{scratch._machine()}-{ended.pid}-x3"
    left.mkdir()
    monkeypatch.setattr(scratch, "_CAN_ASK", False)
    assert scratch.sweep() == []
    assert left.exists()
