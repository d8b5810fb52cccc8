"""The de-identification guard: nothing published may say who the family are.

A published briefing names the child only by the review's pseudonym ("Baby S"). Before a
briefing is published or rendered, :func:`find_problems` reads every passage (title, each
part's label and text, each reflection question) and lists every place that holds:

- a **name**: any given name, family name or other name (alias, former or maiden name) of
  anyone in the child's family network, the child included. Names are matched as whole
  words in any case ("kayleigh", "KERRIGAN"), with a plural or possessive ending ("the
  Kerrigans", "Ashworths", "Kerrigans'", "Danny's" with a straight or curly apostrophe;
  "es" after s, x, z, ch and sh: "the Joneses"), when digits are glued to them
  ("Kayleigh2", "2Kayleigh") and when names are run together ("kayleighashworth",
  :func:`glued_names`), but not inside a longer word ("Dan" is not found in "dance").
  Names shorter than three letters are not matched (initials such as the "S" of "Baby S"
  would match everywhere). A name that is also an everyday English word
  (:data:`COMMON_WORDS`: "Hope", "Young", "May"...) is caught only when written with a
  capital letter, so "young parents" passes and "Young" does not (nor "Youngs"); at the
  start of a sentence that errs on the side of a false alarm, which a person can rephrase
  or override with a reason;
- a **date of birth** of any of them, in any common written or clinical form
  (:mod:`joinedup.briefings.written_dates`): ``2024-03-03``, ``03/03/2024``, ``3/3/24``,
  ``3.3.2024``, ``03 03 2024``, ``03032024``, ``20240303``, ``3 March 2024``, ``3rd of
  March, 2024``, ``March 3rd 2024``, ``Mar 3, 2024``, ``03-Mar-2024``, ``03Mar2024``,
  ``03MAR24``, ``03.Mar.24``, ``Mar-03-2024``, ``2024-Mar-03``, and the day and month
  without the year (``3rd March``, ``03-Mar``). Numeric dates are read both day-first and
  month-first, and two-digit years in both centuries, so a date written the American way
  is caught too;
- an **NHS number** of any of them, with any separator between any of its digits, or none
  (``999 412 3785``, ``999-412-3785``, ``999.412.3785``, ``999/412/3785``,
  ``9 9 9 4 1 2 3 7 8 5``, ``9994123785``); and any other ten-digit number in the usual
  3-3-4 groups (any separator, or none) that passes the NHS number check digit, because it
  almost certainly is someone's;
- a **postcode** of any of them, in any case, with any separator or none (``SK5 8PB``,
  ``sk58pb``, ``SK5-8PB``, ``sk5_8pb``);
- a **line of an address** of any of them: each comma-separated line except the last (the
  town, which a partnership names in its own briefings), with and without the house number
  ("27 Alder Rise" and "Alder Rise"); a line that is only a house or flat number is not
  matched on its own;
- the **incident date** in any of the forms above, when the partnership's policy says a
  date that precise identifies the incident (``JOINEDUP_BRIEFING_INCIDENT_DATE``, default
  ``block``).

Each passage is read plainly first (:mod:`joinedup.briefings.plain_text`): Unicode
compatibility forms (NFKC: fullwidth letters and digits are plain ones), invisible
characters (zero-width spaces and joiners, the soft hyphen) dropped, non-breaking spaces
made plain, accents and look-alike apostrophes ignored. What is found is still reported
as the author wrote it, where they wrote it.

The pseudonym itself is allowed wherever it appears. Ages ("at nine months old"), months
("in March 2024") and years are allowed: they do not pin down a person.

Everything here is pure, over plain values; the family's identifiers are gathered by
:mod:`joinedup.briefings.family_identifiers`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from joinedup.briefings.family_identifiers import (
    MIN_NAME_LETTERS,
    Identifiers,
    Reason,
    is_valid_nhs_number,
)
from joinedup.briefings.plain_text import plain, plain_text
from joinedup.briefings.written_dates import (
    MONTH_NAMES,
    MONTHS,
    DateMention,
    date_mentions,
    say_date,
    written_forms,
)

__all__ = [
    "COMMON_WORDS", "MONTHS", "MONTH_NAMES", "DateMention", "Problem", "check_passage",
    "date_mentions", "find_problems", "say_date", "written_forms",
]

COMMON_WORDS = frozenset("""
    april august baby bell best bill bird black bloom brook brown bush case chance child
    christian clay cook cross dale dawn day dean earl faith field fish ford fox frank free
    gay gift gold grace green grey hall hill holly honey hope hunt ivy jack joy july june
    justice king lane lee little long love mark marsh mason may miles moon moss new north
    page park patience penny pool potter price rich river rock rose ruby sage scott shaw
    short sky small south spring star stone storm summer sunny swift taylor true victory
    walker wall ward west white wild will wood woods young
