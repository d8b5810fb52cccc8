"""Reader for FHIR R4 (UK Core) health records: a Bundle as JSON, or NDJSON (one resource a
line, as bulk FHIR exports write it).

Each resource is validated by its model from ``fhir.resources.R4B`` before anything is read
from it; a resource the model refuses becomes a row with an error naming the file, the entry
(or line), the resource type and id, the element and the fix, and the others load. The
resources joinedup reads (Patient, RelatedPerson, Encounter, Appointment, EpisodeOfCare,
Condition, Observation, Flag, Communication) become canonical people, relationships and events rows
(``fhir_people``, ``fhir_events``); any other resource (Practitioner, Organization...) is
left out. The mapping is documented for data stewards in ``docs/formats/fhir.md``.

An NDJSON file is streamed line by line. A Bundle is one JSON document, read whole (as the
canonical JSON return is): references between its entries (``urn:uuid:`` full URLs) are
resolved from the whole Bundle.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import CountingFile, SourceRow, file_size
from joinedup.ingest.formats.fhir_entry import Entry
from joinedup.ingest.formats.fhir_events import (
    appointment_rows,
    communication_rows,
    encounter_rows,
    episode_rows,
    finding_rows,
    flag_rows,
)
from joinedup.ingest.formats.fhir_people import (
    patient_rows,
    related_links,
    related_person_rows,
)
from joinedup.ingest.formats.fhir_problems import describe_refusal
from joinedup.ingest.problems import RowProblem, error
from joinedup.local_time import local_date

FORMAT_NAME = "fhir"
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
MAPPINGS: dict[str, Callable[[Entry], Iterator[SourceRow]]] = {
    "Patient": patient_rows, "RelatedPerson": related_person_rows,
    "Encounter": encounter_rows, "Appointment": appointment_rows,
    "EpisodeOfCare": episode_rows, "Condition": finding_rows, "Observation": finding_rows,
    "Flag": flag_rows, "Communication": communication_rows,
}
PEOPLE_KINDS = ("Patient", "RelatedPerson")
RESEND = "Export it again from the clinical system and send the whole file."
ONE_A_LINE = object()
"""What reading a .json file as one document gives when it holds one resource a line."""


class FhirReader:
    """Streams a FHIR Bundle or NDJSON file as canonical people, relationships and events."""

    format_name = FORMAT_NAME

    def __init__(self, path: Path, today: dt.date | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.total_bytes = file_size(self.path)
        self.today = today or local_date(dt.datetime.now(dt.UTC))
        self._counter: CountingFile | None = None
        self._done = 0
        self.same_person: dict[str, str] = {}
        """RelatedPerson id -> Patient id, from the Patients' links (fhir_people)."""

    def bytes_done(self) -> int:
        return self._counter.count if self._counter is not None else self._done

    def rows(self) -> Iterator[SourceRow]:
        if self.path.suffix.lower() in NDJSON_SUFFIXES:
            yield from self._ndjson()
            return
        document = self._document()
        if document is ONE_A_LINE:  # several JSON documents, one a line: NDJSON named .json
            yield from self._ndjson()
            return
        self._done = self.total_bytes
        if not isinstance(document, dict) or not document.get("resourceType"):
            raise UnreadableFileError(
                f"{self.name} is not FHIR: a FHIR file is a JSON object with a resourceType "
                f"(a Bundle), or one resource a line (NDJSON). {RESEND}")
        if document["resourceType"] != "Bundle":
            yield from self._resource(document, 1, f"{self.name}, entry 1", {})
            return
        yield from self._bundle(document)

    # -- a Bundle --------------------------------------------------------------------------

    def _document(self) -> Any:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise UnreadableFileError(f"Cannot open {self.name}: {exc.strerror or exc}.") from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{self.name}: the file is not UTF-8 text (byte {exc.start + 1} is "
                f"0x{exc.object[exc.start]:02X}). {RESEND}") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and _is_resource_line(text.split("\n", 1)[0]):
                return ONE_A_LINE
            cut = " The file ends too soon: it was probably cut short." if (
                exc.msg.startswith("Unterminated") or exc.pos >= len(text.rstrip())) else ""
            raise UnreadableFileError(
                f"{self.name} is not valid JSON (line {exc.lineno}: {exc.msg}).{cut} "
                f"{RESEND}") from None
        except (ValueError, RecursionError):
            raise UnreadableFileError(
                f"{self.name}: the JSON is nested too deeply or holds a number too large to "
                f"read. {RESEND}") from None

    def _bundle(self, document: dict[str, Any]) -> Iterator[SourceRow]:
        entries = document.get("entry") or []
        shell = {k: v for k, v in document.items() if k != "entry"}
        try:
            get_fhir_model_class("Bundle").model_validate(shell)
        except ValidationError as exc:
            first = describe_refusal(exc, "Bundle")[0]
            raise UnreadableFileError(
                f"{self.name}: the Bundle itself does not follow FHIR R4 ({first.message}). "
                f"{RESEND}") from None
        if not isinstance(entries, list):
            raise UnreadableFileError(
                f"{self.name}: the Bundle's entry is not a list of entries. {RESEND}")
        full_urls = _full_urls(entries)
        for item in entries:  # a Patient's link may come after the RelatedPerson it names
            resource = item.get("resource") if isinstance(item, dict) else None
            if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
                for related in related_links(resource):
                    self.same_person.setdefault(related, _text(resource.get("id")))
        for number, item in enumerate(entries, start=1):
            where = f"{self.name}, entry {number}"
            resource = item.get("resource") if isinstance(item, dict) else None
            shell_problem = _entry_problem(item, number, where)
            if shell_problem is not None:
                yield SourceRow("events", number, {}, where, problems=[shell_problem])
            elif resource is not None:  # an entry without one (a DELETE) adds nothing
                yield from self._resource(resource, number, where, full_urls,
                                          full_urls.get(_text(item.get("fullUrl")), ""))

    # -- NDJSON ----------------------------------------------------------------------------

    def _ndjson(self) -> Iterator[SourceRow]:
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise UnreadableFileError(f"Cannot open {self.name}: {exc.strerror or exc}.") from exc
        with CountingFile(raw) as counter:
            self._counter = counter
            seen_resource = False
            for number, line in enumerate(io.BufferedReader(counter), start=1):
                if not line.strip():
                    continue
                where = f"{self.name}, line {number}"
                resource, problem = _line(line, number, where)
                if not seen_resource and resource is None:
                    raise UnreadableFileError(
                        f"{where} is not a FHIR resource ({problem.message if problem else ''}"
                        f"): an NDJSON file holds one resource a line, each a JSON object with "
                        f"a resourceType. {RESEND}")
                seen_resource = True
                if problem is not None:
                    yield SourceRow("events", number, {}, where, problems=[problem])
                else:
                    yield from self._resource(resource, number, where, {})

    # -- one resource ----------------------------------------------------------------------

    def _resource(self, resource: Any, number: int, where: str, full_urls: dict[str, str],
                  fallback_id: str = "") -> Iterator[SourceRow]:
        """The rows of one resource; ``fallback_id`` names it when it has no id (the uuid
        of its entry's fullUrl)."""
        if not isinstance(resource, dict):
            yield SourceRow("events", number, {}, where, problems=[error(
                "events", number, "resource", "the entry's resource is not a JSON object",
                "Send each resource as an object with a resourceType.", location=where)])
            return
        kind = resource.get("resourceType")
        if kind not in MAPPINGS:
            if not isinstance(kind, str) or not _is_fhir_type(kind):
                yield SourceRow("events", number, {}, where, problems=[error(
                    "events", number, "resourceType",
                    "the resource has no resourceType" if not kind
                    else f"{str(kind)[:60]!r} is not a FHIR R4 resource type",
                    "Give each resource its FHIR R4 resourceType (Patient, Encounter...).",
                    kind, where)])
            return  # a resource joinedup does not read (Practitioner, Organization...)
        resource_id = _text(resource.get("id")) or fallback_id
        where = f"{where} ({kind}/{resource_id or 'no id'})"
        table = "people" if kind in PEOPLE_KINDS else "events"
        model, problems = _validated(resource, kind, number, table, where)
        if not resource_id:
            problems.append(error(table, number, "id", f"the {kind} has no id",
                                  "Give every resource its id and send it again.",
                                  location=where))
        if model is None or problems:
            key = "person_id" if table == "people" else "event_id"
            shown = resource_id if kind == "Patient" else f"{kind}/{resource_id}"
            # holds_names: a refused Patient is not also warned of having no name
            yield SourceRow(table, number, {key: shown if resource_id else ""}, where,
                            extra={"resourceType": kind}, problems=problems,
                            holds_names=False)
            return
        entry = Entry(model, resource, number, where, resource_id, self.today, full_urls,
                      self.same_person)
        yield from MAPPINGS[kind](entry)


