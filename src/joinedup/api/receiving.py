"""A submission's body turned into a return on disk, ready for the ingest.

The ingest (``joinedup.ingest.loading.load_return``) reads a file or a folder, so the API
writes what it receives into a private temporary folder and hands over its path:

- a JSON body (``Content-Type: application/json``) is the canonical return as JSON; it is
  copied, unparsed, to ``return.json`` and read by the same JSON reader as
  ``joinedup ingest --format json``;
- a FHIR body (``Content-Type: application/fhir+json``: a Bundle; or
  ``application/fhir+ndjson``: one resource a line) is copied the same way, to
  ``return.json`` or ``return.ndjson``, and read by the FHIR reader
  (``joinedup ingest --format fhir``); so is an ``application/json`` body sent with
  ``?format=fhir``;
- a multipart upload (``multipart/form-data``, one file in the field ``file``) is saved under
  its own name (made safe); a ``.zip`` of CSV tables is unpacked into a folder (a canonical
  return or an SSDA903 return), with limits against zip bombs and odd paths.

The body is streamed to disk in blocks and counted, so its size is checked however it is
sent, and Django's 5 MB in-memory limit for form data does not apply to the return itself.
The ``fingerprint`` (SHA-256 of the format, the name and the content) is what an
idempotency key is checked against.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from joinedup.api import limits
from joinedup.api.errors import ApiError

BLOCK = 1 << 20
ZIP_MEMBERS = 50
SUFFIXES = {"xlsx": ".xlsx", "json": ".json", "cin-census": ".xml"}
"""The name a file must end with for the reader of its format."""
KNOWN_SUFFIXES = (".csv", ".xlsx", ".json", ".xml", ".zip", ".ndjson")
FHIR_BODIES = {"application/fhir+json": "return.json", "application/fhir+ndjson": "return.ndjson"}
"""FHIR's media types, and the name the body is written under for the FHIR reader."""
EMPTY = ("The body is empty: send the canonical return as a JSON object with people, events "
         "and/or relationships, or a file as multipart/form-data in a field named 'file'.")


@dataclass(frozen=True)
class Received:
    path: Path
    """The file or folder to load."""
    fmt: str
    """The format to load it as (``auto``: worked out from the path)."""
    fingerprint: str


def receive(request: HttpRequest, fmt: str, workdir: Path) -> Received:
    """Write the request's return into ``workdir``; refuse what cannot be a return."""
    length = _content_length(request)
    limits.check_length(length)
    content_type = (request.content_type or "").lower()
    if length == 0 and content_type in ("", "application/octet-stream", "text/plain"):
        raise ApiError("invalid_request", EMPTY)
    if content_type in FHIR_BODIES:
        return _json_body(request, fmt, workdir, "fhir", FHIR_BODIES[content_type])
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_body(request, fmt, workdir, "fhir" if fmt == "fhir" else "json")
    if content_type == "multipart/form-data":
        return _upload(request, fmt, workdir)
    raise ApiError("unsupported_media_type",
                   f"The body is {content_type or 'of no stated type'}: send the canonical "
                   "return as application/json, or a file as multipart/form-data in a field "
                   "named 'file'.")


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        raise ApiError("invalid_request", "The Content-Length header is not a number.") from None


def _json_body(request: HttpRequest, fmt: str, workdir: Path, kind: str = "json",
               name: str = "return.json") -> Received:
    """A JSON body written to ``name``, to be read as ``kind`` (json: the canonical return;
    fhir: a FHIR Bundle or NDJSON)."""
    if fmt not in ("auto", kind):
        said = "a FHIR Bundle" if kind == "fhir" else "a canonical return"
        raise ApiError("invalid_request",
                       f"A {'FHIR' if kind == 'fhir' else 'JSON'} body is {said}, not {fmt}: "
                       "send other formats as a multipart upload (a field named 'file').")
    target = workdir / name
    content = hashlib.sha256()
    size = 0
    limit = limits.max_bytes()
    with target.open("wb") as out:
        while block := request.read(BLOCK):
            size += len(block)
            if size > limit:
                raise limits.too_large(limit)
            content.update(block)
            out.write(block)
    if size == 0:
        raise ApiError("invalid_request", EMPTY)
    check_text(target, "json")
    return Received(target, kind, _fingerprint(kind, "", content.hexdigest()))


