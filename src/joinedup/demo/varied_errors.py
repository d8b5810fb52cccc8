"""The errors of the varied population: how a clerk, a scanner or a form changes a value.

Each function takes the random source and the true value and returns the value as
recorded (the same value where the error cannot apply). The kinds, with their names in
``ground_truth.csv``'s ``errors`` column, are documented in docs/population-generator.md
("The second generator").
"""

from __future__ import annotations

import unicodedata
from datetime import date
from random import Random

from joinedup.demo import varied_names

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYS = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}
KEYBOARD_NEIGHBOURS = {
    ch: "".join(other for other, (r2, c2) in _KEYS.items()
                if other != ch and abs(r2 - r) <= 1 and abs(c2 - c) <= 1)
    for ch, (r, c) in _KEYS.items()
}
"""Keys next to each letter on a UK QWERTY keyboard."""

OCR_CONFUSIONS = (("rn", "m"), ("m", "rn"), ("O", "0"), ("o", "0"), ("l", "1"), ("I", "l"),
                  ("i", "1"), ("S", "5"), ("s", "5"), ("cl", "d"), ("d", "cl"), ("vv", "w"),
                  ("w", "vv"), ("B", "8"), ("e", "c"), ("h", "b"))
"""What a scanned form's text recognition misreads, each one way."""

SOUND_RULES = (("ph", "f"), ("ck", "k"), ("ch", "tch"), ("ee", "ea"), ("ie", "y"),
               ("y", "ie"), ("ou", "ow"), ("th", "t"), ("ll", "l"), ("tt", "t"), ("nn", "n"),
               ("ss", "s"), ("c", "k"), ("k", "c"), ("z", "s"), ("ah", "a"), ("a", "ah"),
               ("i", "ee"), ("oo", "u"), ("u", "oo"), ("v", "w"), ("w", "v"))
"""Spelling as heard, for names without a listed sound-alike: Philips, Filips."""

_NOT_DECOMPOSED = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d"})


def keyboard(rng: Random, name: str) -> str:
    """One letter (never the first) replaced by a key next to it: Stephen, Stepgen."""
    spots = [i for i in range(1, len(name)) if name[i].lower() in KEYBOARD_NEIGHBOURS]
    if not spots:
        return name
    i = rng.choice(spots)
    new = rng.choice(KEYBOARD_NEIGHBOURS[name[i].lower()])
    return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1:]


def phonetic(rng: Random, name: str) -> str:
    """A spelling that sounds the same: Stephen, Steven; else a sound rule (ph to f)."""
    if name in varied_names.SOUNDS_LIKE:
        return rng.choice(varied_names.SOUNDS_LIKE[name])
    rules = [(old, new) for old, new in SOUND_RULES if old in name[1:].lower()]
    if not rules:
        return name
    old, new = rng.choice(rules)
    lower = name.lower()
    at = lower.index(old, 1)
    return name[:at] + new + name[at + len(old):]


def ocr(rng: Random, text: str) -> str:
    """A misreading by text recognition of a scanned form: Marsden, Marsdcn; Liam, Liarn."""
    found = [(old, new) for old, new in OCR_CONFUSIONS if old in text]
    if not found:
        return text
    old, new = rng.choice(found)
    spots = [i for i in range(len(text)) if text.startswith(old, i)]
    i = rng.choice(spots)
    return text[:i] + new + text[i + len(old):]


def without_diacritics(text: str) -> str:
    """Zoë, Zoe; José, Jose; Łukasz, Lukasz; Wiśniewska, Wisniewska."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_diacritics(text: str) -> bool:
    return without_diacritics(text) != text


def transliterated(rng: Random, name: str) -> str:
    """Another romanisation of the same name: Mohammed, Muhammad; Zhang, Chang."""
    other = varied_names.TRANSLITERATED.get(name)
    return rng.choice(other) if other else name


def nickname(rng: Random, name: str) -> str:
    """A short or adopted name: William, Bill; Katarzyna, Kasia; Wei, David."""
    other = varied_names.NICKNAMED.get(name)
    return rng.choice(other) if other else name


def compound(rng: Random, surname: str) -> tuple[str, str]:
    """A double-barrelled or apostrophised name as recorded, and how (the error's name).

    Whole (55%), first half (15%), second half (15%), the parts with a space (10%) or run
    together (5%): Ashworth-Clarke, Ashworth, Clarke, Ashworth Clarke, AshworthClarke.
    """
    for mark in ("-", "'", " "):
        if mark in surname:
            first, second = surname.split(mark, 1)
            break
    else:
        return surname, ""
    r = rng.random()
    if r < 0.55:
        return surname, ""
    if r < 0.70 and mark == "-":
        return first, "compound_half"
    if r < 0.85 and mark == "-":
        return second, "compound_half"
    if r < 0.95:
        return f"{first} {second}" if mark != " " else first + second, "compound_joined"
    return first + second, "compound_joined"


def day_month_swapped(day: date) -> date | None:
    """The same date with day and month exchanged, where that is another real date."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


def digit_slip(rng: Random, day: date, last: date) -> date | None:
    """One digit of the ISO date typed wrong, where the result is a real date not after
    ``last``: 1999-07-15 as 1999-07-16 or 1989-07-15."""
    text = day.isoformat()
    spots = [i for i, ch in enumerate(text) if ch.isdigit() and i not in (0, 1)]
    for _ in range(10):
        i = rng.choice(spots)
        new = text[:i] + rng.choice("0123456789".replace(text[i], "")) + text[i + 1:]
        try:
            slipped = date.fromisoformat(new)
        except ValueError:
            continue
        if slipped <= last:
            return slipped
    return None


def unparseable(rng: Random, day: date) -> str:
    """The date written so that no date reader takes it, kept as written: an extra digit
    (``199907150``, ``1999-07-150``), or one digit typed twice (``199907715``)."""
    compact = day.strftime("%Y%m%d")
    r = rng.random()
    if r < 0.4:
        return compact + rng.choice("0123456789")
    if r < 0.7:
        return day.isoformat() + rng.choice("0123456789")
    i = rng.randint(1, len(compact) - 1)
    return compact[:i] + compact[i] + compact[i:]
