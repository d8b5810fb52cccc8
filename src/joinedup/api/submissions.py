"""Returns sent through the API: loaded once, answered, remembered, audited.

``submit`` loads the return through the same function as ``joinedup ingest``
(``load_return``), so every check, the quarantine, the single transaction and "the same
content twice changes nothing" hold as they do on the command line. Loading is synchronous:
the answer says what was stored.

With an ``Idempotency-Key`` header the key, the fingerprint of what was sent and the answer
are stored in the same transaction as the return: either both are stored or neither (a
server killed part-way leaves nothing, and the retry loads). The same key again with the
same content gets the stored answer (and ``Idempotent-Replayed: true``) and loads nothing;
with other content it is refused (409). Two requests racing with one key cannot both load:
the key is unique per API key in the database, so the second one waits for the first and
then gets its answer. Refusals (4xx) are not remembered: put the request right and send it
again with the same key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone

from joinedup import scratch
from joinedup.access import AuditAction, audit
from joinedup.agencies import Submission
from joinedup.api import credentials
from joinedup.api.errors import ApiError
from joinedup.api.models import ApiCredential, IdempotencyKey
from joinedup.api.receiving import receive
from joinedup.ingest import QuarantinedRow, load_return

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
NAMESPACE = "api-v1"
_ENCODER = DjangoJSONEncoder()
"""Dates and times as django-ninja writes them (ISO 8601, milliseconds, Z), so a stored
answer reads exactly as the status endpoint's."""


class _KeyTaken(Exception):
    """Another request stored this idempotency key first."""


def submit(request: HttpRequest, credential: ApiCredential, fmt: str,
           key: str | None) -> HttpResponse:
    """Receive, load and answer one return (see the module docstring); ``key`` is the
    request's Idempotency-Key, if any."""

    with scratch.folder("api") as workdir:
        received = receive(request, fmt, Path(workdir))
        if key is not None and (earlier := _remembered(credential, key,
                                                       received.fingerprint)):
            return _replay(request, credential, earlier)
        try:
            with transaction.atomic():
                remembered = _claim(credential, key, received.fingerprint)
                result = load_return(received.path, credential.agency.code, fmt=received.fmt,
                                     received_by=credentials.actor(credential))
                if result.already_received is not None:
                    submission = Submission.objects.select_related("agency").get(
                        pk=result.already_received)
                    status, body = 200, submission_body(submission, "already_received")
                else:
                    assert result.submission_id is not None  # noqa: S101 - narrows the type: the API never dry-runs, so a load that is not a re-send stores a submission
                    submission = Submission.objects.select_related("agency").get(
                        pk=result.submission_id)
                    status, body = 201, submission_body(submission)
                if remembered is not None:
                    remembered.status_code, remembered.response = status, body
                    remembered.submission = submission
                    remembered.save(update_fields=["status_code", "response", "submission"])
                _audit_submission(credential, submission, status, key)
        except _KeyTaken:
            assert key is not None  # noqa: S101 - narrows the type: _claim raises _KeyTaken only for a key
            earlier = _remembered(credential, key, received.fingerprint)
            if earlier is None:  # the other request was rolled back: nothing to answer with
                raise ApiError("busy", "Another request with this Idempotency-Key was being "
                                       "loaded and did not finish. Send this one again.",
                               headers={"Retry-After": "1"}) from None
            return _replay(request, credential, earlier)
    response = JsonResponse(body, status=status)
    response["Location"] = body["links"]["status"]
    return response


def _claim(credential: ApiCredential, key: str | None,
           fingerprint: str) -> IdempotencyKey | None:
    """Store the key inside the load's transaction (the answer is filled in afterwards);
    _KeyTaken when another request has stored it."""
    if key is None:
        return None
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(credential=credential, key=key,
                                                 fingerprint=fingerprint, status_code=0)
    except IntegrityError:
        raise _KeyTaken from None


