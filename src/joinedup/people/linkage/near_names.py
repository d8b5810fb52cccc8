"""Given names one slip from a known form: the root a name would have without the slip.

Records of one child may carry a nickname on one and a slip on the other ("Tommy" and
"Th0mas", "Becky" and "Bfcky"): neither the nickname table (``nicknames.py``) nor the slip
alone says they are one name, but the two together do. :func:`near_root` is for telling
whether two records may be of two children (``given_names.given_names_differ``), not for
scoring a pair: a name one slip from a known form may be a different name in its own right
(Jade and Jane).
"""

from __future__ import annotations

from joinedup.people.linkage.nicknames import ROOTS
from joinedup.people.linkage.spelling import slips

NEAR_LENGTH = 4
"""A name of at least this many letters that is not in the table takes the root of a form
one slip away (:func:`near_root`); a shorter one is too near too many others."""


def near_root(std: str | None) -> str | None:
    """The root of a given name already normalised, allowing one slip: a name not in the
    table but one letter changed, dropped, added or swapped from forms of one root takes
    that root ("BFCKY" is one slip from "BECKY": "REBECCA"). Otherwise the name's own
    root."""
    if not std:
        return std
    if std in ROOTS or len(std) < NEAR_LENGTH:
        return ROOTS.get(std, std)
    roots = {ROOTS[form] for key in _deletions(std) for form in _NEAR.get(key, ())
             if slips(std, form) <= 1}
    return roots.pop() if len(roots) == 1 else std


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _near_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in ROOTS:
        for key in _deletions(form):
            index.setdefault(key, []).append(form)
    return index


_NEAR = _near_index()
