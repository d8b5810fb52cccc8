"""Uploading a return: the file is saved to a temporary folder and loaded by the same
function as `joinedup ingest` (:func:`joinedup.ingest.loading.load_return`).

A return that loads goes to its submission's page (Post/Redirect/Get); one received before
goes to the earlier submission, saying nothing changed; a dry run shows what would happen
and stores nothing. A file that cannot be read at all is shown in the error summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup import scratch
from joinedup.access import AuditAction, Role, audit
from joinedup.agencies import Submission
from joinedup.errors import JoinedUpError
from joinedup.ingest import LoadResult, load_return
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.jinja import long_datetime, plural
from joinedup.web.permissions import roles_required
from joinedup.web.steward import unpacking
from joinedup.web.steward.forms import UploadForm

TABLES = ("people", "events", "relationships")


def _plain(message: str, root: Path) -> str:
    """The ingest's message without the temporary folder the upload was saved in."""
    for folder in (root / "received", root / "return", root):
        message = message.replace(f"{folder}/", "").replace(str(folder), "")
    return message


def _load(form: UploadForm, who: str) -> LoadResult:
    """Save the upload, unpack it if it is a .zip, and load it (or check it)."""
    fmt = form.cleaned_data["format"]
    with scratch.folder("upload") as tmp:
        root = Path(tmp)
        try:
            saved = unpacking.save_upload(form.cleaned_data["file"], root / "received")
            path = unpacking.return_path(saved, fmt, root / "return")
            result = load_return(path, form.cleaned_data["agency"], fmt=fmt,
                                 dry_run=form.cleaned_data["dry_run"], received_by=who)
        except JoinedUpError as exc:
            raise JoinedUpError(_plain(str(exc), root), next_step=exc.hint) from None
        result.path = _plain(result.path, root)
    return result


def _page(request: HttpRequest, form: UploadForm, *, result: LoadResult | None = None,
          problem: str | None = None, status: int = 200) -> HttpResponse:
    errors = ErrorSummary(form, anchors={"file": "file"})
    if problem:
        errors.add("file", problem)
    context: dict[str, Any] = {
        "form": form, "errors": errors.summary(), "result": result,
        "file_error": errors.message("file"), "agency_error": errors.message("agency"),
        "format_error": errors.message("format"),
    }
    if result is not None:
        context["tables"] = [{"table": t, **vars(result.tables[t])} for t in TABLES
                             if result.tables[t].read]
        context["problems"] = sorted(result.problems,
                                     key=lambda p: (p.location, p.table, p.row_number))
    return render(request, "steward/upload.html", context, status=status)


def _already(request: HttpRequest, result: LoadResult) -> HttpResponse:
    earlier = Submission.objects.get(pk=int(result.already_received or 0))
    messages.info(request, f"This file was already received from {result.agency} on "
                           f"{long_datetime(earlier.received_at)} (submission {earlier.pk}): "
                           "nothing changed.")
    return redirect("submission", earlier.pk)


def _stored(request: HttpRequest, result: LoadResult) -> HttpResponse:
    audit.record(request.user, AuditAction.CHANGE, object_type="submission",
                 object_id=result.submission_id, reason="uploaded a return",
                 details={"agency": result.agency, "file": result.path,
                          "format": result.format, "sha256": result.sha256,
                          "rows_loaded": result.rows_loaded,
                          "rows_quarantined": result.rows_quarantined,
                          "warnings": result.warnings})
    messages.success(request, f"Submission {result.submission_id} from {result.agency}: "
                              f"{plural(result.rows_loaded, 'row')} loaded, "
                              f"{result.rows_quarantined:,} kept back, "
                              f"{plural(result.warnings, 'warning')}.")
    return redirect("submission", result.submission_id)


@roles_required(Role.DATA_STEWARD)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, UploadForm(initial={"format": "auto"}))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        result = _load(form, request.user.get_username())
    except JoinedUpError as exc:
        return _page(request, form, problem=str(exc), status=400)
    if result.already_received is not None:
        return _already(request, result)
    if result.dry_run:
        return _page(request, form, result=result)
    return _stored(request, result)
