"""The de-identification guard's results as a page shows them.

What the guard found is shown without repeating it in full: each word keeps its first
letter or digit and the rest is blanked ("K•••••••", "3•• N••••••• 2•••"), so the author
can find the passage in their own text while a page, a screen share or a screenshot does not
spread the name or date of birth further. Where it is ("Part 4, “The father's risk”") and
why ("the mother's given name") are said in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from joinedup.briefings import Briefing, Problem, conf, identifiers_for_child, services

_WORD = re.compile(r"\w+")
_PART = re.compile(r"^part (\d)( label)?$")
_QUESTION = re.compile(r"^reflection question (\d+)$")


def mask(found: str) -> str:
    """Each word's first character kept, the rest blanked with dots."""
    return _WORD.sub(lambda m: m[0][0] + "\u2022" * (len(m[0]) - 1), found)


@dataclass(frozen=True)
class Finding:
    """One passage the guard found, ready to show."""

    where: str
    anchor: str
    why: str
    found: str

    @property
    def what(self) -> str:
        """What it is and, unless that already says it, how it is written (masked)."""
        return self.why if self.found in self.why else f"{self.why} ({self.found})"

    @property
    def text(self) -> str:
        return f"{self.where}: {self.what}"


def where_words(where: str, labels: dict[int, str]) -> tuple[str, str]:
    """(plain words, id of the field on the edit page) for the guard's "part 4 label"."""
    part = _PART.match(where)
    if part:
        number = int(part[1])
        label = labels.get(number, "")
        named = f", \u201c{label}\u201d" if label and not part[2] else ""
        if part[2]:
            return f"Part {number} heading", f"part-{number}-label"
        return f"Part {number}{named}", f"part-{number}-text"
    question = _QUESTION.match(where)
    if question:
        return f"Reflection question {question[1]}", "questions"
    if where == "title":
        return "Title", "title"
    return where[:1].upper() + where[1:], "title"


def shown(problem: Problem, labels: dict[int, str]) -> Finding:
    where, anchor = where_words(problem.where, labels)
    masked = mask(problem.found)
    why = re.sub(re.escape(problem.found), masked, problem.why, flags=re.IGNORECASE) \
        if problem.found.strip() else problem.why
    return Finding(where, anchor, why, masked)


def report(briefing: Briefing) -> dict[str, Any]:
    """What the guard checked and what it found, for the briefing and edit pages."""
    problems = services.check(briefing)
    labels = {p.number: p.label for p in services.parts(briefing)}
    known = identifiers_for_child(briefing.review.child_id)
    checked = [
        (len(known.names), "name", "names"),
        (len(known.dates), "date of birth", "dates of birth"),
        (len(known.nhs_numbers), "NHS number", "NHS numbers"),
        (len(known.postcodes), "postcode", "postcodes"),
        (len(known.address_lines), "address line", "address lines"),
    ]
    return {
        "ok": not problems,
        "findings": [shown(p, labels) for p in problems],
        "passages": len(services.passages(briefing)),
        "questions": len(briefing.reflection_questions),
        "checked": [{"count": n, "one": one, "many": many} for n, one, many in checked],
        "incident_date": conf.block_incident_date(),
        "pseudonym": briefing.review.pseudonym,
    }
