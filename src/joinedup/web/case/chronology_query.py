"""What a reader asked of a chronology: the filters of the chronology page, read from the
address (GET), checked, and handed to ``chronology.assembly.assemble``.

The chronology page, its exports and the swimlane all read the same parameters, so a
download is exactly what the page showed: ``agency`` (repeated, or codes separated by
commas: several agencies at once), ``type``, ``person``, ``q`` (words the entries shown
must contain), ``from``, ``to``, ``known_by`` ("as known on": only what had been recorded
by then) and ``order``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from joinedup.agencies import Agency
from joinedup.chronology import Chronology, assemble
from joinedup.ingest import ValueProblem, parse_date
from joinedup.visibility import Reader
from joinedup.vocabulary import EVENT_TYPES, HIGH_SIGNIFICANCE
from joinedup.web.govuk_forms import PARTS, DateField

DATES = {"from": "the date to show events from", "to": "the date to show events up to",
         "known_by": "the \"as known on\" date"}
"""The date filters: typed into GOV.UK date inputs (``from-day``, ``from-month``,
``from-year``), or given whole in a link (``from=2025-03-03`` or ``03/03/2025``)."""
PARAMETERS = ("agency", "type", "person", "q", "from", "to", "known_by", "order", "view")
SIGNIFICANT = "significant"
"""``view=significant``: the significant events only (vocabulary.HIGH_SIGNIFICANCE)."""


@dataclass
class ChronologyQuery:
    agencies: list[str] = field(default_factory=list)
    event_type: str = ""
    words: str = ""
    person: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    known_by: dt.date | None = None
    newest_first: bool = False
    significant_only: bool = False
    typed: dict[str, str] = field(default_factory=dict)
    """What was in the address, to put back in the form and the download links."""
    errors: dict[str, str] = field(default_factory=dict)
    """Parameter name to a message saying what is wrong and how to put it right."""
    boxes: dict[str, dict[str, str]] = field(default_factory=dict)
    """A date filter's day, month and year as typed, to put back in its boxes."""

    @classmethod
    def read(cls, params: QueryDict) -> ChronologyQuery:
        typed = {name: params.get(name, "").strip()[:100] for name in PARAMETERS}
        codes = [code.strip().upper() for value in params.getlist("agency")
                 for code in value[:200].split(",") if code.strip()]
        typed["agency"] = ",".join(dict.fromkeys(codes))
        boxes, wrong = _date_boxes(params, typed)
        query = cls(typed={k: v for k, v in typed.items() if v}, boxes=boxes)
        query.errors.update(wrong)
        query.agencies = list(dict.fromkeys(codes))
        if query.agencies:
            known = set(Agency.objects.filter(code__in=query.agencies)
                        .values_list("code", flat=True))
            if set(query.agencies) - known:
                query.errors["agency"] = "Choose an agency from the list"
        query.words = " ".join(typed["q"].split())
        query.event_type = typed["type"].upper()
        if query.event_type and query.event_type not in EVENT_TYPES:
            query.errors["type"] = "Choose a kind of event from the list"
        if typed["person"]:
            if typed["person"].isdigit():
                query.person = int(typed["person"])
            else:
                query.errors["person"] = "Choose a person from the list"
        query.date_from = query._date("from")
        query.date_to = query._date("to")
        query.known_by = query._date("known_by")
        if query.date_from and query.date_to and query.date_from > query.date_to:
            query.errors["from"] = ("The date to show events from must be on or before the "
                                    "date to show them up to")
        query.newest_first = typed["order"] == "newest"
        query.significant_only = typed["view"] == SIGNIFICANT
        return query

    def _date(self, name: str) -> dt.date | None:
        text = self.typed.get(name, "")
        if not text or name in self.errors:
            return None
        try:
            if len(text) > 10:
                raise ValueProblem("too long", "")
            return parse_date(text)
        except ValueProblem:
            what = DATES[name]
            self.errors[name] = (f"{what[0].upper()}{what[1:]} must be a real date, like "
                                 "3 3 2025")
            return None

    def date_boxes(self, name: str) -> dict[str, str]:
        """What the boxes of a date filter show: as typed, else the date it holds."""
        if name in self.boxes:
            return self.boxes[name]
        day = {"from": self.date_from, "to": self.date_to, "known_by": self.known_by}[name]
        if day is None:
            return {part: "" for part in PARTS}
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}

    def check_person(self, chronology: Chronology) -> None:
        """A person filter must name someone on the child's chronology."""
        if self.person is not None and self.person not in {p.person_id
                                                           for p in chronology.network}:
            self.errors["person"] = "Choose a person from the list"

    def assemble(self, child_id: int, viewer: Reader) -> Chronology:
        """The chronology as asked (with any wrong filter left out), for ``viewer``."""
        wrong = self.errors
        return assemble(
            child_id, viewer=viewer,
            known_by=None if "known_by" in wrong else self.known_by,
            agencies=self.agencies if "agency" not in wrong else None,
            words=self.words,
            types=self._types(),
            persons=[self.person] if self.person is not None and "person" not in wrong
            else None,
            period=(None if "from" in wrong else self.date_from,
                    None if "to" in wrong else self.date_to))

    def _types(self) -> list[str] | None:
        chosen = [self.event_type] if self.event_type and "type" not in self.errors else []
        if not self.significant_only:
            return chosen or None
        return [t for t in (chosen or sorted(HIGH_SIGNIFICANCE)) if t in HIGH_SIGNIFICANCE] \
            or ["-"]  # a kind of event the significant ones do not include: none match

    @property
    def filtered(self) -> bool:
        return any(self.typed.get(name) for name in PARAMETERS if name not in ("order", "view"))

    @property
    def error_list(self) -> list[dict[str, str]]:
        """The errors as the error summary lists them, each linking to its field."""
        return [{"text": message, "href": f"#{name}-day" if name in DATES else f"#{name}"}
                for name, message in self.errors.items()]

    def audit_details(self) -> dict[str, Any]:
        """The filters as the audit trail records them."""
        return {"filters": dict(self.typed)}

    def address(self, **changes: str) -> str:
        """The query string of these filters (with ``changes``), for links."""
        kept = {**self.typed, **changes}
        return urlencode({k: v for k, v in kept.items() if v})


def _date_boxes(params: QueryDict, typed: dict[str, str],
                ) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Read the date filters typed into GOV.UK date inputs into ``typed`` (as YYYY-MM-DD,
    so links and downloads carry one parameter each); return the boxes as typed and a
    message for each date that is not a real one."""
    boxes: dict[str, dict[str, str]] = {}
    wrong: dict[str, str] = {}
    for name, what in DATES.items():
        parts = {part: params.get(f"{name}-{part}", "").strip()[:10] for part in PARTS}
        if not any(f"{name}-{part}" in params for part in PARTS):
            continue
        boxes[name] = parts
        try:
            day = DateField(what, required=False, example="like 3 3 2025").clean(
                [parts[part] for part in PARTS])
        except forms.ValidationError as problem:
            wrong[name] = " ".join(problem.messages)
            typed[name] = ""
            continue
        typed[name] = day.isoformat() if day else ""
    return boxes, wrong
