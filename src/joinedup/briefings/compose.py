"""Drafting a 7-minute briefing from a review, and measuring how long it takes to read.

The draft is a starting point for the review's author, who edits every part afterwards:

1. Background: the review's pseudonymised summary of what happened, and how the
   partnership reviewed it (from the decision).
2. Why it matters: why a team should spend seven minutes on it, naming the themes found.
3-5. Key findings: the first three findings, one a part (the part takes the finding's title
   as its label). A later finding has no part of its own: its learning reaches the team
   through its things to remember and its actions.
6. Things to remember: each finding's points to remember, written by the review's author
   apart from the finding (``Finding.remember``), as a list; empty, for the author to
   write, when no finding has any.
7. What to do: the review's recommended actions, as a list.

Then the standing reflection questions (``conf.standing_questions``).

Anything that names a member of the family is replaced on the way in where it can be
(:func:`pseudonymise`: the child's names become the pseudonym, a parent's full or given name
becomes "Baby S's mother"...), but the draft is not trusted: the guard checks everything
before publication. Functions above ``compose_briefing`` are pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from joinedup.briefings import conf
from joinedup.briefings.deidentify import MONTH_NAMES
from joinedup.briefings.family_identifiers import name_words
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.people.models import PersonRecord
from joinedup.people.network import ROLE_LABELS, network_for
from joinedup.reviews.models import Review


@dataclass
class FindingFacts:
    title: str
    narrative: str
    themes: list[str] = field(default_factory=list)
    remember: list[str] = field(default_factory=list)


@dataclass
class ActionFacts:
    description: str
    owner: str
    due_on: dt.date | None = None


@dataclass
class ReviewFacts:
    """What a draft is made from, as plain values."""

    pseudonym: str
    what_happened: str
    decision: str = ""
    findings: list[FindingFacts] = field(default_factory=list)
    actions: list[ActionFacts] = field(default_factory=list)


@dataclass
class DraftPart:
    number: int
    label: str
    text: str


_HOW_REVIEWED = {
    "": "The partnership's rapid review is looking at what happened and what agencies can "
        "learn from it.",
    "local_cspr": "The partnership's rapid review decided to hold a local child safeguarding "
                  "practice review. This briefing shares what it found.",
    "other_learning": "The partnership's rapid review decided that a local child safeguarding "
                      "practice review was not needed, but that there was learning every "
                      "agency should hear.",
    "national_review": "The case was referred to the national Child Safeguarding Practice "
                       "Review Panel. This briefing shares the learning found locally.",
}


KEY_FINDINGS = 3
"""Findings given a part of their own (parts 3 to 5)."""


def draft_parts(facts: ReviewFacts, labels: Sequence[str]) -> list[DraftPart]:
    """The seven parts of a first draft (see the module's docstring)."""
    if len(labels) != 7:
        raise ValueError("a briefing has seven labels")
    who = facts.pseudonym
    themes = list(dict.fromkeys(t for f in facts.findings for t in f.themes))
    background = "\n\n".join(p for p in (facts.what_happened.strip(),
                                         _HOW_REVIEWED.get(facts.decision, "")) if p)
    if themes:
        said = themes[0] if len(themes) == 1 else \
            f"{', '.join(themes[:-1])} and {themes[-1]}"
        why = (f"Any of us could be working with a family like {who}'s today. The review "
               f"found learning about {said.lower()}. Read it with your team and ask how it "
               "applies to the children and adults you work with.")
    else:
        why = (f"Any of us could be working with a family like {who}'s today. Read this with "
               "your team and ask how the learning applies to the children and adults you "
               "work with.")
    parts = [DraftPart(1, labels[0], background), DraftPart(2, labels[1], why)]
    for slot in range(KEY_FINDINGS):
        number = 3 + slot
        finding = facts.findings[slot] if slot < len(facts.findings) else None
        parts.append(DraftPart(number, finding.title if finding else labels[number - 1],
                               finding.narrative.strip() if finding else ""))
    remember = "\n".join(f"- {point}" for f in facts.findings for point in f.remember)
    parts.append(DraftPart(6, labels[5], remember))
    todo = "\n".join(f"- {a.description.strip()} ({a.owner}"
                     + (f", by {MONTH_NAMES[a.due_on.month - 1]} {a.due_on.year})"
                        if a.due_on else ")") for a in facts.actions)
    parts.append(DraftPart(7, labels[6], todo))
    return parts


def left_out_note(findings: int) -> str:
    """What the history says of findings after the third, which have no part of their own."""
    left = [str(n) for n in range(KEY_FINDINGS + 1, findings + 1)]
    if not left:
        return ""
    if len(left) == 1:
        return f" Finding {left[0]} has no part of its own: part 6 holds its things to remember."
    named = f"{', '.join(left[:-1])} and {left[-1]}"
    return (f" Findings {named} have no part of their own: part 6 holds their things to "
            "remember.")


def pseudonymise(text: str, swaps: Sequence[tuple[str, str]]) -> str:
    """``text`` with each name in ``swaps`` (name, replacement) replaced, whole words, any
    case, longest names first (so "Kayleigh Ashworth" goes before "Kayleigh")."""
    for name, replacement in sorted(swaps, key=lambda s: -len(s[0])):
        if not name.strip():
            continue
        words = [re.escape(w) for w in name.split()]
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
        text = pattern.sub(replacement.replace("\\", r"\\"), text)
    return text


# -- length -----------------------------------------------------------------------------

_WORD = re.compile(r"\w[\w\u2019'-]*")


def word_count(texts: Sequence[str]) -> int:
    return sum(len(_WORD.findall(text)) for text in texts)


@dataclass(frozen=True)
class Length:
    words: int
    seconds: int

    @property
    def too_long(self) -> bool:
        return self.seconds > conf.MINUTES * 60

    @property
    def reading_time(self) -> str:
        minutes, seconds = divmod(self.seconds, 60)
        return f"{minutes} min {seconds:02d} s"

    @property
    def warning(self) -> str:
        if not self.too_long:
            return ""
        over = self.words - conf.MINUTES * conf.WORDS_PER_MINUTE
        return (f"Read aloud at about {conf.WORDS_PER_MINUTE} words a minute this takes "
                f"{self.reading_time}, more than {conf.MINUTES} minutes: cut about {over} "
                "words.")

    def as_dict(self) -> dict[str, object]:
        return {"words": self.words, "reading_seconds": self.seconds,
                "reading_time": self.reading_time, "too_long": self.too_long,
                "warning": self.warning}


def measure(texts: Sequence[str]) -> Length:
    """Words, and seconds to read them aloud at ``conf.WORDS_PER_MINUTE``."""
    words = word_count(texts)
    return Length(words, round(words * 60 / conf.WORDS_PER_MINUTE))


# -- from the database ------------------------------------------------------------------

def review_facts(review: object) -> ReviewFacts:
    """The plain facts of a ``reviews.Review``, pseudonymised."""

    assert isinstance(review, Review)  # noqa: S101 - narrows the type: typed object so the models load lazily
    swaps = name_swaps(review.child_id, review.pseudonym)
    findings = [FindingFacts(pseudonymise(f.title, swaps), pseudonymise(f.narrative, swaps),
                             [t.label for t in f.themes.all()],
                             [pseudonymise(line.strip(), swaps)
                              for line in f.remember.splitlines() if line.strip()])
                for f in review.findings.order_by("number").prefetch_related("themes")]
    actions = [ActionFacts(pseudonymise(a.description, swaps), a.owner, a.due_on)
               for a in review.actions.exclude(status="dropped").order_by("due_on", "id")]
    return ReviewFacts(review.pseudonym, pseudonymise(review.what_happened, swaps),
                       review.decision, findings, actions)


def name_swaps(child_id: int, pseudonym: str) -> list[tuple[str, str]]:
    """(name, words to use instead) for the child and each person in their network: full
    names always; a given name or one-word alias only when no one else in the network has
    it. Family names alone are left for the guard to catch (several people share them)."""

    phrase = {child_id: pseudonym}
    for member in network_for(child_id).members:
        phrase.setdefault(member.person_id, f"{pseudonym}'s {ROLE_LABELS[member.role]}")
    swaps: list[tuple[str, str]] = []
    single: dict[str, set[int]] = {}
    rows = PersonRecord.objects.filter(person_id__in=list(phrase)).values_list(
        "person_id", "given_name", "family_name", "other_names")
    for person_id, given, family, others in rows:
        instead = phrase[int(person_id)]
        aliases = [str(o) for o in (others or [])] if isinstance(others, list) else []
        for first in [given or "", *(a for a in aliases if len(a.split()) == 1)]:
            if first and family:
                swaps.append((f"{first} {family}", instead))
            for word in name_words(first):
                single.setdefault(word.lower(), set()).add(int(person_id))
        swaps.extend((a, instead) for a in aliases if len(a.split()) > 1)
    for word, people in single.items():
        if len(people) == 1:
            swaps.append((word, phrase[next(iter(people))]))
    return list(dict.fromkeys(swaps))


def compose_briefing(review_id: int, who: str) -> object:
    """Draft a new briefing for a review; ActionError if it already has one."""
    from django.db import transaction

    from joinedup.briefings.models import Briefing, BriefingEvent, BriefingPart

    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(f"There is no review {review_id}.")
    existing = review.briefings.order_by("-id").first()
    if existing is not None:
        raise ActionError(f"Review {review_id} already has briefing {existing.pk}: change that "
                          "one instead.",
                          next_step=NextStep.EDIT_BRIEFING(briefing=existing.pk))
    facts = review_facts(review)
    parts = draft_parts(facts, conf.part_labels())
    note = f"Drafted from review {review_id}." + left_out_note(len(facts.findings))
    with transaction.atomic():
        briefing = Briefing.objects.create(
            review=review, title=f"7-minute briefing: {review.pseudonym}",
            reflection_questions=conf.standing_questions(), created_by=who)
        BriefingPart.objects.bulk_create(
            BriefingPart(briefing=briefing, number=p.number, label=p.label, text=p.text)
            for p in parts)
        BriefingEvent.objects.create(briefing=briefing, who=who, what="composed", note=note)
    return briefing
