"""Working through the linkage review: the filters a steward chose (agency, score band,
reason, blind mode) carried from the queue to each pair and on to the next; the two records
side by side with the values that differ marked; "Not sure" setting a pair aside.

The filters travel in the address (``?agency=HV&band=high&reason=...&blind=1``), so the
"Next pair" link and the decision keep to them. Blind mode hides the model's score: the
steward judges the records, not the number."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from joinedup.access import AuditAction, audit
from joinedup.people import (
    SCORE_BANDS,
    PersonRecord,
    ReviewFilters,
    WorkQueue,
    defer_pair,
    next_pair,
)
from joinedup.web.steward.sitting import sitting_reason

NOTE_LENGTH = 500


def filters_from(query: QueryDict) -> tuple[ReviewFilters, bool]:
    """The filters and blind mode asked for; an empty or unknown band means every band."""
    band = query.get("band", "")
    filters = ReviewFilters(agency=query.get("agency", "").strip().upper()[:32],
                            band=band if any(b.key == band for b in SCORE_BANDS) else "",
                            reason=query.get("reason", "").strip()[:100])
    return filters, query.get("blind", "") in ("1", "on", "yes")


def carried(filters: ReviewFilters, blind: bool) -> str:
    """The query string that keeps the filters and blind mode ("" for none), with its "?"."""
    pairs = [(k, v) for k, v in (("agency", filters.agency), ("band", filters.band),
                                 ("reason", filters.reason), ("blind", "1" if blind else ""))
             if v]
    return "?" + urlencode(pairs) if pairs else ""


def pair_address(pair: Any, query: str) -> str:
    return reverse("linkage-pair", args=[pair.record_a_id, pair.record_b_id]) + query


def choices(values: list[str], chosen: str, anything: str) -> list[dict[str, Any]]:
    """Select items: "anything" first, then each value (capitalised as a label)."""
    return [{"value": "", "text": anything, "selected": not chosen}] + [
        {"value": v, "text": v[:1].upper() + v[1:], "selected": v == chosen} for v in values]


def band_choices(filters: ReviewFilters) -> list[dict[str, Any]]:
    return [{"value": "", "text": "Any score", "selected": not filters.band}] + [
        {"value": b.key, "text": b.label, "selected": filters.band == b.key}
        for b in SCORE_BANDS]


def _same(a: Any, b: Any) -> bool:
    def plain(value: Any) -> str:
        return " ".join(str(value).casefold().replace("-", " ").split())

    return plain(a) == plain(b)


def compared(a: Any, b: Any) -> str:
    """"differs" when both records hold the value and it differs, "one" when only one
    holds it, "" when they agree or neither holds it."""
    if a in (None, "") or b in (None, ""):
        return "" if a in (None, "") and b in (None, "") else "one"
    return "" if _same(a, b) else "differs"


def _written(value: Any, as_written: str, why: str) -> Any:
    """The value, or what was written when it could not be read (said as such)."""
    if value:
        return value
    return f"{as_written} (as written: {why})" if as_written else ""


def record_rows(a: PersonRecord, b: PersonRecord) -> list[dict[str, Any]]:
    """The identifying values of the two records, each marked where they differ (compared
    as written: case, spaces and hyphens aside)."""
    def row(label: str, va: Any, vb: Any, shown: tuple[Any, Any] | None = None
            ) -> dict[str, Any]:
        sa, sb = shown or (va, vb)
        return {"label": label, "a": sa, "b": sb, "compared": compared(va, vb),
                "date": isinstance(sa, dt.date) or isinstance(sb, dt.date)}

    def dob(r: PersonRecord) -> Any:
        return _written(r.date_of_birth, r.date_of_birth_text, "not a date")

    def nhs(r: PersonRecord) -> str:
        return str(_written(r.nhs_number, r.nhs_number_text, "not a valid NHS number"))

    return [
        row("Name", f"{a.given_name} {a.family_name}".strip(),
            f"{b.given_name} {b.family_name}".strip(), (a.display_name, b.display_name)),
        row("Other names", ", ".join(a.other_names or []), ", ".join(b.other_names or [])),
        row("Date of birth", a.date_of_birth or a.date_of_birth_text,
            b.date_of_birth or b.date_of_birth_text, (dob(a), dob(b))),
        row("Sex", a.sex, b.sex),
        row("NHS number", (a.nhs_number or a.nhs_number_text).replace(" ", ""),
            (b.nhs_number or b.nhs_number_text).replace(" ", ""), (nhs(a), nhs(b))),
        row("Postcode", a.postcode.replace(" ", ""), b.postcode.replace(" ", ""),
            (a.postcode, b.postcode)),
        row("Address", a.address, b.address),
    ]


def set_aside(request: HttpRequest, a: PersonRecord, b: PersonRecord, queue: WorkQueue,
              query: str, persons: set[int]) -> HttpResponse:
    """"Not sure": the pair goes to the end of the queue; on to the next pair."""
    note = request.POST.get("note", "").strip()[:NOTE_LENGTH]
    made = defer_pair(str(a.pk), str(b.pk), request.user.get_username(), note)
    audit.record(request.user, AuditAction.CHANGE, object_type="pair_deferral",
                 object_id=made.pk, reason=note or "not sure",
                 details={"record_a": a.pk, "record_b": b.pk, "persons": sorted(persons),
                          "sitting_reason": sitting_reason(request)})
    messages.success(request, f"Set aside as not sure: records {a.pk} and {b.pk}. The pair "
                              "waits at the end of the queue until someone decides it.")
    return onwards(queue, a, b, query)


def onwards(queue: WorkQueue, a: PersonRecord, b: PersonRecord, query: str) -> HttpResponse:
    """To the next pair in the steward's queue, or back to the queue when none is left."""
    following = next_pair(queue, a.pk, b.pk)
    if following is None:
        return redirect(reverse("linkage") + query)
    return redirect(pair_address(following, query))


def place_in_queue(queue: WorkQueue, a: PersonRecord, b: PersonRecord, query: str
                   ) -> dict[str, Any]:
    """For the pair page: the next pair's address, the reasons this pair carries, and who
    set it aside and when (if someone did), within the steward's filters."""
    here = (min(a.pk, b.pk), max(a.pk, b.pk))
    current = next((p for p in queue.in_order if (p.record_a_id, p.record_b_id) == here), None)
    following = next_pair(queue, a.pk, b.pk)
    return {"next_pair": pair_address(following, query) if following else "",
            "queue_address": reverse("linkage") + query, "query": query,
            "pair_reasons": sorted(getattr(current, "reasons", None) or ()),
            "deferral": getattr(current, "deferral", None)}
