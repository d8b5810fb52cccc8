"""Small readings of FHIR R4 data types shared by the FHIR mappings (docs/formats/fhir.md).

Every function here takes objects the ``fhir.resources`` R4B models have already validated
(a ``Reference``, a ``CodeableConcept``, a ``Period``...) and returns plain values for a
canonical row: ids, words, ISO dates. Nothing here parses FHIR JSON itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


def when(value: Any) -> str:
    """A FHIR date, dateTime or instant as the text of a canonical date column: ISO 8601
    (a partial date such as ``2024-05`` is passed on as written, for validation to judge)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def day_of(value: Any) -> dt.date | None:
    """The calendar day of a date or dateTime, or None (a partial date has none)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def is_current(period: Any, today: dt.date) -> bool:
    """Is a Period (or no period at all) open today: started by today, not yet ended?"""
    if period is None:
        return True
    start, end = day_of(period.start), day_of(period.end)
    return (start is None or start <= today) and (end is None or end >= today)


def reference_id(reference: Any, full_urls: dict[str, str] | None = None) -> str:
    """The id a Reference points at: ``Patient/abc`` and ``https://x/fhir/Patient/abc``
    give ``abc``; ``urn:uuid:...`` gives the id of the Bundle entry with that fullUrl (or
    the uuid itself). Empty when the reference names nothing."""
    if reference is None:
        return ""
    text = (reference.reference or "").strip()
    if not text:
        identifier = reference.identifier
        return (identifier.value or "").strip() if identifier is not None else ""
    if full_urls and text in full_urls:
        return full_urls[text]
    if text.startswith(("urn:uuid:", "urn:oid:")):
        return text.rsplit(":", 1)[1]
    parts = [p for p in text.split("/_history/")[0].split("/") if p]
    return parts[-1] if parts else ""


def reference_summary(reference: Any) -> dict[str, str]:
    """A Reference as kept in details or extra: what it points at, its identifier, its words."""
    if reference is None:
        return {}
    out = {"reference": reference.reference or "", "display": reference.display or ""}
    if reference.identifier is not None:
        out["identifier"] = reference.identifier.value or ""
        out["identifier_system"] = reference.identifier.system or ""
    return {k: v for k, v in out.items() if v}


def codings(concepts: Iterable[Any] | Any) -> list[Any]:
    """Every Coding of one CodeableConcept or of a list of them."""
    if concepts is None:
        return []
    if not isinstance(concepts, list | tuple):
        concepts = [concepts]
    found: list[Any] = []
    for concept in concepts:
        if concept is not None:
            found.extend(concept.coding or [])
    return found


def codes(concepts: Iterable[Any] | Any) -> set[str]:
    """The codes of one or more CodeableConcepts, in upper case."""
    return {(c.code or "").strip().upper() for c in codings(concepts) if c.code}


def words(concepts: Iterable[Any] | Any) -> str:
    """What a person reads of one or more CodeableConcepts: their texts, else the codings'
    displays, else the codes; joined with ``; ``."""
    if concepts is None:
        return ""
    if not isinstance(concepts, list | tuple):
        concepts = [concepts]
    parts: list[str] = []
    for concept in concepts:
        if concept is None:
            continue
        text = (concept.text or "").strip()
        if text:
            parts.append(text)
            continue
        parts.extend((c.display or c.code or "").strip() for c in concept.coding or [])
    return "; ".join(p for p in dict.fromkeys(parts) if p)


def all_words(concepts: Iterable[Any] | Any) -> str:
    """Texts, displays and codes together, in lower case: what the word rules search."""
    if concepts is None:
        return ""
    if not isinstance(concepts, list | tuple):
        concepts = [concepts]
    parts = [(c.text or "") for c in concepts if c is not None]
    parts += [f"{c.display or ''} {c.code or ''}" for c in codings(concepts)]
    return " ".join(parts).lower()


def coded(concepts: Iterable[Any] | Any) -> list[str]:
    """Codings as ``system|code|display``, for details a person can trace back."""
    return [f"{c.system or ''}|{c.code or ''}|{c.display or ''}" for c in codings(concepts)]


def extension_value(extensions: Iterable[Any] | None, name: str) -> Any:
    """The value of the UK Core extension whose URL ends with ``name``, or None."""
    for extension in extensions or []:
        if (extension.url or "").rstrip("/").endswith(name):
            return _value(extension)
    return None


def sub_extensions(extensions: Iterable[Any] | None, name: str) -> list[dict[str, Any]]:
    """The sub-extensions (url: value) of every extension whose URL ends with ``name``."""
    found = []
    for extension in extensions or []:
        if (extension.url or "").rstrip("/").endswith(name):
            found.append({sub.url: _value(sub) for sub in extension.extension or []})
    return found


def _value(extension: Any) -> Any:
    for field in type(extension).model_fields:
        if field.startswith("value") and not field.endswith("__ext"):
            value = getattr(extension, field)
            if value is not None:
                return value
    return None


def plain(value: Any) -> Any:
    """A value of an extension as JSON-able data: a Coding as its code and display."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "coding"):
        return words(value)
    if hasattr(value, "code") and hasattr(value, "system"):
        return value.display or value.code
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    return str(value)


def unused(raw: dict[str, Any], mapped: set[str]) -> dict[str, Any]:
    """The resource's elements that the mapping did not read, as sent (the model has
    checked them), each under its own name prefixed ``fhir_`` (kept with the record in
    ``extra``). The narrative (``text``) and ``meta`` are left out."""
    skip = mapped | {"resourceType", "id", "text", "meta"}
    return {f"fhir_{name}": value for name, value in raw.items()
            if name not in skip and name.lstrip("_") not in skip}
