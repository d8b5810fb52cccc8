"""Reading the review and briefing forms: plain values out, errors in plain English.

Each form page keeps a :class:`FormErrors`: the message for each field (shown under the
field) and, in the same order, the list for the GOV.UK error summary at the top of the page.
Dates are GOV.UK date inputs: three boxes named ``NAME-day``, ``NAME-month``, ``NAME-year``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from markupsafe import Markup, escape


@dataclass
class FormErrors:
    """What is wrong with a submitted form: field name to message, in the order found."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)
    """Further summary lines, each linking to a field (e.g. one per passage the guard found)."""
    inline: dict[str, list[str]] = field(default_factory=dict)
    """Messages shown under a field but listed in the summary as ``items``."""

    def add(self, name: str, message: str, *, href: str | None = None) -> None:
        """``href``: the element the summary links to (default the field's id, ``name``)."""
        if name not in self.fields:
            self.fields[name] = message
            self.anchors[name] = href or name

    def add_general(self, message: str) -> None:
        """An error that is not about one field (e.g. the backend refused the change)."""
        self.general.append(message)

    def add_item(self, href: str, text: str) -> None:
        """One more line in the summary, linking to field ``href``, and under that field."""
        self.items.append({"text": text, "href": f"#{href}"})
        self.inline.setdefault(href, []).append(text)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general or self.items)

    def summary(self) -> list[dict[str, str]]:
        """The error summary's list: each field's message linking to the field."""
        items = [{"text": text, "href": f"#{self.anchors[name]}"} for name, text in
                 self.fields.items()]
        return [{"text": text} for text in self.general] + items + self.items

    def message(self, name: str) -> dict[str, Any] | None:
        """The field's errorMessage for a GOV.UK macro, or None."""
        text = self.fields.get(name)
        if text:
            return {"text": text}
        lines = self.inline.get(name)
        if lines:
            return {"html": Markup("<br>").join(escape(line) for line in lines)}
        return None


def text(data: QueryDict, name: str, label: str, errors: FormErrors, *,
         required: bool = True, max_length: int | None = None) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        errors.add(name, f"Enter {label}")
    elif max_length and len(value) > max_length:
        errors.add(name, f"{label[0].upper()}{label[1:]} must be {max_length} characters "
                         "or fewer")
    return value


def whole_number(data: QueryDict, name: str, label: str, errors: FormErrors, *,
                 minimum: int = 1) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        errors.add(name, f"Enter {label}")
        return None
    try:
        number = int(raw)
    except ValueError:
        errors.add(name, f"{label[0].upper()}{label[1:]} must be a whole number, like 8")
        return None
    if number < minimum:
        errors.add(name, f"{label[0].upper()}{label[1:]} must be {minimum} or more")
        return None
    return number


def choice(data: QueryDict, name: str, label: str, choices: set[str], errors: FormErrors, *,
           required: bool = True) -> str:
    value = (data.get(name) or "").strip()
    if not value:
        if required:
            errors.add(name, f"Select {label}")
        return ""
    if value not in choices:
        errors.add(name, f"Select {label} from the list")  # noqa: S608 - a message, not SQL
        return ""
    return value


def date(data: QueryDict, name: str, label: str, errors: FormErrors, *,
         required: bool = True, not_future: bool = False) -> dt.date | None:
    """A GOV.UK date input (``NAME-day``, ``NAME-month``, ``NAME-year``) as a date."""
    parts = [(data.get(f"{name}-{p}") or "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            errors.add(name, f"Enter {label}", href=f"{name}-day")
        return None
    missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
    if missing:
        errors.add(name, f"{label[0].upper()}{label[1:]} must include a "
                         f"{' and '.join(missing)}", href=f"{name}-{missing[0]}")
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise ValueError
        value = dt.date(year, month, day)
    except ValueError:
        errors.add(name, f"{label[0].upper()}{label[1:]} must be a real date, like "
                         "27 3 2025", href=f"{name}-day")
        return None
    if not_future and value > timezone.localdate():
        errors.add(name, f"{label[0].upper()}{label[1:]} must be today or in the past",
                   href=f"{name}-day")
        return None
    return value


def date_values(data: QueryDict | None, name: str, default: dt.date | None = None
                ) -> dict[str, Any]:
    """What to show in a date input's boxes: as typed, or the default date."""
    if data is not None and any(data.get(f"{name}-{p}") for p in ("day", "month", "year")):
        return {p: data.get(f"{name}-{p}", "") for p in ("day", "month", "year")}
    if default is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(default.day), "month": str(default.month), "year": str(default.year)}
