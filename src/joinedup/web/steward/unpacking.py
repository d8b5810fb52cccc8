"""Turning an uploaded file into what the ingest reads: a file or a folder on disk.

A return comes as one file (.xlsx, .json, a CIN census .xml, one canonical CSV), or as a
.zip of a folder (canonical CSVs, or an SSDA903 return's tables). The upload is saved under
its own name in a temporary folder, and a .zip is unpacked into a folder of the same name,
so the submission is recorded with the name the steward chose. One SSDA903 table sent on
its own (header.csv) goes into a folder, as the SSDA903 reader expects.

A .zip is checked before anything is written: no member may climb out of the folder, and
the unpacked size has a ceiling, so a malicious archive cannot fill the disk.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import UploadedFile

from joinedup.errors import UnreadableFileError

UNPACKED_LIMIT = 4 * 1024 ** 3
"""The most a .zip may unpack to (4 GB)."""
SSDA903_TABLES = ("header.csv", "episodes.csv")
IGNORED = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
SINGLE_FILE_SUFFIXES = (".xlsx", ".json", ".ndjson", ".xml", ".csv")


def safe_name(name: str) -> str:
    """The uploaded file's own name, without any folder and with only plain characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")
    return cleaned[:120] or "upload"


def save_upload(upload: UploadedFile, folder: Path) -> Path:
    """Write the upload into ``folder`` under its own (cleaned) name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(upload.name or "upload")
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def _members(archive: zipfile.ZipFile, shown: str) -> list[tuple[zipfile.ZipInfo, str]]:
    """The files to unpack with the name each gets in the return's folder."""
    files: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    total = 0
    for info in archive.infolist():
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or any(part in IGNORED or part.startswith("._")
                                for part in path.parts):
            continue
        if path.is_absolute() or ".." in path.parts:
            raise UnreadableFileError(f"{shown}: the .zip names a file outside its own folder "
                                      f"({info.filename}); it was not opened.")
        total += info.file_size
        if total > UNPACKED_LIMIT:
            raise UnreadableFileError(f"{shown}: the .zip unpacks to more than "
                                      f"{UNPACKED_LIMIT // 1024 ** 3} GB; send the return "
                                      "in smaller parts.")
        files.append((info, path))
    if not files:
        raise UnreadableFileError(f"{shown}: the .zip holds no files.")
    tops = {p.parts[0] for _, p in files}
    if len(tops) == 1 and all(len(p.parts) > 1 for _, p in files):
        files = [(info, PurePosixPath(*p.parts[1:])) for info, p in files]  # one folder inside
    nested = [str(p) for _, p in files if len(p.parts) > 1]
    if nested:
        raise UnreadableFileError(
            f"{shown}: the .zip has folders inside folders ({nested[0]}). Put the return's "
            "files at the top of the .zip, or in one folder.")
    return [(info, p.name) for info, p in files]


def unzip(archive_path: Path, folder: Path) -> Path:
    """Unpack a .zip into ``folder / <the .zip's name>``; a .zip holding a single .xlsx,
    .json or .xml gives that file."""
    shown = archive_path.name
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = _members(archive, shown)
            target = folder / shown
            target.mkdir(parents=True)
            for info, name in members:
                with archive.open(info) as source, (target / name).open("wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError) as exc:
        raise UnreadableFileError(f"{shown}: the .zip cannot be opened ({exc}). Make it "
                                  "again, or send the files one at a time.") from None
    files = list(target.iterdir())
    if len(files) == 1 and files[0].suffix.lower() in (".xlsx", ".json", ".xml"):
        return files[0]
    return target


def return_path(saved: Path, fmt: str, folder: Path) -> Path:
    """What to hand to the ingest for the saved upload and the chosen format."""
    suffix = saved.suffix.lower()
    if suffix == ".zip":
        return unzip(saved, folder)
    if suffix == ".csv" and (fmt == "ssda903" or (fmt == "auto"
                                                  and saved.name.lower() in SSDA903_TABLES)):
        target = folder / saved.name
        target.mkdir(parents=True)
        shutil.move(saved, target / saved.name)
        return target
    if suffix not in SINGLE_FILE_SUFFIXES and fmt == "auto":
        raise UnreadableFileError(
            f"{saved.name}: joinedup reads a .zip of a return's CSV files, an .xlsx, a .json, "
            "an .ndjson, a CIN census .xml or one .csv; choose the format if the file is one "
            "of them under another name.")
    return saved
