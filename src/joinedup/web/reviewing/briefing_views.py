"""7-minute briefings: the list, one briefing as a web page with the de-identification
guard's results and the learning activity log, and its downloads."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from joinedup import scratch
from joinedup.access import AuditAction, audit
from joinedup.briefings import FORMATS, Briefing, BriefingStatus, activities, blocks, services
from joinedup.errors import JoinedUpError
from joinedup.web.middleware import mark_audited
from joinedup.web.refusals import refuse
from joinedup.web.reviewing import guard
from joinedup.web.reviewing.access import (
    briefings_for,
    can_read_briefing,
    can_read_review,
    is_business_unit,
    who,
)

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def find_briefing(request: HttpRequest, briefing_id: int) -> Briefing:
    """The briefing if this user may read it; else :class:`Http404` when there is none, or
    the audited refusal (``refusals.refuse``), both answered with the neutral page."""
    briefing = Briefing.objects.select_related("review").filter(pk=briefing_id).first()
    if briefing is None:
        raise Http404(f"There is no briefing {briefing_id}.")
    if not can_read_briefing(request, briefing):
        refuse(request, object_type="briefing", object_id=briefing.pk,
               reason="a draft briefing, read only by the business unit")
    return briefing


def briefing_list(request: HttpRequest) -> HttpResponse:
    reach = {row["briefing"]: row for row in activities.overall_reach()}
    shown = list(briefings_for(request, Briefing.objects.select_related("review")
                               .order_by("-id")))
    return render(request, "reviewing/briefing_list.html", {
        "published": [{"briefing": b, "reach": reach.get(b.pk)} for b in shown
                      if b.status == BriefingStatus.PUBLISHED],
        "drafts": [{"briefing": b} for b in shown if b.status == BriefingStatus.DRAFT],
        "by_agency": activities.reach_by_agency(),
        "business_unit": is_business_unit(request),
    })


def part_blocks(briefing: Briefing) -> list[dict[str, object]]:
    """The seven parts, each as paragraphs and lists (``- `` lines)."""
    return [{"number": p.number, "label": p.label, "blocks": blocks(p.text)}
            for p in services.parts(briefing)]


def briefing_page(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    published = briefing.status == BriefingStatus.PUBLISHED
    return render(request, "reviewing/briefing.html", {
        "briefing": briefing, "parts": part_blocks(briefing),
        "length": services.length(briefing), "guard": guard.report(briefing),
        "reach": activities.briefing_reach(briefing.pk), "published": published,
        "business_unit": is_business_unit(request),
        "review_link": can_read_review(request, briefing.review),
        "formats": FORMATS,
    })


def briefing_download(request: HttpRequest, briefing_id: int, fmt: str) -> HttpResponse:
    """The briefing as html, pdf or docx, made by the same service as `joinedup briefing
    render` (the guard runs first); a draft is marked DRAFT. Audited as a download."""
    if fmt not in FORMATS:
        raise Http404(f"A briefing downloads as {', '.join(FORMATS)}.")
    briefing = find_briefing(request, briefing_id)
    latest = services.briefing_for_review(briefing.review_id)
    if latest.pk != briefing.pk:
        messages.info(request, f"This briefing was replaced by briefing {latest.pk}; download "
                               "that one.")
        return redirect("briefing", latest.pk)
    draft = briefing.status != BriefingStatus.PUBLISHED
    name = f"{slugify(briefing.review.pseudonym) or 'review'}-7-minute-briefing" \
           f"{'-draft' if draft else ''}.{fmt}"
    with scratch.folder("briefing") as folder:
        path = Path(folder) / name
        try:
            services.render(briefing.review_id, fmt, path, who(request), draft=draft)
        except JoinedUpError:
            messages.error(request, "The briefing cannot be downloaded: the de-identification "
                                    "check found passages that would identify the family. "
                                    "They are listed under \u201cDe-identification check\u201d.")
            return redirect("briefing", briefing.pk)
        content = path.read_bytes()
    mark_audited(request)
    audit.record(request.user, AuditAction.DOWNLOAD, object_type="briefing",
                 object_id=briefing.pk, reason="7-minute briefing",
                 details={"format": fmt, "draft": draft, "bytes": len(content),
                          "address": request.get_full_path()[:500]})
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
