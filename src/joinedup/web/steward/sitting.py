"""A data steward's sitting: the reason stated once, and each page showing identifiers
audited with it.

Before the first page of a sitting that shows people's identifiers (linkage review, a pair,
splitting a person, rows kept back), the steward says why they need them
(:func:`steward_reason`). The reason is kept in the session until the steward signs in
again (:func:`forget_reason_on_sign_in`; it is also bound to the session's key, which a new
sign-in changes), so each sign-in asks again. Every such page
then writes its look to the audit trail with that reason, per child concerned
(:func:`audit_look`, ``access/stewardship.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from joinedup.access import Role, stewardship
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.middleware import mark_audited
from joinedup.web.permissions import roles_required
from joinedup.web.steward.forms import SittingReasonForm

SESSION_KEY = "_joinedup_steward_reason"
DATA_PAGES = "/data/"


def sitting_reason(request: HttpRequest) -> str | None:
    """The reason the steward gave in this sitting, or None (not given since signing in)."""
    stated = request.session.get(SESSION_KEY)
    if not isinstance(stated, dict) or stated.get("session") != request.session.session_key:
        return None
    reason = str(stated.get("reason") or "").strip()
    return reason or None


@receiver(user_logged_in, dispatch_uid="joinedup-steward-reason-per-sign-in")
def forget_reason_on_sign_in(sender: Any, request: HttpRequest | None, user: Any,
                             **kwargs: Any) -> None:
    """A sign-in, even over a session already signed in, starts a new sitting."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)


def _keep(request: HttpRequest, reason: str) -> None:
    if request.session.session_key is None:
        request.session.save()
    request.session[SESSION_KEY] = {"reason": reason, "session": request.session.session_key,
                                    "at": timezone.now().isoformat()}


def _safe_next(request: HttpRequest, wanted: str | None) -> str:
    """Back to the data page the steward was going to (only a data page of this site)."""
    wanted = wanted or ""
    if (wanted.startswith(DATA_PAGES) and "\\" not in wanted and "//" not in wanted
            and url_has_allowed_host_and_scheme(wanted, {request.get_host()},
                                                require_https=request.is_secure())):
        return wanted
    return reverse("linkage")


def reason_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view shows identifiers: without a reason for this sitting, ask for it first and
    come back (to the same address; a form sent without a reason is not acted on)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sitting_reason(request) is None:
            back = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{reverse('steward-reason')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapped


def audit_look(request: HttpRequest, persons: Iterable[int | None], *,
               sealed_hidden: Iterable[int] = (), approvals: dict[int, int] | None = None,
               unlinked_records: Iterable[int] = ()) -> None:
    """Write the page's look at these persons' identifiers to the audit trail (instead of
    the plain page view)."""
    mark_audited(request)
    stewardship.record_look(
        request.user, reason=sitting_reason(request) or "", address=request.get_full_path(),
        persons=[p for p in persons if p is not None], sealed_hidden=sealed_hidden,
        approvals=approvals, unlinked_records=unlinked_records)


@require_http_methods(["GET", "POST"])
@roles_required(Role.DATA_STEWARD)
def steward_reason(request: HttpRequest) -> HttpResponse:
    """Ask why the steward needs to see people's identifiers in this sitting."""
    going_to = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    current = sitting_reason(request)
    form = SittingReasonForm(request.POST if request.method == "POST" else None,
                             initial={"reason": current or ""})
    if request.method == "POST" and form.is_valid():
        _keep(request, form.cleaned_data["reason"])
        return redirect(going_to)
    errors = ErrorSummary(form)
    return render(request, "steward/reason.html", {
        "form": form, "errors": errors.summary(), "reason_error": errors.message("reason"),
        "next": going_to, "current": current,
    }, status=400 if errors else 200)
