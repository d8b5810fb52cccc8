"""``/api/v1/``: the endpoints, their authentication and the NinjaAPI instance (docs/api.md).

Agency systems authenticate with an API key (``Authorization: Bearer <key>``) of scope
``submit`` (send returns, read their status) or ``read`` (read their status only); every
request with a key is counted against the key's rate limit. Alerts and chronologies are for
signed-in people only (the web session), under the same access rules as the pages; an API
key is refused there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import Header, NinjaAPI, Query
from ninja import Path as PathParam
from ninja.openapi.schema import OpenAPISchema
from ninja.security import APIKeyCookie, HttpBearer

from joinedup.access import AuditAction, audit
from joinedup.api import credentials, errors, limits, records, submissions
from joinedup.api.errors import ApiError
from joinedup.api.models import ApiCredential, Scope
from joinedup.api.schemas import (
    REQUEST_SCHEMAS,
    AlertList,
    ApiIndex,
    ChronologyOut,
    ErrorOut,
    QuarantineList,
    SubmissionList,
    SubmissionOut,
)

LARGEST_ID = 2**63 - 1
LARGEST_OFFSET = 10**9
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

Format = Literal["auto", "csv", "xlsx", "json", "cin-census", "ssda903", "ssd", "fhir"]
AlertStatus = Literal["open", "acknowledged", "actioned", "dismissed"]


class AgencyKey(HttpBearer):
    """An agency system's API key of one of ``scopes``."""

    def __init__(self, *scopes: str) -> None:
        self.scopes = scopes
        super().__init__()

    def __call__(self, request: HttpRequest) -> ApiCredential:
        credential = credentials.check(request.headers.get("Authorization"))
        limits.count_request(credential)
        if credential.scope not in self.scopes:
            raise ApiError("wrong_scope",
                           f"This API key has the {credential.scope} scope, which may not do "
                           f"this (it needs {' or '.join(self.scopes)}). Ask the partnership's "
                           "data steward for a key with that scope.")
        return credential

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return None  # __call__ does the work, with a reason for every refusal


class SignedInUser(APIKeyCookie):
    """A person signed in to joinedup (the web session); never an API key."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # these endpoints only read (GET)

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if user.is_authenticated:
            return user
        if request.headers.get("Authorization"):
            credentials.check(request.headers.get("Authorization"))
            raise ApiError("wrong_scope",
                           "Alerts and chronologies are shown only to people signed in to "
                           "joinedup, under the same rules as its pages: an API key cannot "
                           "read them.")
        raise ApiError("not_signed_in",
                       "Sign in to joinedup first: alerts and chronologies are read with your "
                       "signed-in session, under the same rules as the pages.")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None


def _errors(*codes: int) -> dict[int, type[ErrorOut]]:
    return {code: ErrorOut for code in sorted({*codes, 401, 403, 405, 422, 429, 500, 503})}


class JoinedUpAPI(NinjaAPI):
    """NinjaAPI with the one error shape for wrong methods and unknown addresses too, and
    the submission's request bodies in the schema."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(REQUEST_SCHEMAS)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        shaped: list[URLResolver | URLPattern] = [
            URLPattern(u.pattern, _method_refusal(u.callback), u.default_args, u.name)
            if isinstance(u, URLPattern) else u
            for u in super()._get_urls()
        ]
        shaped.append(re_path(r"^.*$", _nothing_here))
        return shaped


def _method_refusal(view: Any) -> Any:
    def shaped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            refusal = errors.refuse("method_not_allowed",
                                    f"{request.path} takes {allowed}, not {request.method}.")
            refusal["Allow"] = allowed
            return refusal
        return response  # type: ignore[no-any-return]

    shaped.csrf_exempt = True  # type: ignore[attr-defined]
    return shaped


def _nothing_here(request: HttpRequest) -> HttpResponse:
    return errors.refuse("not_found", f"There is nothing at {request.path[:200]} in the API: "
                                      "its addresses are listed in /api/v1/openapi.json.")


_nothing_here.csrf_exempt = True  # type: ignore[attr-defined]

api = JoinedUpAPI(
    title="joinedup agency systems API",
    version="1",
    description=("Agency case systems send returns and read what happened to them; signed-in "
                 "users read their alerts and children's chronologies. Guide: docs/api.md."),
    urls_namespace=submissions.NAMESPACE,
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)

SUBMITTERS = AgencyKey(Scope.SUBMIT)
READERS = AgencyKey(Scope.SUBMIT, Scope.READ)
SIGNED_IN = SignedInUser()


def _audit_read(request: HttpRequest, credential: ApiCredential, object_type: str,
                object_id: Any, **details: Any) -> None:
    audit.record(credentials.actor(credential), AuditAction.VIEW_PAGE,
                 object_type=object_type, object_id=object_id,
                 details={**credentials.audit_details(credential),
                          "address": request.get_full_path()[:500], **details})


@api.get("/", response=ApiIndex, auth=None, include_in_schema=False)
def index(request: HttpRequest) -> dict[str, str]:
    return {"name": "joinedup agency systems API", "version": "1",
            "openapi": request.build_absolute_uri("openapi.json"),
            "documentation": "docs/api.md"}


