"""Text as the de-identification guard reads it, with the way back to the text as written.

An author (or a pasted document) can write the same identifier in characters that look
alike but differ: fullwidth digits ("９９９"), a non-breaking space inside a postcode, a
zero-width space or a soft hyphen inside a name, an accent left off or added ("Zoe",
"Zoë"), a curly apostrophe. :func:`plain_text` reads every one of them as the plain
character it stands for, so one pattern catches them all:

- Unicode compatibility normalisation (NFKC): fullwidth and other compatibility forms
  become their plain letters, digits and punctuation; every kind of space, the
  non-breaking ones included (U+00A0, U+202F, U+2007), becomes a plain space;
- invisible characters are dropped: zero-width spaces and joiners (U+200B..U+200D,
  U+2060, U+FEFF), the soft hyphen (U+00AD), every other formatting character and
  variation selectors;
- accents are dropped ("ë" is read as "e"), and digits of every script are read as 0-9;
- apostrophes that look alike (U+2018, U+2019, U+02BC, U+00B4, U+2032, the backtick) are
  read as "'", every kind of dash (the en dash a word processor puts in "14–06–1995",
  the minus sign) as "-", and the fraction and division slashes as "/".

Every character of the plain text remembers which characters of the original it came
from, so what the guard finds is reported as the author wrote it, where they wrote it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

APOSTROPHES = "\u2018\u2019\u201b\u02bc\u00b4\u2032`"
"""Characters written for an apostrophe: read as "'"."""
SLASHES = "\u2044\u2215"
"""Fraction slash and division slash: read as "/"."""

_DROPPED = frozenset("\u034f\u115f\u1160\u3164\uffa0")
"""Invisible characters that are not formatting characters (grapheme joiner, Hangul
fillers)."""


def _invisible(char: str) -> bool:
    return (unicodedata.category(char) == "Cf" or char in _DROPPED
            or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef")


def _stand_in(char: str) -> str:
    """The plain punctuation a look-alike stands for, or the character itself."""
    if char in APOSTROPHES:
        return "'"
    if char in SLASHES:
        return "/"
    if char == "\u2212" or (char != "-" and unicodedata.category(char) == "Pd"):
        return "-"
    return char


def _plain(cluster: str) -> str:
    """One character with its combining marks, read plainly (NFKC, no accents)."""
    decomposed = unicodedata.normalize("NFKD", cluster)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c) and not _invisible(c))
    return "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
                   for c in unicodedata.normalize("NFKC", bare))


@dataclass(frozen=True)
class PlainText:
    """Text read plainly; ``starts[i]``/``ends[i]`` are where its character ``i`` came from
    in the original."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where the plain text's ``[start, end)`` was written in the original."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def written(self, start: int, end: int) -> str:
        """The original's words for the plain text's ``[start, end)``."""
        first, last = self.original_span(start, end)
        return self.original[first:last]


def plain_text(original: str) -> PlainText:
    """``original`` read plainly (see the module's docstring)."""
    kept = [(i, _stand_in(char)) for i, char in enumerate(original) if not _invisible(char)]
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    while at < len(kept):
        first, cluster = kept[at][0], kept[at][1]
        at += 1
        while at < len(kept) and unicodedata.combining(kept[at][1]):
            cluster += kept[at][1]
            at += 1
        last = kept[at - 1][0] + 1
        for char in _plain(cluster):
            text.append(char)
            starts.append(first)
            ends.append(last)
    return PlainText(original, "".join(text), tuple(starts), tuple(ends))


def plain(text: str) -> str:
    """Just the plain text, for an identifier to look for."""
    return plain_text(text).text
