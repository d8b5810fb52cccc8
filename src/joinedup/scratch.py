"""Private folders for one piece of work, kept under the data folder and cleared up even
after a crash.

A return received through the API or uploaded on a page, a chronology or briefing being
written, and DuckDB's spill files all hold children's records while the work lasts. They
are written to a folder of their own under ``<data folder>/scratch`` (mode 0700), not the
system's temporary folder, which other programs and users of the machine share. A folder
is removed when its work ends. When a process is killed mid-way it cannot remove its
folder, so the name of each folder carries the machine and the process that made it
(``api-<machine>-<pid>-<random>``), and every time a folder is made, the folders of this
machine's processes that have ended are removed (:func:`sweep`). Folders made on another
machine sharing the data folder are left to that machine.

    folder(purpose)   a new private folder, removed when the ``with`` block ends (or
                      one in a folder Spark's workers share)
    spill_path(purpose) a path for a folder that another program makes and removes
    sweep()           remove the folders of this machine's processes that have ended
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import uuid
from pathlib import Path

from joinedup.config import data_dir
from joinedup.errors import ConfigurationError

_CAN_ASK = os.name == "posix"
"""Whether this system can be asked if a process runs without touching it (``os.kill``
with signal 0); on Windows ``os.kill`` ends the process instead."""
_PURPOSE = re.compile(r"[a-z]{1,20}")
_NAME = re.compile(r"(?P<purpose>[a-z]{1,20})-(?P<machine>[A-Za-z0-9]{0,40})-(?P<pid>\d{1,10})-")


def root() -> Path:
    """The scratch folder, made (private to joinedup's user) if it does not exist."""
    path = data_dir() / "scratch"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"joinedup cannot make its scratch folder {path} ({exc.strerror}). The data "
            "folder (JOINEDUP_DATA_DIR) must be a folder joinedup's user can write.") from exc
    return path


def _machine() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40]


def _prefix(purpose: str) -> str:
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"A scratch folder's purpose is a short lower-case word, not {purpose!r}")
    return f"{purpose}-{_machine()}-{os.getpid()}-"


def folder(purpose: str, shared: Path | None = None) -> tempfile.TemporaryDirectory[str]:
    """A new private folder under :func:`root` for one piece of work (``purpose``: a word
    such as ``api``), removed with everything in it when the ``with`` block ends. Folders
    that ended processes left behind are removed first.

    ``shared``: a folder other machines read too (``JOINEDUP_SPARK_SCRATCH``, where Spark's
    workers read); the new folder is made there instead and is not swept, since whether
    the process that made it still runs cannot be told from this machine."""
    if shared is not None:
        return tempfile.TemporaryDirectory(prefix=f"joinedup-{_prefix(purpose)}", dir=shared)
    sweep()
    return tempfile.TemporaryDirectory(prefix=_prefix(purpose), dir=root())


def spill_path(purpose: str) -> Path:
    """A path under :func:`root` for a folder another program makes and removes itself
    (DuckDB's spill folder); swept like :func:`folder`'s if the process is killed."""
    sweep()
    return root() / f"{_prefix(purpose)}{uuid.uuid4().hex}"


def sweep() -> list[Path]:
    """Remove the scratch folders of this machine's processes that have ended; return
    them. A folder whose name does not say who made it is left alone."""
    machine, removed = _machine(), []
    for entry in root().iterdir():
        found = _NAME.match(entry.name)
        if found is None or found["machine"] != machine or _running(int(found["pid"])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id is running on this machine (one of another user's
    counts: its folder is not ours to judge). Where the system cannot be asked
    (:data:`_CAN_ASK`), every process counts as running and nothing is swept."""
    if pid == os.getpid() or not _CAN_ASK:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True