def _upload(request: HttpRequest, fmt: str, workdir: Path) -> Received:
    try:
        files = request.FILES
        fields = request.POST
    except RequestDataTooBig:
        raise limits.too_large(limits.max_bytes(), "The form data") from None
    except (SuspiciousOperation, MultiPartParserError) as exc:
        raise ApiError("invalid_request", f"The multipart body cannot be read ({exc}). Send "
                                          "one file in a field named 'file'.") from None
    uploads = files.getlist("file")
    if not uploads and "file" in fields:
        raise ApiError("invalid_request", "The field 'file' holds text, not a file: send the "
                                          "return as a file upload (with curl: -F "
                                          "'file=@people.csv').")
    if not uploads:
        sent = ", ".join(sorted({*files, *fields})) or "nothing"
        raise ApiError("invalid_request", f"The upload has no field named 'file' (sent: "
                                          f"{sent[:200]}). Send the return in a field named "
                                          "'file'.")
    if len(uploads) > 1 or len(files) > 1:
        raise ApiError("invalid_request", "Send one file per submission; send a folder of "
                                          "CSV tables as one .zip.")
    upload = uploads[0]
    (workdir / "upload").mkdir()
    target = workdir / "upload" / safe_name(upload.name or "")
    content = hashlib.sha256()
    with target.open("wb") as out:
        for block in upload.chunks(BLOCK):
            content.update(block)
            out.write(block)
    if target.stat().st_size == 0:
        raise ApiError("unreadable_return", f"{target.name}: the file is empty.")
    fingerprint = _fingerprint(fmt, target.name, content.hexdigest())
    path, fmt = prepare(target, fmt, workdir)
    check_text(path, fmt)
    return Received(path, fmt, fingerprint)