def _remembered(credential: ApiCredential, key: str,
                fingerprint: str) -> IdempotencyKey | None:
    """The stored answer for this key, or None; 409 when the key went with other content."""
    earlier = IdempotencyKey.objects.filter(credential=credential, key=key).first()
    if earlier is None:
        return None
    if earlier.fingerprint != fingerprint:
        raise ApiError("idempotency_key_reused",
                       f"The {KEY_HEADER} {key!r} was used on "
                       f"{timezone.localtime(earlier.created_at):%d/%m/%Y at %H:%M} for a "
                       "different return. Use a new key for each new return, and the same "
                       "key only to retry the same one.")
    return earlier


def _replay(request: HttpRequest, credential: ApiCredential,
            earlier: IdempotencyKey) -> HttpResponse:
    audit.record(credentials.actor(credential), AuditAction.VIEW_PAGE, object_type="submission",
                 object_id=earlier.submission_id or "",
                 reason="a retried submission: answered from its idempotency key, nothing "
                        "loaded",
                 details={**credentials.audit_details(credential),
                          "idempotency_key": earlier.key, "status": earlier.status_code})
    response = JsonResponse(earlier.response, status=earlier.status_code)
    response[REPLAYED_HEADER] = "true"
    links = earlier.response.get("links") if isinstance(earlier.response, dict) else None
    if isinstance(links, dict) and links.get("status"):
        response["Location"] = links["status"]
    return response


def _audit_submission(credential: ApiCredential, submission: Submission, status: int,
                      key: str | None) -> None:
    details = {**credentials.audit_details(credential), "idempotency_key": key,
               "rows_loaded": submission.rows_loaded,
               "rows_quarantined": submission.rows_quarantined,
               "warnings": submission.warnings}
    if status == 201:
        audit.record(credentials.actor(credential), AuditAction.CHANGE, object_type="submission",
                     object_id=submission.pk,
                     reason=f"return received through the API ({submission.format})",
                     details=details)
    else:
        audit.record(credentials.actor(credential), AuditAction.VIEW_PAGE, object_type="submission",
                     object_id=submission.pk,
                     reason="the same return sent again: already received, nothing changed",
                     details=details)


def link(name: str, submission_id: int) -> str:
    return reverse(f"{NAMESPACE}:{name}", kwargs={"submission_id": submission_id})


def status_of(submission: Submission) -> str:
    return "loaded_with_quarantine" if submission.rows_quarantined else "loaded"


def submission_body(submission: Submission, status: str | None = None) -> dict[str, Any]:
    """A submission as the API shows it (schemas.SubmissionOut)."""
    empty = {"read": 0, "new": 0, "corrected": 0, "unchanged": 0, "quarantined": 0,
             "warnings": 0}
    tables = {table: {**empty, **{k: v for k, v in (counts or {}).items() if k in empty}}
              for table, counts in (submission.counts or {}).items()}
    return {
        "id": submission.pk,
        "status": status or status_of(submission),
        "agency": submission.agency.code,
        "format": submission.format,
        "file_name": submission.file_name,
        "sha256": submission.sha256,
        "received_at": _ENCODER.default(submission.received_at),
        "received_by": submission.received_by,
        "counts": {"rows_read": submission.rows_read, "rows_loaded": submission.rows_loaded,
                   "rows_unchanged": submission.rows_unchanged,
                   "rows_quarantined": submission.rows_quarantined,
                   "warnings": submission.warnings},
        "tables": tables,
        "links": {"status": link("submission", submission.pk),
                  "quarantine": link("submission-quarantine", submission.pk)},
    }


def of_agency(credential: ApiCredential) -> Any:
    """The submissions a key may read: its own agency's, newest first."""
    return Submission.objects.select_related("agency").filter(agency_id=credential.agency_id)


def find(credential: ApiCredential, submission_id: int) -> Submission:
    """One of the key's agency's submissions; not_found for anything else (another
    agency's submission is not said to exist)."""
    submission = of_agency(credential).filter(pk=submission_id).first()
    if submission is None:
        raise ApiError("not_found", f"Your agency has no submission {submission_id}.")
    return submission


def quarantine_body(row: QuarantinedRow) -> dict[str, Any]:
    return {"table": row.table, "row": row.row_number, "location": row.location,
            "column": row.column, "reason": row.reason, "fix": row.fix,
            "problems": [p for p in (row.problems or []) if isinstance(p, dict)],
            "raw": row.raw if isinstance(row.raw, dict) else {}}
