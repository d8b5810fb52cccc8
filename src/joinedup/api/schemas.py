"""What the API answers, and the request bodies it takes, as schemas (docs/openapi.json).

Keys are only ever added, never renamed or removed (the same promise as the CLI's JSON).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

# ---------------------------------------------------------------- errors


class ErrorDetail(Schema):
    field: str = Field("", description="Where: e.g. query.limit, header.Idempotency-Key")
    message: str


class ErrorBody(Schema):
    code: str = Field(description="Stable code, e.g. rate_limited (docs/api.md lists them)")
    message: str = Field(description="What went wrong and what to do, in plain English")
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorOut(Schema):
    """Every answer that is not a success."""

    error: ErrorBody


# ---------------------------------------------------------------- submissions

SubmissionStatus = Literal["loaded", "loaded_with_quarantine", "already_received"]


class TableCounts(Schema):
    read: int
    new: int
    corrected: int
    unchanged: int
    quarantined: int
    warnings: int


class SubmissionCounts(Schema):
    rows_read: int
    rows_loaded: int = Field(description="New rows and corrected rows stored")
    rows_unchanged: int
    rows_quarantined: int = Field(description="Rows kept back, with the reasons")
    warnings: int = Field(description="Rows loaded without one optional field")


class SubmissionLinks(Schema):
    status: str = Field(description="This submission's address")
    quarantine: str = Field(description="Its quarantined rows")


class SubmissionOut(Schema):
    id: int
    status: SubmissionStatus = Field(description=(
        "loaded: every row was loaded; loaded_with_quarantine: some rows were kept back "
        "(see links.quarantine); already_received: the same content was received before "
        "as this submission, and nothing changed"))
    agency: str
    format: str
    file_name: str
    sha256: str
    received_at: dt.datetime
    received_by: str
    counts: SubmissionCounts
    tables: dict[str, TableCounts]
    links: SubmissionLinks


class SubmissionList(Schema):
    items: list[SubmissionOut]
    total: int
    limit: int
    offset: int


class RowProblemOut(Schema):
    severity: str
    column: str | None = None
    message: str
    fix: str = ""
    value: Any = None


class QuarantinedRowOut(Schema):
    table: str
    row: int = Field(description="Row number as a person looking at the source would count")
    location: str = Field(description="File or sheet")
    column: str = Field(description="Column of the first problem (may be empty)")
    reason: str = Field(description="Every problem with the row, one per line")
    fix: str
    problems: list[RowProblemOut]
    raw: dict[str, Any] = Field(description="The row's values as sent")


class QuarantineList(Schema):
    submission: int
    items: list[QuarantinedRowOut]
    total: int
    limit: int
    offset: int


# ---------------------------------------------------------------- alerts (signed-in users)


class AlertRecord(Schema):
    agency: str
    source_person_id: str


class AlertChild(Schema):
    person_id: int
    records: list[AlertRecord]


class AlertWindow(Schema):
    start: dt.date
    end: dt.date


class AlertEvidence(Schema):
    agency: str
    event_id: str
    event_type: str
    occurred_at: str
    recorded_at: str
    summary: str
    shared_as: str = Field("", description="headline: the summary is the sharing policy's "
                                            "replacement (where the detail is held)")


class AlertActionedBy(Schema):
    withheld: bool = Field(False, description="true: an entry not shown to this user under "
                                              "the sharing policy met the action; nothing "
                                              "else about it is given")
    agency: str
    event_id: str
    event_type: str
    occurred_on: dt.date | None = None
    recorded_on: dt.date | None = None
    summary: str = Field("", description="The entry's summary, or the sharing policy's "
                                         "replacement when shared_as is headline")
    line: str = Field(description="In words: \"Actioned by Strategy discussion on 5 March "
                                  "2025, recorded 6 March 2025 by Children's Social Care\"")
    shared_as: str = Field("", description="headline: the summary is the sharing policy's "
                                           "replacement (where the detail is held)")


class AlertOut(Schema):
    id: int
    rule: str
    title: str = Field(description="The state that fired the alert, e.g. \"Information "
                                   "requested on 3 March 2025; no reply after 15 working "
                                   "days\" (never a name, a summary or a detail)")
    status: str
    priority: str = Field(description="How soon the alert asks for action: urgent (the same "
                                      "working day), high (within 5 working days) or routine")
    fired_on: dt.date
    window: AlertWindow
    child: AlertChild
    evidence: list[AlertEvidence]
    evidence_withheld: int = Field(0, description="Evidence entries not shown to this user "
                                                  "under the sharing policy")
    explanation: str
    recommended_action: str
    source: str
    request_id: int | None = None
    meeting_id: int | None = None
    actioned_by: AlertActionedBy | None = Field(None, description=(
        "The recorded entry a run recognised as meeting the alert's action, through the "
        "visibility gate as the evidence is; null when none was"))


class AlertList(Schema):
    items: list[AlertOut]
    total: int
    limit: int
    offset: int


# ---------------------------------------------------------------- chronology (signed-in users)


class ChronologyChild(Schema):
    person_id: int
    name: str


class ChronologyEntry(Schema):
    event: int
    agency: str
    source_id: str
    version: int
    date: dt.date
    time: str | None = None
    event_type: str
    event_label: str
    person_id: int | None = None
    role: str
    role_label: str
    person_name: str
    related_person_id: int | None = None
    summary: str
    recorded_on: dt.date
    recording_delay_working_days: int
    significance: str
    worker_role: str
    details: dict[str, Any]
    shared_as: str
    lawful_basis: str


class ChronologyGap(Schema):
    kind: str
    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = None
    agency: str | None = None
    events: Any = None
    text: str


class ChronologyPerson(Schema):
    person_id: int
    name: str
    role: str
    role_label: str
    roles: list[str]
    agencies: list[str]
    relationship_recorded_by: list[str]
    since: dt.date | None = None
    until: dt.date | None = None


class DatePair(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class ChronologyOut(Schema):
    """The same document as ``joinedup chronology CHILD --format json`` (docs/chronology.md),
    narrowed by the sharing policy for the reader's agency."""

    child: ChronologyChild
    as_of: dt.date | None = None
    known_by: dt.date | None = None
    period: dict[str, dt.date | None]
    filters: dict[str, list[Any]]
    window: DatePair
    entries: list[ChronologyEntry]
    gaps: list[ChronologyGap]
    network: list[ChronologyPerson]
    conflicts: list[str]
    agencies: dict[str, str]


