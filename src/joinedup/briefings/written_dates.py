"""Dates as people write them, for the de-identification guard.

:func:`date_mentions` finds every date in a (plain, see :mod:`plain_text`) text in any
common written or clinical form, and says every full date the words could mean:

- numbers: ``2024-03-03``, ``03/03/2024``, ``3/3/24``, ``03-03-24``, ``3.3.2024``,
  ``03 03 2024``, ``3\\3\\2024``, and written without separators: ``03032024``,
  ``20240303``, ``030324``. They are read day-first and month-first (and ``030324`` also
  year-first), two-digit years in both centuries, so a date written the American way is
  caught too;
- with the month in words or abbreviated, with spaces, any separator or none, in any case:
  ``3 March 2024``, ``3rd of March, 2024``, ``03-Mar-2024``, ``03Mar2024``, ``03MAR24``,
  ``03.Mar.24``, ``03/Mar/2024``, ``3 Mar '24``, ``March 3rd 2024``, ``Mar 3, 2024``,
  ``Mar-03-2024``, ``2024-Mar-03``, ``2024 March 3``;
- the day and month without the year: ``3rd March``, ``3 Mar``, ``03-Mar``, ``March 3``.

A month and year alone ("March 2024"), a year, or an age is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"(?:[ \t]*[-/.\\_][ \t]*|\s+)"
"""Between the day and the month of a date written with the month in words: one of these
(with spaces around it or not), or spaces (a line break included)."""
_YEAR_SEP = r"(?:[ \t]*[-/.\\_][ \t]*|[ \t]*,?\s+|,)"
"""Before its year: the same, or a comma."""
_NUMBER_SEP = r"(?:[ \t]*[-/.\\_][ \t]*|[ \t]+)"
"""Between the numbers of a numeric date."""
_YEAR = r"'?(\d{4}|\d{2})(?!\d)"

_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(rf"(?<!\d)(\d{{4}}){_NUMBER_SEP}(\d{{1,2}}){_NUMBER_SEP}(\d{{1,2}})"
                       r"(?!\d)")),
    ("numeric", re.compile(rf"(?<![\d/.-])(\d{{1,2}}){_NUMBER_SEP}(\d{{1,2}}){_NUMBER_SEP}"
                           r"(\d{4}|\d{2})(?![\d/-])")),
    ("compact", re.compile(r"(?<!\d)(\d{8}|\d{6})(?!\d)")),
    ("year_month_day", re.compile(
        rf"(?<!\d)(\d{{4}}){_SEP}?({_MONTH})\.?(?![a-z]){_SEP}?(\d{{1,2}}){_ORD}(?![a-z\d])",
        re.IGNORECASE)),
    ("day_month", re.compile(
        rf"(?<!\d)(\d{{1,2}}){_ORD}(?:\s+of)?{_SEP}?({_MONTH})\.?(?![a-z])"
        rf"(?:{_YEAR_SEP}?{_YEAR})?", re.IGNORECASE)),
    ("month_day", re.compile(
        rf"(?<![a-z])({_MONTH})\.?{_SEP}?(\d{{1,2}}){_ORD}(?![a-z\d])"
        rf"(?:{_YEAR_SEP}{_YEAR})?", re.IGNORECASE)),
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    dates: frozenset[dt.date]
    """Every full date the words could mean (day-first and month-first, both centuries)."""
    days: frozenset[tuple[int, int]]
    """(month, day) pairs, for a day and month written without a year."""


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _years(text: str) -> list[int]:
    year = int(text)
    return [year] if len(text) == 4 else [1900 + year, 2000 + year]


def _readings(kind: str, match: re.Match[str]) -> list[tuple[list[int], int, int]]:
    """(possible years, month, day) for each way the words can be read; no years for a day
    and month written alone."""
    if kind == "ymd":
        return [([int(match[1])], int(match[2]), int(match[3]))]
    if kind == "numeric":
        a, b = int(match[1]), int(match[2])
        return [(_years(match[3]), b, a), (_years(match[3]), a, b)]
    if kind == "compact":
        digits = match[1]
        if len(digits) == 8:
            return [([int(digits[:4])], int(digits[4:6]), int(digits[6:])),
                    ([int(digits[4:])], int(digits[2:4]), int(digits[:2])),
                    ([int(digits[4:])], int(digits[:2]), int(digits[2:4]))]
        return [(_years(digits[4:]), int(digits[2:4]), int(digits[:2])),
                (_years(digits[4:]), int(digits[:2]), int(digits[2:4])),
                (_years(digits[:2]), int(digits[2:4]), int(digits[4:]))]
    if kind == "year_month_day":
        return [([int(match[1])], MONTHS[match[2].lower()], int(match[3]))]
    day_text, month_text = (match[1], match[2]) if kind == "day_month" \
        else (match[2], match[1])
    return [(_years(match[3]) if match[3] else [], MONTHS[month_text.lower()],
             int(day_text))]


def date_mentions(text: str) -> Iterator[DateMention]:
    """Every date written in ``text``, in any of the forms the guard knows."""
    seen: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s <= span[0] and span[1] <= e for s, e in seen):
                continue
            dates: set[dt.date] = set()
            days: set[tuple[int, int]] = set()
            for years, month, day in _readings(kind, match):
                if years:
                    dates.update(found for year in years
                                 if (found := _day(year, month, day)) is not None)
                elif _day(2000, month, day):  # 2000 was a leap year: 29 February is a day
                    days.add((month, day))
            if dates or days:
                written = match[0].rstrip(".")  # "3rd November." ends a sentence
                span = (span[0], span[0] + len(written))
                seen.append(span)
                yield DateMention(span[0], span[1], written, frozenset(dates),
                                  frozenset(days))


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def written_forms(day: dt.date) -> list[str]:
    """The ways people write a date: each is caught by the guard (used by the tests and
    the documentation)."""
    d, m, y, yy = day.day, day.month, day.year, day.year % 100
    month, short = MONTH_NAMES[m - 1], MONTH_NAMES[m - 1][:3]
    return [
        day.isoformat(), f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{yy:02d}",
        f"{d:02d}/{m:02d}/{yy:02d}", f"{d}/{m}/{y}", f"{d:02d}-{m:02d}-{y}",
        f"{d:02d}.{m:02d}.{y}", f"{d} {month} {y}", f"{_ordinal(d)} {month} {y}",
        f"{_ordinal(d)} of {month}, {y}", f"{month} {_ordinal(d)} {y}", f"{month} {d}, {y}",
        f"{d} {short} {y}", f"{short} {d}, {y}", f"{d} {short} '{yy:02d}",
        f"{_ordinal(d)} {month}", f"{d} {short}",
        # clinical systems' forms, with any separator or none
        f"{d:02d}-{short}-{y}", f"{d:02d}{short}{y}", f"{d:02d}{short.upper()}{yy:02d}",
        f"{d:02d}-{month}-{y}", f"{d:02d}.{short}.{yy:02d}", f"{short}-{d:02d}-{y}",
        f"{d:02d}/{short}/{y}", f"{d:02d} {short.upper()} {y}", f"{y}-{short}-{d:02d}",
        f"{y} {month} {d}", f"{d:02d} {m:02d} {y}", f"{d:02d}{m:02d}{y}", f"{y}{m:02d}{d:02d}",
        f"{d:02d}{m:02d}{yy:02d}", f"{d:02d}-{short}",
    ]


def say_date(day: dt.date) -> str:
    return f"{_ordinal(day.day)} {MONTH_NAMES[day.month - 1]} {day.year}"