@api.post(
    "/submissions", auth=SUBMITTERS, operation_id="submitReturn", tags=["submissions"],
    response={201: SubmissionOut, 200: SubmissionOut, **_errors(400, 409, 413, 415)},
    summary="Send a return",
    description=(
        "Load a return: the canonical return as JSON (application/json), a FHIR R4 Bundle "
        "(application/fhir+json) or FHIR NDJSON (application/fhir+ndjson), or a file as a "
        "multipart upload in the field 'file' (people/events/relationships.csv, .xlsx, "
        ".json, CIN census .xml, or a .zip of CSV tables: canonical or SSDA903). Loaded "
        "at once, in one transaction: 201 with the counts; 200 with status "
        "already_received when the same content was received before (nothing changed). "
        "Rows with problems are kept in quarantine. Send an Idempotency-Key to retry "
        "safely."),
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/CanonicalReturn"}},
        "application/fhir+json": {"schema": {"$ref": "#/components/schemas/FhirBundle"}},
        "application/fhir+ndjson": {"schema": {"type": "string", "description": (
            "FHIR R4 resources, one JSON object a line (docs/formats/fhir.md)")}},
        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/ReturnUpload"}},
    }}},
)
def submit_return(
    request: HttpRequest,
    format: Format = Query("auto", description="The return's format; auto works it out "  # noqa: B008
                                               "from the body and the file's name"),
    idempotency_key: str | None = Header(  # noqa: B008
        None, alias="Idempotency-Key", min_length=1, max_length=255,
        pattern=r"^[!-~][ -~]*$",
        description="Any unique text, e.g. a UUID: the same key again with the same return "
                    "gets the first answer and loads nothing."),
) -> HttpResponse:
    return submissions.submit(request, request.auth, format,  # type: ignore[attr-defined]
                              idempotency_key)


@api.get("/submissions", auth=READERS, operation_id="listSubmissions", tags=["submissions"],
         response={200: SubmissionList, **_errors()}, summary="Your agency's submissions")
def list_submissions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=500),  # noqa: B008
    offset: int = Query(0, ge=0, le=LARGEST_OFFSET),  # noqa: B008
) -> dict[str, Any]:
    credential: ApiCredential = request.auth  # type: ignore[attr-defined]
    query = submissions.of_agency(credential)
    items = [submissions.submission_body(s) for s in query[offset:offset + limit]]
    _audit_read(request, credential, "api", request.path[:100],
                submissions=[item["id"] for item in items])
    return {"items": items, "total": query.count(), "limit": limit, "offset": offset}


@api.get("/submissions/{submission_id}", auth=READERS, operation_id="getSubmission",
         url_name="submission", tags=["submissions"],
         response={200: SubmissionOut, **_errors(404)}, summary="A submission's status")
def get_submission(
    request: HttpRequest,
    submission_id: int = PathParam(..., ge=1, le=LARGEST_ID),  # noqa: B008
) -> dict[str, Any]:
    credential: ApiCredential = request.auth  # type: ignore[attr-defined]
    submission = submissions.find(credential, submission_id)
    _audit_read(request, credential, "submission", submission.pk)
    return submissions.submission_body(submission)


@api.get("/submissions/{submission_id}/quarantine", auth=READERS,
         operation_id="getSubmissionQuarantine", url_name="submission-quarantine",
         tags=["submissions"], response={200: QuarantineList, **_errors(404)},
         summary="The rows of a submission kept back, with the reasons")
def get_quarantine(
    request: HttpRequest,
    submission_id: int = PathParam(..., ge=1, le=LARGEST_ID),  # noqa: B008
    limit: int = Query(100, ge=1, le=1000),  # noqa: B008
    offset: int = Query(0, ge=0, le=LARGEST_OFFSET),  # noqa: B008
) -> dict[str, Any]:
    credential: ApiCredential = request.auth  # type: ignore[attr-defined]
    submission = submissions.find(credential, submission_id)
    rows = submission.quarantine.order_by("table", "row_number", "id")
    items = [submissions.quarantine_body(r) for r in rows[offset:offset + limit]]
    _audit_read(request, credential, "submission", submission.pk, quarantine=True)
    return {"submission": submission.pk, "items": items, "total": rows.count(),
            "limit": limit, "offset": offset}


@api.get("/alerts", auth=SIGNED_IN, operation_id="listAlerts", tags=["signed-in users"],
         response={200: AlertList, **_errors()},
         summary="The signed-in user's alerts (children they may open)")
def list_alerts(
    request: HttpRequest,
    status: list[AlertStatus] = Query([]),  # noqa: B008
    limit: int = Query(100, ge=1, le=500),  # noqa: B008
    offset: int = Query(0, ge=0, le=LARGEST_OFFSET),  # noqa: B008
) -> dict[str, Any]:
    return records.alerts(request, request.auth, list(status), limit,  # type: ignore[attr-defined]
                          offset)


@api.get("/children/{child_id}/chronology", auth=SIGNED_IN, operation_id="getChronology",
         tags=["signed-in users"], response={200: ChronologyOut, **_errors()},
         summary="A child's multi-agency chronology (audited; sharing policy applied)")
def get_chronology(
    request: HttpRequest,
    child_id: int = PathParam(..., ge=1, le=LARGEST_ID),  # noqa: B008
    known_by: dt.date | None = Query(None, ge=EARLIEST, le=LATEST,  # noqa: B008
                                     description="Only what had been recorded by this day"),
    date_from: dt.date | None = Query(None, alias="from", ge=EARLIEST,  # noqa: B008
                                      le=LATEST),
    date_to: dt.date | None = Query(None, alias="to", ge=EARLIEST, le=LATEST),  # noqa: B008
) -> dict[str, Any]:
    return records.chronology(request, request.auth, child_id,  # type: ignore[attr-defined]
                              known_by=known_by, date_from=date_from, date_to=date_to)