class ApiIndex(Schema):
    name: str
    version: str
    openapi: str
    documentation: str


# ---------------------------------------------------------------- request bodies

_TEXT = {"type": ["string", "null"]}
_DETAILS = {"oneOf": [{"type": "object"}, {"type": "string"}, {"type": "null"}]}


def _row(required: list[str], columns: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "object", "description": description, "required": required,
            "properties": columns, "additionalProperties": True}


REQUEST_SCHEMAS: dict[str, dict[str, Any]] = {
    "CanonicalReturn": {
        "title": "CanonicalReturn",
        "description": (
            "A canonical agency return (docs/data-contract.md): up to "
            "three tables, each a list of row objects keyed by column name. Extra columns are "
            "kept as details. Dates are ISO 8601 or DD/MM/YYYY; datetimes ISO 8601. A row "
            "with a problem is kept in quarantine with the reason; it does not stop the "
            "others."),
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "people": {"type": "array", "items": {"$ref": "#/components/schemas/PersonRow"}},
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/EventRow"}},
            "relationships": {"type": "array",
                              "items": {"$ref": "#/components/schemas/RelationshipRow"}},
        },
    },
    "FhirBundle": {
        "title": "FhirBundle",
        "description": (
            "A FHIR R4 Bundle of UK Core resources (docs/formats/fhir.md): Patient, "
            "RelatedPerson, Encounter, Appointment, EpisodeOfCare, Condition, Observation and "
            "Flag are read; other resources are left out. Each resource is checked against "
            "FHIR R4; one that does not follow it is kept in quarantine with the element and "
            "the fix, and does not stop the others."),
        "type": "object",
        "required": ["resourceType"],
        "properties": {
            "resourceType": {"type": "string", "enum": ["Bundle"]},
            "type": {"type": "string", "description": "collection, searchset, transaction..."},
            "entry": {"type": "array", "items": {"type": "object", "properties": {
                "fullUrl": {"type": "string"},
                "resource": {"type": "object", "required": ["resourceType"],
                             "properties": {"resourceType": {"type": "string"},
                                            "id": {"type": "string"}}},
            }}},
        },
    },
    "PersonRow": _row(["person_id"], {
        "person_id": {"type": "string", "description": "The agency's own identifier"},
        "given_name": _TEXT, "family_name": _TEXT, "other_names": _TEXT,
        "date_of_birth": _TEXT, "sex": _TEXT, "nhs_number": _TEXT, "postcode": _TEXT,
        "address": _TEXT, "flags": _TEXT,
        "uprn": {"type": ["string", "integer", "null"],
                 "description": "Unique Property Reference Number of the address"},
    }, "One person as the agency holds them"),
    "EventRow": _row(["event_id", "person_id", "event_type", "occurred_at", "recorded_at"], {
        "event_id": {"type": "string"}, "person_id": {"type": "string"},
        "event_type": {"type": "string", "description": "A code from docs/data-contract.md"},
        "occurred_at": {"type": "string"}, "recorded_at": {"type": "string"},
        "summary": _TEXT, "related_person_id": _TEXT, "details": _DETAILS,
        "worker_role": _TEXT,
        "worker_name": {"type": ["string", "null"],
                        "description": "The practitioner's name (at most 200 characters)"},
        "worker_contact": {"type": ["string", "null"], "description": (
            "A telephone number or an email address (at most 200 characters)")},
        "lead_professional": {"type": ["string", "boolean", "null"],
                              "description": "yes when the practitioner is the child's lead "
                                             "professional, no when not"},
    }, "One event about a person"),
    "RelationshipRow": _row(["person_id", "related_person_id", "relationship"], {
        "person_id": {"type": "string"}, "related_person_id": {"type": "string"},
        "relationship": {"type": "string", "description": "e.g. MOTHER_OF, PARTNER_OF"},
        "valid_from": _TEXT, "valid_to": _TEXT, "details": _DETAILS,
    }, "A relationship between two of the agency's people"),
    "ReturnUpload": {
        "title": "ReturnUpload",
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": (
                "The return as a file: people.csv, events.csv or relationships.csv; an .xlsx "
                "workbook; a .json canonical return; a CIN census .xml; or a .zip of a "
                "folder of CSV tables (canonical, or an SSDA903 return)")},
        },
    },
}
"""Request bodies, added to the schema's components by hand: the submission takes JSON or a
multipart upload, which django-ninja cannot declare on one operation."""
