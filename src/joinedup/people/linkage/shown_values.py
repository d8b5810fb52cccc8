"""A pair's values as its explanation shows them (``model.explain``, the pair page and
``joinedup link explain``): a date of birth or NHS number that could not be read shows as
written, a value filled from the records sharing an NHS number (shared_number.py) says so,
and two family names that differ show the surnames both records know."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from joinedup.people.linkage import shared_number
from joinedup.people.linkage.comparisons import FIELD_NAMES

_SHOWN = {"nhs_number": "nhs", "given_name": "given_name", "family_name": "family_name",
          "date_of_birth": "dob", "postcode": "postcode_std", "sex": "sex",
          "address": "address"}
_FILLED = {"given_name": (shared_number.GIVEN_NAME, "given_std"),
           "date_of_birth": (shared_number.DATE_OF_BIRTH, "dob")}
_WHOSE = {(True, False): "the first record's", (False, True): "the second record's",
          (True, True): "both records'"}


def _was_filled(record: dict[str, Any], name: str) -> bool:
    return name in _FILLED and _FILLED[name][0] in (record.get("filled") or [])


def _shown(record: dict[str, Any], name: str) -> str:
    if _was_filled(record, name):
        value = record[_FILLED[name][1]]
        return str(value).title() if name == "given_name" else str(value)
    return _as_recorded(record, _SHOWN[name])


def shown_values(name: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    """Two prepared records' values for the comparison ``name`` ("Kayden / Kaiden")."""
    va, vb = _shown(a, name), _shown(b, name)
    if name == "address" and a["uprn"] and b["uprn"]:
        va, vb = f"{va} UPRN {a['uprn']}".strip(), f"{vb} UPRN {b['uprn']}".strip()
    text = va if va == vb else f"{va} / {vb}"
    whose = _WHOSE.get((_was_filled(a, name), _was_filled(b, name)))
    if whose:
        text += f"; {whose} {FIELD_NAMES[name]} is from other records with its NHS number"
    if name == "family_name" and va != vb:
        shared = sorted(set(a["surnames"] or []) & set(b["surnames"] or []))
        if shared:
            text += f"; both records know {', '.join(s.title() for s in shared)}"
    return text


def _as_recorded(record: Mapping[str, Any], column: str) -> str:
    """A prepared record's value as a pair's explanation shows it: a date of birth or NHS
    number that could not be read shows as written ("199907150 as written")."""
    value = record.get(column)
    written = {"dob": "date_of_birth_text", "nhs": "nhs_number_text"}.get(column)
    if value or not written:
        return str(value or "")
    text = record.get(written) or record.get(f"{column}_text")
    return f"{text} as written" if text else ""
