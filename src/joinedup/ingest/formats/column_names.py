"""The rule for a column name in an agency's file, the same for every format.

A header cell of a CSV file or a worksheet, and a key of a row object in JSON, is a column
name. joinedup accepts a column name when, after

1. removing a byte order mark and the spaces (any white space) around it,
2. making every run of spaces and hyphens inside it one underscore (``Case Worker`` and
   ``case-worker`` both become ``case_worker``),

it is made only of the letters a to z (either case), the digits 0 to 9 and ``_``, starts
with a letter and is at most 64 characters long; it is then used in lower case. So it
matches :data:`joinedup.sql_names.NAME_PATTERN`, and can never be anything but a plain
name wherever it ends up. Letters outside a to z are refused, including ones that look the
same (a Cyrillic ``а``, a fullwidth ``ａ``, the Kelvin sign): they are not silently made
into a to z.

An empty header cell names no column, as before: its cells are not read. Any other cell
that breaks the rule stops the whole file before a row is read, naming the file, the
column's position (1-based, as a spreadsheet shows it), the rule and the fix.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from joinedup.errors import UnreadableFileError
from joinedup.sql_names import is_sql_name

_SPACES_AND_HYPHENS = re.compile(r"[ -]+")
_SHOWN = 40
"""The most characters of a refused name shown in the message."""

RULE = ("A column name may hold only the letters a to z, the digits 0 to 9 and underscores "
        "(spaces and hyphens count as underscores), must start with a letter and may be at "
        "most 64 characters long.")


def column_name(cell: Any, position: int, where: str, *, what: str = "column") -> str:
    """The column name of one header cell, in lower case; "" for an empty cell.

    ``position`` counts from 1; ``where`` names the file (and sheet or entry);
    ``what`` is "column" for a header cell and "key" for a key of a JSON object."""
    if cell is None:
        return ""
    text = str(cell).lstrip("\ufeff").strip()
    if not text:
        return ""
    name = _SPACES_AND_HYPHENS.sub("_", text)
    if name.isascii() and is_sql_name(name.lower()):
        return name.lower()
    raise UnreadableFileError(
        f"{where}, {_place(what, position)}: the {what} name {_shown(text)} is not "
        f"accepted{_why(name)}. {RULE} {_fix(name, position, what)} and send the file again."
    )


def _place(what: str, position: int) -> str:
    if what == "column":
        return f"column {position} ({_letters(position)}) of the header"
    return f"{what} {position}"


def _letters(position: int) -> str:
    """A spreadsheet's column letters: 1 is A, 27 is AA."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _shown(text: str) -> str:
    cut = text[:_SHOWN]
    return repr(cut) + (f" (and {len(text) - _SHOWN:,} more characters)"
                        if len(text) > _SHOWN else "")


def _why(name: str) -> str:
    if len(name) > 64:
        return f": it is {len(name):,} characters long"
    if not ("a" <= name[0].lower() <= "z"):
        if name[0].isascii():
            return ": it does not start with a letter"
    odd = next((c for c in name if not (c.isascii() and (c.isalnum() or c == "_"))), None)
    if odd is None:
        return ""
    label = unicodedata.name(odd, "")
    described = f"{odd!r} (U+{ord(odd):04X}{', ' + label if label else ''})"
    if odd.isalpha():
        return f": it holds the character {described}, which is not one of the letters a to z"
    return f": it holds the character {described}"


def _fix(name: str, position: int, what: str) -> str:
    """Rename it, with a name to use where one can be made without guessing letters."""
    plain = unicodedata.normalize("NFKC", name)  # a fullwidth letter becomes a to z
    if any(c.isalpha() and not c.isascii() for c in plain):
        return f"Type the {what} name again using only the letters a to z"
    plain = re.sub(r"[^a-z0-9_]+", "_", plain.lower()).strip("_")[:64].rstrip("_")
    if not plain or not plain[0].isalpha():
        plain = f"column_{position}"
    return f"Rename the {what} (for example to {plain!r})"