""".split())
"""Names that are also everyday words: caught only when written with a capital letter."""

_BETWEEN = r"[\W_]{0,3}"
"""Between the characters of an NHS number or a postcode: any separator (up to three
characters: spaces, dashes, dots, slashes, underscores...), or none."""
_GROUP_SEP = r"(?:[^\w\n]|_){1,3}"
_NHS_LOOKALIKE = re.compile(rf"(?<!\d)(?<!\d[-./_])(\d{{3}})(?:{_GROUP_SEP})?(\d{{3}})"
                            rf"(?:{_GROUP_SEP})?(\d{{4}})(?!\d)(?![-./_]\d)")
"""Ten digits in the usual 3-3-4 groups, with any separator or none."""
_SIBILANT = re.compile(r"(?:s|x|z|ch|sh)$")
_LETTERS = re.compile(r"[^\W\d_]{6,}")


# -- the check --------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One passage that would identify the family."""

    where: str
    """e.g. "part 3", "part 3 label", "reflection question 2", "title"."""
    snippet: str
    """The words around it, with the identifier as written."""
    found: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "snippet": self.snippet, "found": self.found,
                "why": self.why}

    def __str__(self) -> str:
        return f"{self.where}: {self.why}: \u201c{self.snippet}\u201d"


def _snippet(text: str, start: int, end: int, width: int = 30) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    body = re.sub(r"\s+", " ", text[left:right]).strip()
    return ("\u2026" if left > 0 else "") + body + ("\u2026" if right < len(text) else "")


def _join(reasons: Iterable[Reason]) -> str:
    """Reasons in words, those with the same template together: "the child's and the
    mother's family name"; different ones joined with "; "."""
    reasons = list(reasons)
    named = {whose for whose, template in reasons
             if template in ("{whose} given name", "{whose} family name")}
    by_template: dict[str, list[str]] = {}
    for whose, template in reasons:
        if template == "{whose} other name" and whose in named:
            continue  # "Kerrigan" of the alias "Dan Kerrigan": the family name says it
        people = by_template.setdefault(template, [])
        if whose not in people:
            people.append(whose)
    said = []
    for template, people in by_template.items():
        whose = people[0] if len(people) == 1 else \
            f"{', '.join(people[:-1])} and {people[-1]}"
        said.append(template.format(whose=whose))
    return "; ".join(said)


def glued_names(word: str, names: Iterable[str]) -> list[str]:
    """The names ``word`` is made of when it is two or more of them run together
    ("kayleighashworth", "DannyKerrigans"), else []. Names that are everyday words are
    not used ("Rose" and "Wood" do not make "rosewood")."""
    usable = sorted({n for n in names if n not in COMMON_WORDS and n.isalpha()}, key=len)
    if len(word) < 2 * MIN_NAME_LETTERS or not usable:
        return []
    stem = word[:-1] if word.endswith("s") and word[:-1] else word
    for whole in (word, stem):
        ways: dict[int, list[str]] = {0: []}
        for at in range(1, len(whole) + 1):
            for name in usable:
                before = ways.get(at - len(name))
                if before is not None and whole[at - len(name):at] == name:
                    ways[at] = [*before, name]
                    break
        if len(ways.get(len(whole), [])) >= 2:
            return ways[len(whole)]
    return []


