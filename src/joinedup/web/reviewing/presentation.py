"""Presentation mode: a briefing shown one slide at a time in large type for a team
meeting, full screen with no site chrome, with a visible 7-minute timer.

Each part is one slide, or several when it is too long to fit a 1024x768 projector
(:data:`WORDS_PER_SLIDE`); the questions for the team's discussion come last. Without
JavaScript the slides are pages (``?part=5&slide=2``) joined by "Previous" and "Next"
links, and the timer says "7 minutes". present.js turns it into a countdown with Start,
Pause and Reset that keeps running from slide to slide, moves between slides with the arrow
keys and space (in place, so full screen is kept), leaves with Escape and shrinks the text
of a slide that would still not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.briefings import Block, conf
from joinedup.web.reviewing.briefing_views import find_briefing, part_blocks

QUESTIONS_PAGE = 8
"""After the seven parts: the questions for the team's discussion."""

WORDS_PER_SLIDE = 90
"""Words that fit one slide at 1024x768 in presentation type (36 px) under a two-line
heading (measured in Chromium), each paragraph or list item counting
:data:`WORDS_PER_PIECE` more for the room around it; a longer part is split between
paragraphs, list items or, failing those, sentences."""

WORDS_PER_PIECE = 8

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Slide:
    number: int
    """The part's number (``QUESTIONS_PAGE`` for the questions)."""
    heading: str
    blocks: list[Block]
    slide: int = 1
    slides: int = 1
    address: str = ""
    progress: str = ""
    previous: str | None = None
    next: str | None = None
    next_words: str = "Next"
    title: str = ""
    first_item: int = 1
    """Where a numbered list (the questions) continues from on this slide."""


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _pieces(blocks: list[Block]) -> list[Block]:
    """The blocks as small pieces: one paragraph, or one list item, or, where one is longer
    than a slide, its sentences."""
    found = []
    for block in blocks:
        for line in block.lines:
            sentences = [line] if _words(line) <= WORDS_PER_SLIDE else \
                [s for s in _SENTENCE_END.split(line) if s]
            found += [Block(block.kind, [s]) for s in sentences]
    return found


def split(blocks: list[Block]) -> list[list[Block]]:
    """``blocks`` in slides of at most :data:`WORDS_PER_SLIDE` words where they can be (a
    single sentence longer than that keeps a slide to itself). Pieces of one list stay one
    list on a slide."""
    slides: list[list[Block]] = [[]]
    used = 0
    for piece in _pieces(blocks):
        size = _words(piece.lines[0]) + WORDS_PER_PIECE
        if slides[-1] and used + size > WORDS_PER_SLIDE:
            slides.append([])
            used = 0
        shown = slides[-1]
        if shown and piece.kind == "ul" and shown[-1].kind == "ul":
            shown[-1].lines.append(piece.lines[0])
        else:
            shown.append(Block(piece.kind, [piece.lines[0]]))
        used += size
    return slides


def slides_of(parts: list[dict[str, object]], questions: list[str],
              address: str) -> list[Slide]:
    """Every slide of the briefing in order, each knowing its neighbours' addresses."""
    shown: list[Slide] = []
    for part in parts:
        blocks = part["blocks"]
        assert isinstance(blocks, list)  # noqa: S101 - narrows the type of part_blocks' value
        pieces = split(blocks) if blocks else [[]]
        shown += [Slide(int(str(part["number"])), f"{part['number']}. {part['label']}",
                        chunk, slide=i, slides=len(pieces))
                  for i, chunk in enumerate(pieces, 1)]
    if questions:
        pieces = split([Block("ol", [q]) for q in questions])
        asked = 0
        for i, chunk in enumerate(pieces, 1):
            shown.append(Slide(QUESTIONS_PAGE, "Questions for your team", chunk, slide=i,
                               slides=len(pieces), first_item=asked + 1))
            asked += sum(len(block.lines) for block in chunk)
    for slide in shown:
        query = f"?part={slide.number}" + (f"&slide={slide.slide}" if slide.slide > 1 else "")
        slide.address = address + query
        where = (f"Part {slide.number} of {len(parts)}" if slide.number != QUESTIONS_PAGE
                 else f"After the {len(parts)} parts: discussion")
        slide.progress = where + (f", slide {slide.slide} of {slide.slides}"
                                  if slide.slides > 1 else "")
        slide.title = where.replace("Part", "part") if slide.number != QUESTIONS_PAGE \
            else "questions for your team"
    for before, after in zip(shown, shown[1:], strict=False):
        before.next, after.previous = after.address, before.address
        before.next_words = ("Next: questions for your team" if after.number == QUESTIONS_PAGE
                             and after.slide == 1 else "Next")
    return shown


def _current(request: HttpRequest, slides: list[Slide]) -> int:
    """The index of the slide asked for (``?part=N&slide=K``), the first if none fits."""
    try:
        number = int(request.GET.get("part", "1"))
        slide = int(request.GET.get("slide", "1"))
    except ValueError:
        return 0
    for index, shown in enumerate(slides):
        if shown.number == number and shown.slide == min(max(slide, 1), shown.slides):
            return index
    return len(slides) - 1 if slides and number > slides[-1].number else 0


def briefing_present(request: HttpRequest, briefing_id: int) -> HttpResponse:
    briefing = find_briefing(request, briefing_id)
    parts = part_blocks(briefing)
    questions = [str(q) for q in briefing.reflection_questions]
    slides = slides_of(parts, questions, reverse("briefing-present", args=[briefing.pk]))
    current = _current(request, slides)
    return render(request, "reviewing/briefing_present.html", {
        "briefing": briefing, "slides": slides, "current": current,
        "slide": slides[current], "leave": reverse("briefing", args=[briefing.pk]),
        "minutes": conf.MINUTES, "seconds": conf.MINUTES * 60, "questions_page": QUESTIONS_PAGE,
    })
