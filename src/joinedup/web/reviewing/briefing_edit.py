"""Editing a draft briefing and publishing it (the partnership business unit).

Saving runs the de-identification guard again and the page shows what it found. Publishing
is refused while the guard finds anything that would identify the family: the error names
the part and what kind of identifier it is, without repeating it in full. (An override with
a reason exists for the rare acceptable case, e.g. a family name that is also a local
service's name; it is deliberately left to `joinedup briefing publish --override-reason`.)
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.access import AuditAction, Role, audit
from joinedup.briefings import Briefing, BriefingStatus, services
from joinedup.errors import JoinedUpError
from joinedup.web import hints
from joinedup.web.govuk_forms import ErrorSummary
from joinedup.web.permissions import roles_required
from joinedup.web.reviewing import forms, guard
from joinedup.web.reviewing.access import who
from joinedup.web.reviewing.briefing_views import find_briefing


def _audit(request: HttpRequest, briefing: Briefing, what: str, **details: Any) -> None:
    audit.record(request.user, AuditAction.CHANGE, object_type="briefing",
                 object_id=briefing.pk, reason="partnership business unit",
                 details={"change": what, "address": request.path, **details})


def _published(request: HttpRequest, briefing: Briefing) -> HttpResponse:
    """A published briefing is not edited: back to its page, saying why."""
    messages.info(request, f"Briefing {briefing.pk} is published, so it is not edited "
                           "here: teams may be using it. Compose a new draft from the "
                           "review if the learning has changed.")
    return redirect("briefing", briefing.pk)


def _page(request: HttpRequest, briefing: Briefing, errors: ErrorSummary,
          data: Any = None, status: int = 200) -> HttpResponse:
    parts = services.parts(briefing)
    return render(request, "reviewing/briefing_edit.html", {
        "briefing": briefing, "parts": parts, "errors": errors, "data": data,
        "questions": "\n".join(str(q) for q in briefing.reflection_questions),
        "length": services.length(briefing), "guard": guard.report(briefing),
    }, status=status)


def _save(request: HttpRequest, briefing: Briefing, form: forms.BriefingForm) -> list[str]:
    """Apply what changed (``form`` is valid) through the briefing services; the names of
    what changed."""
    data = form.cleaned_data
    title, questions = data["title"], data["questions"]
    wanted = {part.number: (part, data[f"part-{part.number}-label"],
                            data[f"part-{part.number}-text"])
              for part in services.parts(briefing)}
    changed = []
    name = who(request)
    for number, (part, label, text) in wanted.items():
        new_label = label if label != part.label else None
        new_text = text if text != part.text.strip() else None
        if new_label is not None or new_text is not None:
            services.edit_part(briefing.pk, number, name, text=new_text, label=new_label)
            changed.append(f"part {number}")
    if title != briefing.title:
        services.set_title(briefing.pk, title, name)
        changed.append("title")
    if questions != [str(q) for q in briefing.reflection_questions]:
        services.set_questions(briefing.pk, questions, name)
        changed.append("reflection questions")
    return changed


@roles_required(Role.BUSINESS_UNIT)
def briefing_edit(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    if briefing.status != BriefingStatus.DRAFT:
        return _published(request, briefing)
    if request.method != "POST":
        return _page(request, briefing, ErrorSummary())
    form = forms.BriefingForm(request.POST,
                              numbers=[p.number for p in services.parts(briefing)])
    errors = ErrorSummary(form)
    try:
        with transaction.atomic():
            changed = _save(request, briefing, form) if form.is_valid() else []
            if changed:
                _audit(request, briefing, "edited", parts=changed)
    except JoinedUpError as exc:
        errors.add_general(hints.refusal(exc))
    if errors:
        return _page(request, briefing, errors, request.POST, status=400)
    briefing.refresh_from_db()
    found = guard.report(briefing)["findings"]
    checked = ("The de-identification check found nothing that identifies the family."
               if not found else
               f"The de-identification check found {len(found)} passage"
               f"{'s' if len(found) != 1 else ''} that would identify the family: see "
               "below.")
    messages.success(request, (f"Saved: {', '.join(changed)}. " if changed
                               else "Nothing was changed. ") + checked)
    return redirect(reverse("briefing-edit", args=[briefing.pk]) + "#guard")


@roles_required(Role.BUSINESS_UNIT)
def briefing_publish(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    if briefing.status != BriefingStatus.DRAFT:
        return _published(request, briefing)
    if request.method != "POST":
        return redirect("briefing-edit", briefing.pk)
    errors = ErrorSummary()
    try:
        with transaction.atomic():
            services.publish(briefing.pk, who(request))
            _audit(request, briefing, "published")
    except services.IdentifiableError as exc:
        labels = {p.number: p.label for p in services.parts(briefing)}
        shown = [guard.shown(p, labels) for p in exc.problems]
        errors.add_general(f"This briefing cannot be published: the de-identification check "
                           f"found {len(shown)} passage{'s' if len(shown) != 1 else ''} that "
                           "would identify the family. Rewrite "
                           f"{'them' if len(shown) != 1 else 'it'} with the pseudonym, ages "
                           "and months.")
        for finding in shown:
            errors.add_item(finding.anchor, finding.text)
    except JoinedUpError as exc:
        errors.add_general(hints.refusal(exc))
    if errors:
        return _page(request, briefing, errors, status=400)
    messages.success(request, f"Briefing {briefing.pk} is published. Every signed-in user "
                              "can now read, download and present it.")
    return redirect("briefing", briefing.pk)