def _validated(resource: dict[str, Any], kind: str, number: int, table: str,
               where: str) -> tuple[Any, list[RowProblem]]:
    """The resource as its R4B model, or None and why the model refused it."""
    try:
        return get_fhir_model_class(kind).model_validate(resource), []
    except ValidationError as exc:
        return None, [error(table, number, r.element, f"the {kind} does not follow FHIR R4: "
                            f"{r.message}", r.fix, r.value, where)
                      for r in describe_refusal(exc, kind)]
    except (ValueError, TypeError, RecursionError) as exc:
        return None, [error(table, number, None, f"the {kind} cannot be read ({exc})"[:300],
                            f"Check the {kind} against FHIR R4 and send it again.",
                            location=where)]


def _is_fhir_type(kind: str) -> bool:
    try:
        get_fhir_model_class(kind)
    except (ValueError, KeyError, AttributeError, ImportError):
        return False
    return True


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _full_urls(entries: list[Any]) -> dict[str, str]:
    """fullUrl -> the id of the entry's resource (a urn:uuid's uuid when it has none)."""
    found: dict[str, str] = {}
    for item in entries:
        if not isinstance(item, dict) or not isinstance(item.get("fullUrl"), str):
            continue
        resource = item.get("resource")
        rid = resource.get("id") if isinstance(resource, dict) else None
        url = item["fullUrl"]
        found[url] = rid if isinstance(rid, str) and rid else url.rsplit(":", 1)[-1]
    return found


