"""What the `joinedup briefing` commands do to briefings: edit, check, publish, guard.

Every change is recorded in the briefing's history. Editing a published briefing puts it
back to draft: it must pass the guard (or be overridden, with a reason) again before it is
published. Publishing and rendering both run the guard against the family network as it is
now, so a name linked to the family since the last check is still caught.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.briefings import conf
from joinedup.briefings.compose import Length, measure
from joinedup.briefings.deidentify import Problem, find_problems
from joinedup.briefings.family_identifiers import identifiers_for_child
from joinedup.briefings.models import (
    Briefing,
    BriefingEvent,
    BriefingPart,
    BriefingStatus,
    GuardOverride,
)
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.reviews.models import Review


class IdentifiableError(ActionError):
    """The guard found identifiers: the message lists every one."""

    code = "identifiable"

    def __init__(self, briefing_id: int, problems: list[Problem], doing: str) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"Briefing {briefing_id} cannot be {doing}: {len(problems)} passage"
            f"{'s' if len(problems) != 1 else ''} would identify the family.\n{listed}\n"
            "Rewrite them with the pseudonym, ages and months instead, or give a reason "
            "for going ahead (recorded with your name).",
            next_step=NextStep.GIVE_DETAIL(detail="override_reason"))


def find_briefing(briefing_id: int) -> Briefing:
    briefing = Briefing.objects.select_related("review").filter(pk=briefing_id).first()
    if briefing is None:
        raise NotFoundError(f"There is no briefing {briefing_id}.",
                            next_step=NextStep.LIST_BRIEFINGS)
    return briefing


def briefing_for_review(review_id: int) -> Briefing:
    if not Review.objects.filter(pk=review_id).exists():
        raise NotFoundError(f"There is no review {review_id}.")
    briefing = Briefing.objects.select_related("review").filter(
        review_id=review_id).order_by("-id").first()
    if briefing is None:
        raise NotFoundError(f"Review {review_id} has no briefing yet: draft one first.",
                            next_step=NextStep.COMPOSE_BRIEFING(review=review_id))
    return briefing


def parts(briefing: Briefing) -> list[BriefingPart]:
    return list(briefing.parts.order_by("number"))


def passages(briefing: Briefing) -> list[tuple[str, str]]:
    """Everything a reader sees, as (where, text)."""
    found = [("title", briefing.title)]
    for part in parts(briefing):
        found += [(f"part {part.number} label", part.label), (f"part {part.number}", part.text)]
    found += [(f"reflection question {i}", q)
              for i, q in enumerate(briefing.reflection_questions, 1)]
    return found


def length(briefing: Briefing) -> Length:
    """What is read aloud: each part's label and text and the reflection questions."""
    texts = [t for p in parts(briefing) for t in (p.label, p.text)]
    return measure(texts + [str(q) for q in briefing.reflection_questions])


def check(briefing: Briefing) -> list[Problem]:
    """The guard, against the review child's family network as it is now."""
    review = briefing.review
    incident = review.incident_on if conf.block_incident_date() else None
    return find_problems(passages(briefing), identifiers_for_child(review.child_id),
                         review.pseudonym, incident)


def guard(briefing: Briefing, doing: str, who: str, override_reason: str | None) -> list[Problem]:
    """Run the guard before ``doing`` (e.g. "published", "rendered as pdf"). With problems:
    IdentifiableError, unless a reason to override is given, which is recorded."""
    problems = check(briefing)
    if not problems:
        return []
    if override_reason is None:
        raise IdentifiableError(briefing.pk, problems, doing)
    if not override_reason.strip():
        raise ActionError("An override needs a reason: say why publishing these passages "
                          "is acceptable.",
                          next_step=NextStep.GIVE_DETAIL(detail="override_reason"))
    with transaction.atomic():
        GuardOverride.objects.create(briefing=briefing, who=who, reason=override_reason.strip(),
                                     action=doing, problems=[p.as_dict() for p in problems])
        _record(briefing, who, "guard_overridden",
                f"{doing}: {len(problems)} passages let through. Reason: "
                f"{override_reason.strip()}")
    return problems


def _record(briefing: Briefing, who: str, what: str, note: str = "") -> None:
    BriefingEvent.objects.create(briefing=briefing, who=who, what=what, note=note)


def _changed(briefing: Briefing, who: str, what: str, note: str) -> None:
    """Record a change; a published briefing goes back to draft."""
    if briefing.status == BriefingStatus.PUBLISHED:
        briefing.status = BriefingStatus.DRAFT
        note += " Back to draft: publish it again once checked."
    briefing.updated_at = timezone.now()
    briefing.save(update_fields=["status", "updated_at"])
    _record(briefing, who, what, note)


