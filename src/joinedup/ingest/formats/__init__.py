"""Choosing the reader for a return.

``auto`` looks at the path: a folder with header.csv or episodes.csv is SSDA903, a folder
or file named people.csv, events.csv or relationships.csv is the canonical CSV return, a
folder with ssd_person.csv is a Standard Safeguarding Dataset (SSD) extract,
``.xlsx`` is a workbook, ``.json`` a canonical JSON document and ``.xml`` a CIN census.
A ``.ndjson`` file, or a ``.json`` file that starts as a FHIR Bundle does
(``{"resourceType": "Bundle"``), is FHIR.

An SSD extract can also be read from the council's database (:func:`open_database_reader`),
with SQLAlchemy, which is an optional extra: it is imported only then.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from joinedup.errors import ConfigurationError, NextStep, UnknownFormatError, UnreadableFileError
from joinedup.ingest.formats.base import ReturnReader

if TYPE_CHECKING:
    from joinedup.ingest.formats.ssd_database import SsdDatabaseReader

FORMATS = ("auto", "csv", "xlsx", "json", "cin-census", "ssda903", "fhir", "ssd")


def detect_format(path: Path) -> str:
    if path.is_dir():
        names = {p.name.lower() for p in path.iterdir()}
        if "ssd_person.csv" in names:
            return "ssd"
        if names & {"header.csv", "episodes.csv"}:
            return "ssda903"
        if names & {"people.csv", "events.csv", "relationships.csv"}:
            return "csv"
        raise UnknownFormatError(
            f"{path}: the folder holds neither a canonical return (people.csv, events.csv, "
            "relationships.csv), an SSDA903 return (header.csv, episodes.csv) nor a Standard "
            "Safeguarding Dataset extract (ssd_person.csv)."
        )
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl") or (suffix == ".json" and _starts_as_bundle(path)):
        return "fhir"
    found = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".xml": "cin-census"}.get(suffix)
    if found is None:
        raise UnknownFormatError(
            f"{path}: joinedup cannot tell the format from "
            f"{suffix or 'a name with no extension'!r}; "
            f"name the format, one of {', '.join(FORMATS[1:])}.",
            next_step=NextStep.GIVE_DETAIL(detail="format"),
        )
    return found


_BUNDLE_START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"resourceType"\s*:\s*"Bundle"')


def _starts_as_bundle(path: Path) -> bool:
    """Does the file start as a FHIR Bundle does (resourceType first, as FHIR servers write
    it)? A canonical JSON return never has a resourceType."""
    try:
        with path.open("rb") as handle:
            return bool(_BUNDLE_START.match(handle.read(4096)))
    except OSError:
        return False


def open_reader(path: Path, fmt: str = "auto") -> ReturnReader:
    """The reader for ``path``; raises UnreadableFileError if the path cannot be read."""
    if not path.exists():
        raise UnreadableFileError(f"{path}: no such file or folder.")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if path.is_file() and path.stat().st_size == 0:
        raise UnreadableFileError(f"{path}: the file is empty.")
    if fmt == "csv":
        from joinedup.ingest.formats.canonical import CsvReturnReader

        return CsvReturnReader(path)
    if fmt == "xlsx":
        from joinedup.ingest.formats.canonical import XlsxReturnReader

        return XlsxReturnReader(path)
    if fmt == "json":
        from joinedup.ingest.formats.canonical import JsonReturnReader

        return JsonReturnReader(path)
    if fmt == "fhir":
        from joinedup.ingest.formats.fhir import FhirReader

        if not path.is_file():
            raise UnreadableFileError(f"{path}: a FHIR return is one file (a Bundle or NDJSON).")
        return FhirReader(path)
    if fmt == "cin-census":
        from joinedup.ingest.formats.cin_census import CinCensusReader

        return CinCensusReader(path)
    if fmt == "ssd":
        from joinedup.ingest.formats.ssd import SsdReader

        if not path.is_dir():
            raise UnreadableFileError(
                f"{path}: an SSD extract is a folder of CSV tables (ssd_person.csv, ...)."
            )
        return SsdReader(path)
    from joinedup.ingest.formats.ssda903 import Ssda903Reader

    if not path.is_dir():
        raise UnreadableFileError(f"{path}: an SSDA903 return is a folder of CSV tables.")
    return Ssda903Reader(path)


def open_database_reader(url: str, schema: str | None = None) -> SsdDatabaseReader:
    """The SSD reader for the database at ``url`` (tables in ``schema``, if given). Nothing
    is read until its rows are; an error if SQLAlchemy (the ssd-database extra) is missing."""
    try:
        from joinedup.ingest.formats.ssd_database import SsdDatabaseReader
    except ModuleNotFoundError as exc:
        if exc.name != "sqlalchemy":
            raise
        raise ConfigurationError(
            "Reading an SSD extract from a database needs SQLAlchemy, which is not installed. "
            "Install joinedup with its ssd-database extra: pip install 'joinedup[ssd-database]'."
        ) from exc
    return SsdDatabaseReader(url, schema)
