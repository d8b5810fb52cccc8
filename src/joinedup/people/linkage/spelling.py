"""How a name is written: the letters compared, and how far apart two spellings are.

:func:`normalise` reduces a name to upper-case ASCII letters and single spaces. A digit
inside a name is a slip, never part of the name: a form read by a scanner or typed in a
hurry gives "Th0mas", "X1n" or "Yu5uf". Such a digit becomes the letter it looks like
(:data:`LOOK_ALIKE`: 0 O, 1 L, 5 S, 8 B ...), so "Th0mas" is one slip from "Thomas" and
not "THMAS", two away. A word of digits only is not a name and is dropped.

:func:`slips` counts the letters changed, dropped, added or swapped between two names.
:func:`pinyin` reads a Chinese name in the older Wade-Giles romanisation ("Hsin", "Chien")
as pinyin ("Xin", "Jian"): one name, written by two systems.
"""

from __future__ import annotations

import unicodedata

# Characters that Unicode does not decompose into a base letter and an accent.
_SPECIAL_LETTERS = str.maketrans({
    "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d",
    "Þ": "TH", "þ": "th", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "SS", "ı": "i",
})

LOOK_ALIKE = str.maketrans("0123456789", "OLZEASGTBG")
"""The letter each digit is mistaken for, on a scanned form or a hurried keyboard."""


def normalise(text: str | None) -> str:
    """Upper-case ASCII letters and single spaces only: accents removed, other marks gone,
    a digit within a word read as the letter it looks like (:data:`LOOK_ALIKE`).

    >>> normalise("  Zoë O'Brien-Łukasz ")
    'ZOE OBRIEN LUKASZ'
    >>> normalise("Th0mas Baby 2")
    'THOMAS BABY'

    Apostrophes join (O'Brien is OBRIEN); hyphens and other separators split words.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    out = []
    for char in text:
        if unicodedata.combining(char) or char in "'’`":
            continue
        upper = char.upper()
        out.append(upper if "A" <= upper <= "Z" or "0" <= upper <= "9" else " ")
    return " ".join(word.translate(LOOK_ALIKE) for word in "".join(out).split()
                    if not word.isdigit())


def slips(a: str, b: str) -> int:
    """Letters changed, dropped, added or swapped between two names (optimal string
    alignment distance): ``slips("KATE", "KAET")`` is 1."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            row.append(cost)
        before, previous = previous, row
    return previous[-1]


def pinyin(name: str) -> str:
    """A normalised given name with the Wade-Giles spellings most often met rewritten as
    pinyin: a first HS as X (Hsin, Xin; Hsu, Xu), a first CHI as JI (Chien, Jian; Ching,
    Jing), and IEN as IAN (Chien, Jian). A name of another language that changes (Vivien)
    only meets its own other spelling (Vivian)."""
    if name.startswith("HS"):
        name = "X" + name[2:]
    elif name.startswith("CHI"):
        name = "J" + name[2:]
    return name.replace("IEN", "IAN")
