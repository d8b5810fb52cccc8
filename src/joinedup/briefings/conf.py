"""The partnership's choices for its briefings: part labels, standing questions, policy.

Defaults are data here; a partnership changes them without touching code:

- ``JOINEDUP_BRIEFING_LABELS`` (Django setting): a list of seven labels used for new
  briefings; each briefing's own labels can then be changed (``briefing edit --label``).
- ``JOINEDUP_BRIEFING_QUESTIONS`` (Django setting): the standing reflection questions put
  at the end of each new briefing (editable per briefing).
- ``JOINEDUP_BRIEFING_INCIDENT_DATE`` (environment): ``block`` (default) makes the guard
  refuse the incident's full date in any written form; ``allow`` lets it through, for a
  partnership whose policy is that the date alone does not identify the family.
"""

from __future__ import annotations

import os

from joinedup.errors import ConfigurationError

DEFAULT_LABELS: tuple[str, ...] = (
    "Background",
    "Why it matters",
    "Key finding",
    "Key finding",
    "Key finding",
    "Things to remember",
    "What to do",
)
"""After the usual layout of a 7-minute briefing (docs/briefings.md)."""

DEFAULT_QUESTIONS: tuple[str, ...] = (
    "What stood out for you in this briefing, and why?",
    "Could this happen with a family we work with? What would help us notice sooner?",
    "What will our team do differently, who will do it, and by when?",
    "How will we know the change has made a difference, and where does it sit in our "
    "service improvement plan?",
)
"""Standing reflection questions for the team's discussion after the briefing."""

WORDS_PER_MINUTE = 130
"""Spoken reading speed: a team leader reading aloud to a team, not a fast reader."""

MINUTES = 7


def part_labels() -> list[str]:
    from django.conf import settings

    labels = list(getattr(settings, "JOINEDUP_BRIEFING_LABELS", None) or DEFAULT_LABELS)
    if len(labels) != 7 or not all(str(label).strip() for label in labels):
        raise ConfigurationError("JOINEDUP_BRIEFING_LABELS must list seven labels, none empty "
                                 f"(it has {len(labels)}).")
    return [str(label).strip() for label in labels]


def standing_questions() -> list[str]:
    from django.conf import settings

    questions = getattr(settings, "JOINEDUP_BRIEFING_QUESTIONS", None)
    return [str(q) for q in (DEFAULT_QUESTIONS if questions is None else questions)]


def block_incident_date() -> bool:
    value = os.environ.get("JOINEDUP_BRIEFING_INCIDENT_DATE", "block").strip().lower()
    if value not in ("block", "allow"):
        raise ConfigurationError("JOINEDUP_BRIEFING_INCIDENT_DATE must be block or allow "
                                 f"(got {value!r}).")
    return value == "block"