@transaction.atomic
def edit_part(briefing_id: int, number: int, who: str, text: str | None = None,
              label: str | None = None) -> BriefingPart:
    if not 1 <= number <= 7:
        raise ActionError(f"A briefing has parts 1 to 7 (got {number}).")
    if text is None and label is None:
        raise ActionError("Say what to change: the part's text or its label.",
                          next_step=NextStep.GIVE_DETAIL(detail="part_change"))
    briefing = find_briefing(briefing_id)
    part = briefing.parts.get(number=number)
    said = []
    if label is not None:
        if not label.strip():
            raise ActionError("A part's label cannot be empty.")
        part.label = label.strip()
        said.append("label")
    if text is not None:
        part.text = text.strip()
        said.append("text")
    part.save()
    _changed(briefing, who, "part_edited", f"Part {number}: {' and '.join(said)} changed.")
    return part


@transaction.atomic
def set_title(briefing_id: int, title: str, who: str) -> Briefing:
    if not title.strip():
        raise ActionError("The title cannot be empty.")
    briefing = find_briefing(briefing_id)
    briefing.title = title.strip()
    briefing.save(update_fields=["title"])
    _changed(briefing, who, "title_edited", "Title changed.")
    return briefing


@transaction.atomic
def set_questions(briefing_id: int, questions: list[str], who: str) -> Briefing:
    briefing = find_briefing(briefing_id)
    briefing.reflection_questions = [q.strip() for q in questions if q.strip()]
    briefing.save(update_fields=["reflection_questions"])
    _changed(briefing, who, "questions_edited",
             f"{len(briefing.reflection_questions)} reflection questions.")
    return briefing


def publish(briefing_id: int, who: str, override_reason: str | None = None, *,
            published_on: dt.date | None = None) -> Briefing:
    """Publish a draft that passes the guard. ``published_on``: the day it was published,
    when that was earlier than today (a briefing already in use before it was recorded here,
    as in the demonstration); never in the future."""
    briefing = find_briefing(briefing_id)
    if briefing.status == BriefingStatus.PUBLISHED:
        raise ActionError(f"Briefing {briefing_id} is already published.")
    if published_on is not None and published_on > timezone.localdate():
        raise ActionError(f"{published_on:%d/%m/%Y} is in the future: a briefing is "
                          "published on the day it is, or an earlier one.")
    empty = [p.number for p in parts(briefing) if not p.text.strip()]
    if empty:
        raise ActionError(f"Briefing {briefing_id} cannot be published: part"
                          f"{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))} "
                          f"still empty. Write {'them' if len(empty) > 1 else 'it'} first.",
                          next_step=NextStep.EDIT_BRIEFING(briefing=briefing_id))
    with transaction.atomic():
        guard(briefing, "published", who, override_reason)
        briefing.status = BriefingStatus.PUBLISHED
        briefing.published_by, briefing.published_at = who, timezone.now() \
            if published_on is None else timezone.make_aware(
                dt.datetime.combine(published_on, dt.time(12)))
        briefing.save(update_fields=["status", "published_by", "published_at"])
        _record(briefing, who, "published")
    return briefing


def summary(briefing: Briefing) -> dict[str, Any]:
    """The briefing as stable JSON (docs/cli.md)."""
    measured = length(briefing)
    return {
        "id": briefing.pk,
        "review": briefing.review_id,
        "pseudonym": briefing.review.pseudonym,
        "title": briefing.title,
        "status": briefing.status,
        "parts": [{"number": p.number, "label": p.label, "text": p.text}
                  for p in parts(briefing)],
        "reflection_questions": list(briefing.reflection_questions),
        **measured.as_dict(),
        "created_by": briefing.created_by,
        "created_at": briefing.created_at,
        "published_by": briefing.published_by or None,
        "published_at": briefing.published_at,
        "overrides": [{"at": o.at, "who": o.who, "reason": o.reason, "action": o.action,
                       "problems": o.problems} for o in briefing.overrides.all()],
        "history": [{"at": e.at, "who": e.who, "what": e.what, "note": e.note}
                    for e in briefing.history.all()],
    }


@dataclass
class Rendered:
    path: str
    pages: int | None
    overridden: int


def render(review_id: int, fmt: str, path: Any, who: str, draft: bool = False,
           override_reason: str | None = None) -> Rendered:
    """Write the review's briefing as html, pdf or docx. Not ``draft``: only a published
    briefing. Either way the guard runs first."""
    from pathlib import Path

    from joinedup.briefings.render import document_for, write

    briefing = briefing_for_review(review_id)
    if not draft and briefing.status != BriefingStatus.PUBLISHED:
        raise ActionError(f"Briefing {briefing.pk} is a draft: publish it first, or render "
                          "it as a draft.",
                          next_step=NextStep.PUBLISH_BRIEFING(briefing=briefing.pk))
    doing = f"rendered as {fmt}" + (" (draft)" if draft else "")
    problems = guard(briefing, doing, who, override_reason)
    pages = write(document_for(briefing, draft=draft), fmt, Path(path))
    _record(briefing, who, "rendered", f"{doing} to {Path(path).name}")
    return Rendered(str(path), pages, len(problems))
