"""The one error shape of the API, and every refusal as an exception.

Every answer that is not a success is

    {"error": {"code": "rate_limited", "message": "plain English", "details": [...]}}

``code`` is stable (docs/api.md lists them), ``message`` is for a person, ``details`` lists
what was wrong where (``{"field": "query.limit", "message": "..."}``) and may be empty.
A refusal from joinedup itself that says what to do next adds ``"next_step"``: the step's
stable name (joinedup.errors.NextStep, e.g. ``"register_agency"``); absent otherwise.
Validation errors from django-ninja, unknown addresses, wrong methods and unexpected
failures (500, no stack trace) all come out in this shape.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from joinedup.access import AccessDenied
from joinedup.errors import ConfigurationError, IngestError, JoinedUpError, NotFoundError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("joinedup.api")

CODES: dict[str, tuple[int, str]] = {
    "invalid_request": (400, "The request is not one the API can take."),
    "missing_credentials": (401, "Send an API key: Authorization: Bearer <key>."),
    "malformed_credentials": (401, "The Authorization header is not 'Bearer ' and a key."),
    "unknown_credentials": (401, "The API key is not one joinedup issued."),
    "expired_credentials": (401, "The API key has expired."),
    "revoked_credentials": (401, "The API key has been revoked."),
    "not_signed_in": (401, "Sign in to joinedup first."),
    "wrong_scope": (403, "The API key may not do this."),
    "access_refused": (403, "You have no legitimate relationship with this child."),
    "not_found": (404, "There is nothing at this address."),
    "method_not_allowed": (405, "This address does not take that method."),
    "idempotency_key_reused": (409, "The Idempotency-Key was used for a different request."),
    "too_large": (413, "The request is larger than the API takes."),
    "unsupported_media_type": (415, "The body must be JSON or a multipart upload."),
    "validation_error": (422, "Some of what was sent is not valid."),
    "unreadable_return": (422, "The return cannot be read at all."),
    "rate_limited": (429, "Too many requests with this API key."),
    "internal_error": (500, "Something went wrong inside joinedup."),
    "busy": (503, "The database is busy."),
}
"""Every error code, with its HTTP status and a generic message (docs/api.md)."""


class ApiError(Exception):
    """A refusal: an error code from :data:`CODES`, a message for a person, optional details
    and headers (``Retry-After``, ``WWW-Authenticate``)."""

    def __init__(self, code: str, message: str | None = None, *,
                 details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None,
                 next_step: str | None = None) -> None:
        self.status, generic = CODES[code]
        self.code = code
        self.message = message or generic
        self.details = details or []
        self.headers = headers or {}
        self.next_step = next_step
        super().__init__(self.message)


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None,
               next_step: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "details": details or []}
    if next_step is not None:
        error["next_step"] = next_step
    return {"error": error}


def error_response(error: ApiError) -> HttpResponse:
    response = JsonResponse(error_body(error.code, error.message, error.details,
                                       error.next_step),
                            status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def refuse(code: str, message: str | None = None, **kwargs: Any) -> HttpResponse:
    return error_response(ApiError(code, message, **kwargs))


def _location(loc: Any) -> str:
    """``("query", "limit")`` as ``query.limit``."""
    return ".".join(str(part) for part in (loc or ()))


def _validation(request: HttpRequest, exc: Any) -> HttpResponse:
    assert isinstance(exc, ValidationError)  # noqa: S101 - narrows the type: install() registers it for ValidationError only
    details = [{"field": _location(e.get("loc")), "message": str(e.get("msg", "not valid"))}
               for e in exc.errors]
    fields = ", ".join(d["field"] for d in details if d["field"]) or "the request"
    return refuse("validation_error", f"Some of what was sent is not valid: {fields}.",
                  details=details)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    assert isinstance(exc, HttpError)  # noqa: S101 - narrows the type: install() registers it for HttpError only
    if isinstance(exc, AuthenticationError):
        return refuse("missing_credentials", headers={"WWW-Authenticate": "Bearer"})
    code = {400: "invalid_request", 401: "missing_credentials", 403: "wrong_scope",
            404: "not_found", 405: "method_not_allowed", 409: "idempotency_key_reused",
            413: "too_large", 415: "unsupported_media_type", 429: "rate_limited",
            }.get(exc.status_code, "invalid_request" if exc.status_code < 500
                  else "internal_error")
    return refuse(code, str(exc) or None)


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        return refuse("busy", "The database is busy with another load. Try again in a "
                              "few seconds.", headers={"Retry-After": "5"})
    logger.exception("API request %s %s failed", request.method, request.path)
    return refuse("internal_error", "Something went wrong inside joinedup. The request was "
                                    "not completed (nothing was half-stored); tell the "
                                    "partnership's joinedup administrator if it happens again.")


def _domain(code: str, prefix: str = "") -> Any:
    """The handler answering a JoinedUpError with ``code``, its message and its next step."""
    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        hint = getattr(exc, "hint", None)
        return refuse(code, f"{prefix}{exc}", next_step=hint.name if hint else None)
    return handle


def _refusal(request: HttpRequest, exc: Any) -> HttpResponse:
    assert isinstance(exc, ApiError)  # noqa: S101 - narrows the type: install() registers it for ApiError only
    return error_response(exc)


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's own error answers with the one shape."""
    api.add_exception_handler(ApiError, _refusal)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, lambda request, exc: refuse("not_found"))
    api.add_exception_handler(AccessDenied, _domain("access_refused"))
    api.add_exception_handler(IngestError, _domain("unreadable_return"))
    api.add_exception_handler(NotFoundError, _domain("not_found"))
    api.add_exception_handler(ConfigurationError, _domain(
        "internal_error", "joinedup is not set up correctly: "))
    api.add_exception_handler(JoinedUpError, _domain("invalid_request"))
    api.add_exception_handler(Exception, _unexpected)