def safe_name(name: str) -> str:
    """The last part of an uploaded file's name, with only letters, digits, ``.``, ``_`` and
    ``-`` (never a path, never hidden); ``upload`` when nothing is left."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:100]
    return cleaned or "upload"


def _fingerprint(fmt: str, name: str, content_sha256: str) -> str:
    return hashlib.sha256(f"{fmt}\0{name}\0{content_sha256}".encode()).hexdigest()


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(64)


def _is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def prepare(saved: Path, fmt: str, workdir: Path) -> tuple[Path, str]:
    """The path and format to load an uploaded file as: a zip of tables unpacked, a file
    with no telling name recognised by its first bytes, the suffix its reader needs."""
    head = _head(saved)
    zipped = _is_zip(head) and not _is_workbook(saved)
    if zipped and fmt in ("auto", "csv", "ssda903", "ssd"):
        stem = safe_name(saved.stem) if saved.suffix.lower() == ".zip" else "return"
        folder = workdir / "unpacked" / stem
        folder.mkdir(parents=True)
        unpack(saved, folder, limits.max_bytes() * limits.UNPACK_FACTOR)
        return folder, fmt
    if saved.suffix.lower() == ".zip":
        raise ApiError("unreadable_return",
                       f"{saved.name}: this is not a zip of CSV tables joinedup can open (a "
                       "zipped return is a folder of CSV tables, format csv, ssda903 or ssd; send "
                       "a workbook, JSON or XML file as it is).")
    if fmt == "auto" and saved.suffix.lower() not in KNOWN_SUFFIXES:
        fmt = _sniff(saved, head)
    wanted = SUFFIXES.get(fmt)
    if wanted and saved.suffix.lower() != wanted:
        renamed = saved.with_name(saved.stem + wanted)
        saved.rename(renamed)
        saved = renamed
    return saved, fmt


def _sniff(saved: Path, head: bytes) -> str:
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _is_zip(head):
        return "xlsx"
    if start.startswith(b"<"):
        return "cin-census"
    if start.startswith(b"{") and b'"resourceType"' in head:
        return "fhir"
    if start.startswith((b"{", b"[")):
        return "json"
    raise ApiError("unreadable_return",
                   f"{saved.name}: joinedup cannot tell the format of this file. Name it "
                   "people.csv, events.csv or relationships.csv, or give it the ending .xlsx, "
                   ".json, .xml or .zip, or say which it is with ?format=.")


_JSON_ESCAPE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    rb"|([0-9a-fA-F]{4}))")
"""A \\uXXXX escape in JSON text (an escaped backslash before it does not count); a
surrogate pair is one match, with no group."""


def check_text(path: Path, fmt: str) -> None:
    """Refuse characters no database column can hold, before the ingest reads them: a NUL
    (byte 0) in CSV text, and in JSON a ``\\u0000`` or half a surrogate pair (a
    ``\\ud800`` with no partner). PostgreSQL refuses NUL in text, and no UTF-8 text holds
    a lone surrogate; a real return never has either."""
    if path.is_dir():
        for table in sorted(path.glob("*.csv")):
            check_text(table, "csv")
        return
    suffix = path.suffix.lower()
    if fmt in ("json", "fhir") or (fmt == "auto" and suffix in (".json", ".ndjson")):
        data = path.read_bytes()
        for match in _JSON_ESCAPE.finditer(data):
            code = match.group(1)
            if code is not None and (int(code, 16) == 0 or 0xD800 <= int(code, 16) <= 0xDFFF):
                line = data.count(b"\n", 0, match.start()) + 1
                raise ApiError("unreadable_return",
                               f"{path.name}, line {line}: the escape "
                               f"{match.group(0)[-6:].decode()} is not a character text can "
                               "hold (a NUL, or half of a surrogate pair). Remove it and "
                               "send the return again.")
    elif fmt in ("csv", "ssda903") or (fmt == "auto" and suffix == ".csv"):
        with path.open("rb") as handle:
            line = 1
            while block := handle.read(BLOCK):
                if b"\x00" in block:
                    line += block[:block.index(b"\x00")].count(b"\n")
                    raise ApiError("unreadable_return",
                                   f"{path.name}, line {line}: the file holds a NUL "
                                   "character (byte 0), so it is not UTF-8 text (perhaps it "
                                   "was saved as UTF-16 or 'Unicode'). Save it as 'CSV UTF-8 "
                                   "(comma delimited)' and send it again.")
                line += block.count(b"\n")


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts)


def unpack(archive_path: Path, folder: Path, most_bytes: int) -> None:
    """Unpack the CSV tables of a zip into ``folder`` (flat, names in lower case), refusing
    anything else in it, more than ``ZIP_MEMBERS`` files, encrypted or damaged members, and
    more than ``most_bytes`` unpacked (counted as written, not as the zip claims)."""
    where = archive_path.name
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = [m for m in archive.infolist()
                       if not m.is_dir() and not _hidden(m.filename)]
            _check_members(where, members)
            written = 0
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/")).name.lower()
                with archive.open(member) as source, (folder / name).open("wb") as out:
                    while block := source.read(BLOCK):
                        written += len(block)
                        if written > most_bytes:
                            raise limits.too_large(most_bytes, f"{where} unpacked")
                        out.write(block)
    except ApiError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise ApiError("unreadable_return",
                       f"{where}: the zip cannot be unpacked ({exc}).") from None


def _check_members(where: str, members: Iterable[zipfile.ZipInfo]) -> None:
    seen: set[str] = set()
    count = 0
    for member in members:
        count += 1
        path = PurePosixPath(member.filename.replace("\\", "/"))
        name = path.name.lower()
        if path.is_absolute() or ".." in path.parts:
            raise ApiError("unreadable_return",
                           f"{where} holds {member.filename!r}, a path outside the zip's "
                           "folder: zip the tables again from their folder.")
        if not name.endswith(".csv"):
            raise ApiError("unreadable_return",
                           f"{where} holds {member.filename!r}: a zipped return holds only CSV "
                           "tables (people.csv, events.csv, relationships.csv, or the tables "
                           "of an SSDA903 return).")
        if name in seen:
            raise ApiError("unreadable_return",
                           f"{where} holds two files named {name}: keep one.")
        if member.flag_bits & 0x1:
            raise ApiError("unreadable_return",
                           f"{where}: {member.filename} is encrypted; send the zip without a "
                           "password (the connection is already encrypted).")
        seen.add(name)
    if count == 0:
        raise ApiError("unreadable_return", f"{where}: the zip holds no files.")
    if count > ZIP_MEMBERS:
        raise ApiError("unreadable_return",
                       f"{where} holds {count} files; a return has at most {ZIP_MEMBERS}.")
