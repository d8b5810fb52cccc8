"""Address lines made comparable: the house, the flat in it and the street.

Agencies write one home many ways: "Flat 2, 14 Elm St", "2/14 ELM ST", "2, 14 Elm Street"
and "14 ELM STREET FLAT 2" (a number before a slash or comma is the flat, as in "Flat 2,
14"); "12a Beech Ave" at the school is "Flat A, 12 Beech Avenue" at the GP.
:func:`parse_address` reads an address line into

    house_number   the number on the door ("14", "12-14"); for a house with a name and no
                   number, the name ("ROSE COTTAGE")
    flat           the flat, apartment or unit in it ("2", "A", "GROUND FLOOR"); the
                   letter after a house number counts as the flat ("12a" is 12, flat A)
    street_std     the street, upper case, punctuation gone and its kind written out in
                   full ("St Mary's Rd" is "SAINT MARYS ROAD")

Anything after the street (locality, town, county, a postcode written in the line) is
left out: the postcode is compared on its own, and towns are written too many ways to
help. "No fixed abode" and the like give no address at all. Each part is None when the
line does not hold it, so a missing part is never evidence of a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from joinedup.people.linkage.nicknames import normalise

STREET_KINDS = {
    "ROAD": ("RD",), "STREET": ("STR",), "AVENUE": ("AVE", "AV", "AVEN"),
    "LANE": ("LN",), "CLOSE": ("CL",), "DRIVE": ("DR", "DRV"),
    "CRESCENT": ("CRES", "CRESC", "CRS"), "GARDENS": ("GDNS", "GDN", "GARDEN"),
    "SQUARE": ("SQ",), "PLACE": ("PL",), "COURT": ("CT", "CRT"), "GROVE": ("GR", "GRV"),
    "TERRACE": ("TER", "TERR", "TCE"), "PARADE": ("PDE",), "WAY": ("WY",),
    "HILL": ("HL",), "PARK": ("PK",), "WALK": ("WLK",), "ROW": ("RW",), "GREEN": ("GRN",),
    "MEWS": (), "RISE": (), "VIEW": ("VW",), "BOULEVARD": ("BLVD",),
    "ESPLANADE": ("ESP",), "BROW": (), "FOLD": (), "CHASE": (), "GATE": (),
    "YARD": ("YD",), "VALE": (), "WHARF": (), "BANK": (), "LEA": (), "END": (),
}
"""The kinds of street, each with the short forms agencies write for it. "ST" is read as
STREET at the end of a street and as SAINT before a name ("St Mary's Road")."""

OTHER_WORDS = {"NORTH": ("NTH",), "SOUTH": ("STH",), "UPPER": ("UPR",), "LOWER": ("LWR",),
               "GREAT": ("GT",), "LITTLE": ("LT", "LTL"), "MOUNT": ("MT",), "OLD": ()}
"""Other words of street names that have short forms."""

_EXPAND = {short: word for table in (STREET_KINDS, OTHER_WORDS)
           for word, shorts in table.items() for short in shorts}
_KINDS = frozenset(STREET_KINDS)
_KIND_SHORTS = frozenset(short for shorts in STREET_KINDS.values() for short in shorts)

NO_ADDRESS = frozenset({"NFA", "NO FIXED ABODE", "NO FIXED ADDRESS", "NOT KNOWN", "UNKNOWN",
                        "NK", "NONE", "HOMELESS", "WITHHELD", "ADDRESS WITHHELD", "NA"})
"""Address lines that say there is no address to compare (the whole line, normalised)."""

_FLAT_WORDS = r"(?:FLAT|FLT|APARTMENT|APPT|APT|UNIT|ROOM|RM|MAISONETTE|STUDIO)"
_FLAT_ID = r"(\d+[A-Z]?|[A-Z]\d*)"
_FLAT = re.compile(rf"\b{_FLAT_WORDS}\s+(?:NO\s+)?{_FLAT_ID}\b")
_FLOOR_FLAT = re.compile(
    r"\b(GROUND|BASEMENT|LOWER GROUND|FIRST|SECOND|THIRD|TOP|1ST|2ND|3RD)\s+(?:FLOOR\s+)?"
    rf"{_FLAT_WORDS}\b")
_FLOORS = {"1ST": "FIRST", "2ND": "SECOND", "3RD": "THIRD", "LOWER GROUND": "BASEMENT"}
_NUMBER = re.compile(r"^(\d+)([A-Z]?)(?:\s*-\s*(\d+)[A-Z]?)?\b\s*")
_SLASH_NUMBER = re.compile(r"^(\d+[A-Z]?|[A-Z])/(\d+)\b\s*")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


@dataclass(frozen=True)
class Address:
    """The comparable parts of an address line (see the module docstring)."""

    house_number: str | None = None
    flat: str | None = None
    street_std: str | None = None


NOWHERE = Address()


_NOT_KEPT = re.compile(r"[^A-Z0-9,/\- ]")
_SEPARATOR = re.compile(r"\s*([,/-])\s*")
_LETTERS = re.compile(r"([^\W\d_]+)")


def _clean(part: str) -> str:
    """Upper case, accents and punctuation gone; digits, commas, "-" and "/" kept."""
    if "'" in part or "’" in part:
        part = part.replace("'", "").replace("’", "")
    if part.isascii():
        text = part.upper()
    else:
        text = "".join(normalise(piece) if piece.isalpha() else piece.upper()
                       for piece in _LETTERS.split(part))
    text = _SEPARATOR.sub(r"\1", _NOT_KEPT.sub(" ", text))
    return " ".join(text.replace(",", ", ").split()).strip(" ,")


def street_std(text: str | None) -> str | None:
    """A street name in one form: "St. Mary's Rd" -> "SAINT MARYS ROAD"; None if empty.

    Short forms are written out; words after the street's kind (a town written without a
    comma: "Elm St Stockport") are left out.
    """
    return _street(_clean(text or ""))


def _street(cleaned: str) -> str | None:
    """:func:`street_std` of text already through :func:`_clean`."""
    words = cleaned.replace("-", " ").replace("/", " ").replace(",", " ").split()
    words = [w for w in words if not w.isdigit()]
    out = []
    for index, word in enumerate(words):
        if word == "ST":
            out.append("STREET" if index > 0 else "SAINT")
        elif word in _KIND_SHORTS:
            out.append(_EXPAND[word] if index > 0 else word)
        else:
            out.append(_EXPAND.get(word, word))
    kinds = [index for index, word in enumerate(out) if index > 0 and word in _KINDS]
    if kinds:
        out = out[:kinds[-1] + 1]
    return " ".join(out) or None


def _take_flat(text: str) -> tuple[str | None, str]:
    """The flat named in the text, and the text without it."""
    found = _FLOOR_FLAT.search(text)
    if found:
        floor = found.group(1)
        return _FLOORS.get(floor, floor) + " FLOOR", (text[:found.start()] + text[found.end():])
    found = _FLAT.search(text)
    if found:
        return found.group(1), (text[:found.start()] + text[found.end():])
    return None, text


def _is_street(part: str) -> bool:
    words = _street(part)
    return words is not None and any(w in _KINDS for w in words.split()[1:])


def _numbered(parts: list[str]) -> tuple[str, str | None, str | None] | None:
    """(house number, the flat of "12a" or "2/14", the street) from the first part that
    starts with a number; None if none does."""
    for index, part in enumerate(parts):
        after = parts[index + 1] if index + 1 < len(parts) else ""
        slash = _SLASH_NUMBER.match(part)
        if slash:  # "2/14 Elm Street": flat 2 of number 14, as "Flat 2, 14 Elm Street"
            return slash.group(2), slash.group(1), _street(part[slash.end():] or after)
        number = _NUMBER.match(part)
        if number:
            house = number.group(1) + (f"-{number.group(3)}" if number.group(3) else "")
            # "12, Acacia Road": the street is the next part
            return house, number.group(2) or None, _street(part[number.end():] or after)
    return None


def _house_and_street(parts: list[str]) -> tuple[str | None, str | None, str | None]:
    """(house number or name, the flat letter of "12a", the street) from the line's parts."""
    numbered = _numbered(parts)
    if numbered:
        return numbered
    for index, part in enumerate(parts):
        if _is_street(part):  # "Rose Cottage, Mill Lane": a house known by its name
            return (parts[index - 1] if index else None), None, _street(part)
    return (parts[0] if parts else None), None, None


def parse_address(line: str | None) -> Address:
    """The house number (or name), flat and street of an address line (module docstring)."""
    text = _POSTCODE.sub(" ", _clean(line or ""))
    words = " ".join(text.replace(",", " ").replace("/", "").split())
    if not words or words in NO_ADDRESS:
        return NOWHERE
    flat, text = _take_flat(text)
    parts = [" ".join(p.split()) for p in text.split(",")]
    parts = [p for p in parts if p]
    if flat is None and len(parts) > 1 and parts[0].isdigit() and _NUMBER.match(parts[1]):
        flat, parts = parts[0], parts[1:]  # "2, 14 Elm Street": flat 2 of number 14
    house, letter, street = _house_and_street(parts)
    if letter and flat is None:
        flat = letter
    elif letter and house:
        house += letter
    return Address(house_number=house, flat=flat, street_std=street)


def uprn(value: Any) -> str | None:
    """A Unique Property Reference Number as digits without leading zeros; None unless it
    is a whole number of 1 to 12 digits (a spreadsheet's "100023336956.0" counts)."""
    text = str(value).strip() if value is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not text.isascii() or len(text) > 12 or int(text) == 0:
        return None
    return str(int(text))
