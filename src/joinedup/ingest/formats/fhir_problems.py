"""Why the FHIR R4 model refused a resource, in words a data steward can act on: the element
(``name[0].period.start``), what is wrong with it, and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

MOST_REPORTED = 10
"""The most problems reported for one resource (a badly broken one has hundreds)."""


@dataclass(frozen=True)
class Refusal:
    element: str
    message: str
    fix: str
    value: Any = None


def describe_refusal(exc: ValidationError, kind: str) -> list[Refusal]:
    """One Refusal per element the model refused (at most MOST_REPORTED, the first kept)."""
    found: list[Refusal] = []
    seen: set[str] = set()
    for problem in exc.errors(include_url=False):
        element = element_path(problem.get("loc", ()))
        if element in seen:
            continue
        seen.add(element)
        found.append(Refusal(element, _message(problem, element),
                             _fix(problem, element, kind), _shown(problem.get("input"))))
        if len(found) == MOST_REPORTED:
            break
    return found or [Refusal("resource", "the model refused it",
                             f"Check the {kind} against FHIR R4 and send it again.")]


def element_path(loc: tuple[Any, ...]) -> str:
    """('name', 0, 'period', 'start') as ``name[0].period.start``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            text = str(part)
            if text.startswith(("function-", "function ")) or "[" in text:
                continue  # pydantic's names for its own validators, not elements
            path += f".{text}" if path else text
    return path or "resource"


def _message(problem: ErrorDetails, element: str) -> str:
    kind = problem.get("type", "")
    if kind == "missing":
        return f"{element} is missing"
    if kind == "extra_forbidden":
        return f"{element} is not an element FHIR R4 has here"
    text = str(problem.get("msg", "")).removeprefix("Value error, ").strip()
    text = " ".join(text.split())
    if "value string does not match spec regex" in text:  # fhir_core's words for a bad value
        what = text.split(" value string", 1)[0].lower()
        return f"{element} is not a valid FHIR {what}"
    return f"{element}: {text.rstrip('.')}"[:300]


def _fix(problem: ErrorDetails, element: str, kind: str) -> str:
    error_type = problem.get("type", "")
    text = str(problem.get("msg", "")).lower()
    if error_type == "missing":
        return f"Add {element}: FHIR R4 requires it in a {kind}, then send it again."
    if error_type == "extra_forbidden":
        return (f"Correct the spelling of {element} (element names are case-sensitive) or "
                "remove it, then send it again.")
    if "date" in text or "time" in text:
        return ("Write a date as YYYY-MM-DD (or YYYY-MM or YYYY) and a date-time as "
                "2025-01-31T10:30:00+00:00, then send it again.")
    if error_type.endswith("_type") or "valid" in text:
        return (f"Give {element} the type FHIR R4 defines for it (a list where it repeats, "
                "an object for a data type, text for a code), then send it again.")
    return f"Correct {element} as FHIR R4 defines it for a {kind}, then send it again."


def _shown(value: Any) -> Any:
    if isinstance(value, dict | list):
        return None  # a whole object is not a value a steward can read in a message
    return value