def _mask(text: str, phrase: str) -> str:
    """``text`` with every occurrence of ``phrase`` (any case) blanked out, same length."""
    if not phrase.strip():
        return text
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase.strip()) + r"(?!\w)", re.IGNORECASE)
    return pattern.sub(lambda m: " " * len(m[0]), text)


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A name in any case, with a plural or possessive ending ("Kerrigans", "Joneses",
    "Ashworth's", "Kerrigans'"), glued to digits or not ("Kayleigh2"), but not inside a
    longer word."""
    ending = "(?:es|s)?" if _SIBILANT.search(name) else "s?"
    return re.compile(r"(?<![^\W\d_])" + re.escape(name) + ending + r"(?![^\W\d_])",
                      re.IGNORECASE)


@lru_cache(maxsize=1024)
def _spread_pattern(chars: str, edge: str) -> re.Pattern[str]:
    """``chars`` with any separator, or none, between each (``edge``: what must not touch
    either end)."""
    body = _BETWEEN.join(re.escape(c) for c in chars)
    return re.compile(rf"(?<!{edge}){body}(?!{edge})", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(words) + r"(?![^\W_])", re.IGNORECASE)


def check_passage(where: str, text: str, found: Identifiers, pseudonym: str = "",
                  incident_on: dt.date | None = None) -> list[Problem]:
    """Every problem in one passage, in the order they appear. The passage is read plainly
    (:mod:`joinedup.briefings.plain_text`); each problem quotes the passage as written."""
    read = plain_text(text)
    scan = _mask(read.text, plain(pseudonym)) if pseudonym else read.text
    problems: list[tuple[int, Problem]] = []

    spans: list[tuple[int, int, str]] = []

    def add(start: int, end: int, why: str) -> None:
        start, end = read.original_span(start, end)
        if any(s <= start and end <= e and why == w for s, e, w in spans):
            return  # "Alder Rise" inside "27 Alder Rise", already reported
        spans.append((start, end, why))
        problems.append((start, Problem(where, _snippet(text, start, end), text[start:end],
                                        why)))

    for name, reasons in found.names.items():
        for match in _name_pattern(name).finditer(scan):
            if (name in COMMON_WORDS or match[0].lower() in COMMON_WORDS) \
                    and not match[0][:1].isupper():
                continue
            add(match.start(), match.end(), _join(reasons))
    for match in _LETTERS.finditer(scan):
        pieces = glued_names(match[0].lower(), found.names)
        if pieces:
            add(match.start(), match.end(),
                _join(dict.fromkeys(why for piece in pieces for why in found.names[piece])))
    for mention in date_mentions(scan):
        reasons = [why for day in sorted(mention.dates) for why in found.dates.get(day, [])]
        reasons += [why for day, whys in found.dates.items()
                    if (day.month, day.day) in mention.days for why in whys]
        if incident_on and (incident_on in mention.dates
                            or (incident_on.month, incident_on.day) in mention.days):
            reasons.append(("", "the date of the incident"))
        if reasons:
            add(mention.start, mention.end, f"{_join(list(dict.fromkeys(reasons)))}, "
                f"written as {read.written(mention.start, mention.end)}")
    for digits, reasons in found.nhs_numbers.items():
        for match in _spread_pattern(digits, r"\d").finditer(scan):
            add(match.start(), match.end(), _join(reasons))
    for match in _NHS_LOOKALIKE.finditer(scan):
        digits = "".join(match.groups())
        if digits not in found.nhs_numbers and is_valid_nhs_number(digits):
            add(match.start(), match.end(), "a number that looks like an NHS number")
    for code, reasons in found.postcodes.items():
        for match in _spread_pattern(code, r"[^\W_]").finditer(scan):
            add(match.start(), match.end(), _join(reasons))
    for line, reasons in sorted(found.address_lines.items(), key=lambda i: -len(i[0])):
        for match in _phrase_pattern(line).finditer(scan):
            add(match.start(), match.end(), _join(reasons))
    problems.sort(key=lambda item: item[0])
    return list(dict.fromkeys(problem for _, problem in problems))


def find_problems(passages: Sequence[tuple[str, str]], found: Identifiers,
                  pseudonym: str = "", incident_on: dt.date | None = None) -> list[Problem]:
    """Every problem in every passage ``(where, text)``, in order. ``incident_on`` is the
    incident's date when the partnership's policy blocks it, else None."""
    problems: list[Problem] = []
    for where, text in passages:
        problems.extend(check_passage(where, text, found, pseudonym, incident_on))
    # The pseudonym itself must not be a real name or a date.
    if pseudonym:
        problems.extend(Problem("pseudonym", p.snippet, p.found, p.why)
                        for p in check_passage("pseudonym", pseudonym, found, "",
                                               incident_on))
    return problems
