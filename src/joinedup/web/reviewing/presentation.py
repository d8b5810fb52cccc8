"""Presentation mode: a briefing shown one part at a time in large type for a team meeting,
with a visible 7-minute timer.

Without JavaScript the parts are pages (``?part=3``) joined by "Previous part" and "Next
part" links, and the timer says "7 minutes". present.js turns it into a countdown with
Start, Pause and Reset that keeps running from part to part.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.briefings import conf
from joinedup.web.reviewing.briefing_views import find_briefing, part_blocks

QUESTIONS_PAGE = 8
"""After the seven parts: the questions for the team's discussion."""


def _page_number(request: HttpRequest, last: int) -> int:
    try:
        number = int(request.GET.get("part", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), last)


def briefing_present(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    parts = part_blocks(briefing)
    questions = [str(q) for q in briefing.reflection_questions]
    last = QUESTIONS_PAGE if questions else len(parts)
    number = _page_number(request, last)
    return render(request, "reviewing/briefing_present.html", {
        "briefing": briefing, "number": number, "parts_count": len(parts),
        "part": parts[number - 1] if number <= len(parts) else None,
        "questions": questions if number == QUESTIONS_PAGE else [],
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < last else None,
        "next_is_questions": number + 1 == QUESTIONS_PAGE and bool(questions),
        "minutes": conf.MINUTES, "seconds": conf.MINUTES * 60,
    })
