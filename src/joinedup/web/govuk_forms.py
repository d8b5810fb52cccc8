"""Django forms as GOV.UK pages draw them.

Every form of the web application is a :class:`django.forms.Form`: its fields and
``clean_*`` methods say what is wrong in plain English. The pages draw the fields with the
GOV.UK Frontend macros, not with Django's widgets, so two pieces sit between them:

- :class:`ErrorSummary` turns a bound form's errors into what the GOV.UK error summary
  (``summary()``: each message linking to its field) and each field's ``errorMessage``
  (``message(name)``) take; problems found outside the form (the backend refused the
  change, the user's account has no agency) are added to it with ``add`` and
  ``add_general``;
- :class:`DateField` reads a GOV.UK date input, three boxes named ``NAME-day``,
  ``NAME-month`` and ``NAME-year``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from markupsafe import Markup, escape

PARTS = ("day", "month", "year")


class DateBoxes(forms.Widget):
    """The three boxes of a GOV.UK date input; its value is [day, month, year] as typed."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [(data.get(f"{name}-{part}") or "").strip() for part in PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in PARTS)


def _capital(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}" if text else text


class DateField(forms.Field):
    """A date typed into a GOV.UK date input, checked with messages naming ``what`` ("the
    date the meeting was held"). The summary links to the day box, or with
    ``name_missing_parts`` to the first box left empty ("... must include a month")."""

    widget = DateBoxes

    def __init__(self, what: str, *, required: bool = True, not_future: bool = False,
                 example: str = "like 27 3 2025", name_missing_parts: bool = True,
                 four_digit_year: bool = True, **kwargs: Any) -> None:
        super().__init__(required=required, **kwargs)
        self.what = what
        self.not_future = not_future
        self.example = example
        self.name_missing_parts = name_missing_parts
        self.four_digit_year = four_digit_year

    def clean(self, value: Any) -> dt.date | None:
        day, month, year = value if isinstance(value, list | tuple) else ("", "", "")
        what = _capital(self.what)
        if not (day or month or year):
            if self.required:
                raise forms.ValidationError(f"Enter {self.what}", code="required")
            return None
        missing = [p for p, v in zip(PARTS, (day, month, year), strict=True) if not v]
        if missing:
            words = " and ".join(missing) if self.name_missing_parts else "day, month and year"
            raise forms.ValidationError(f"{what} must include a {words}", code="incomplete")
        try:
            if self.four_digit_year and int(year) < 1000:
                raise ValueError(year)
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{what} must be a real date, {self.example}",
                                        code="invalid") from None
        if self.not_future and value > timezone.localdate():
            raise forms.ValidationError(f"{what} must be today or in the past", code="future")
        return value

    def anchor(self, typed: Any, name: str) -> str:
        """The box the error summary links to."""
        if self.name_missing_parts and isinstance(typed, list | tuple) and any(typed):
            for part, value in zip(PARTS, typed, strict=True):
                if not value:
                    return f"{name}-{part}"
        return f"{name}-day"


def date_parts(day: dt.date | None) -> dict[str, str]:
    """What a date input's boxes show for ``day`` (empty boxes for no date)."""
    if day is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def typed_parts(data: Any, name: str) -> dict[str, str]:
    """What was typed into a date input's boxes."""
    return {part: (data.get(f"{name}-{part}") or "").strip() for part in PARTS}


class ErrorSummary:
    """What is wrong with a submitted form, for the GOV.UK error summary and each field.

    ``form``: a bound Django form (or None for a page with no fields, such as a button);
    ``anchors``: the element a field's summary line links to, where it is not the field's
    own id (Django's ``auto_id``). Each field shows its first message; the summary lists
    general messages first, then one line a field in the order the fields appear."""

    def __init__(self, form: forms.BaseForm | None = None, *,
                 anchors: Mapping[str, str] | None = None) -> None:
        self.form = form
        self.anchors = dict(anchors or {})
        self.added: dict[str, str] = {}
        self.general: list[str] = []
        self.items: list[dict[str, str]] = []
        self.inline: dict[str, list[str]] = {}

    def add(self, name: str, message: str, *, href: str | None = None) -> None:
        """A problem with field ``name`` found outside the form (it is shown before the
        form's own); ``href``: the element the summary links to, if not the field."""
        if name not in self.added:
            self.added[name] = message
            if href:
                self.anchors.setdefault(name, href)

    def add_general(self, message: str) -> None:
        """A problem that is not about one field (e.g. the backend refused the change)."""
        self.general.append(message)

    def add_item(self, href: str, text: str) -> None:
        """One more summary line linking to element ``href``, and shown under it (e.g. one
        line a passage the de-identification guard found)."""
        self.items.append({"text": text, "href": f"#{href}"})
        self.inline.setdefault(href, []).append(text)

    def _form_errors(self) -> dict[str, list[str]]:
        if self.form is None or not self.form.is_bound:
            return {}
        return {name: [str(e) for e in errors] for name, errors in self.form.errors.items()}

    def _first(self) -> dict[str, str]:
        """Each field's first message, in the order the fields appear."""
        found = self._form_errors()
        order = list(self.form.fields) if self.form is not None else []
        names = [n for n in order if n in self.added or n in found]
        names += [n for n in [*self.added, *found] if n not in names and n != "__all__"]
        return {n: self.added.get(n) or found[n][0] for n in names}

    def _anchor(self, name: str) -> str:
        if name in self.anchors:
            return self.anchors[name]
        if self.form is not None and name in self.form.fields:
            field = self.form.fields[name]
            bound = self.form[name]
            if isinstance(field, DateField):
                return field.anchor(bound.data, bound.html_name)
            return bound.auto_id or name
        return name

    def summary(self) -> list[dict[str, str]]:
        """The error summary's ``errorList``."""
        non_field = self._form_errors().get("__all__", [])
        return ([{"text": text} for text in [*self.general, *non_field]]
                + [{"text": text, "href": f"#{self._anchor(name)}"}
                   for name, text in self._first().items()]
                + self.items)

    def message(self, name: str) -> dict[str, Any] | None:
        """A field's ``errorMessage`` for a GOV.UK macro, or None."""
        text = self._first().get(name)
        if text:
            return {"text": text}
        lines = self.inline.get(name)
        if lines:
            return {"html": Markup("<br>").join(escape(line) for line in lines)}
        return None

    def __bool__(self) -> bool:
        return bool(self.general or self.items or self.added or self._form_errors())