def _entry_problem(item: Any, number: int, where: str) -> RowProblem | None:
    """What is wrong with a Bundle entry's own elements (fullUrl, request...), if anything."""
    if not isinstance(item, dict):
        return error("events", number, "entry", "the entry is not a JSON object",
                     "Send each entry as an object holding a resource.", location=where)
    shell = {k: v for k, v in item.items() if k != "resource"}
    try:
        get_fhir_model_class("BundleEntry").model_validate(shell)
    except ValidationError as exc:
        first = describe_refusal(exc, "Bundle entry")[0]
        return error("events", number, f"entry.{first.element}",
                     f"the Bundle entry does not follow FHIR R4: {first.message}", first.fix,
                     first.value, where)
    return None


def _line(line: bytes, number: int, where: str) -> tuple[Any, RowProblem | None]:
    """The resource on one NDJSON line, or the problem with the line."""
    try:
        value = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, error("events", number, None, f"the line is not UTF-8 text (byte "
                           f"{exc.start + 1})", "Save the export as UTF-8.", location=where)
    except (ValueError, RecursionError) as exc:
        return None, error("events", number, None, f"the line is not JSON ({exc})"[:200],
                           "Each line must be one whole resource as JSON: the line may "
                           "have been cut or split.", location=where)
    if not isinstance(value, dict) or "resourceType" not in value:
        return None, error("events", number, "resourceType",
                           "the line is not a FHIR resource (no resourceType)",
                           "Each line must be one resource with its resourceType.",
                           location=where)
    return value, None


def _is_resource_line(line: str) -> bool:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and "resourceType" in value
