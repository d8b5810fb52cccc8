"""The export contract: for every linked person record, its agency, the agency's own id,
the joinedup person it belongs to and how confident the linkage is (docs/linkage.md). Read
from what :func:`joinedup.people.linking.link` and the stewards' decisions kept."""

from __future__ import annotations

from typing import Any

from joinedup.people.linking import THRESHOLD
from joinedup.people.models import LinkDecision, PairScore, PersonRecord


def export_persons() -> list[dict[str, Any]]:
    """agency, source_person_id, person_id, match_confidence for every linked record.

    match_confidence: the highest probability linking the record to another record of the
    same person (1.0 where a steward confirmed it); empty for a person with one record."""
    best: dict[int, float] = {}
    for a, b, p, pa, pb in PairScore.objects.filter(
            match_probability__gte=THRESHOLD).values_list(
            "record_a_id", "record_b_id", "match_probability", "record_a__person_id",
            "record_b__person_id"):
        if pa is not None and pa == pb:
            best[a] = max(best.get(a, 0.0), p)
            best[b] = max(best.get(b, 0.0), p)
    for a, b in LinkDecision.objects.filter(
            withdrawn_at__isnull=True, decision=LinkDecision.MUST_LINK).values_list(
            "record_a_id", "record_b_id"):
        best[a] = best[b] = 1.0
    rows = PersonRecord.objects.filter(person__isnull=False).values_list(
        "id", "agency__code", "source_id", "person_id").order_by("person_id", "agency__code",
                                                                 "source_id")
    return [
        {"agency": code, "source_person_id": source, "person_id": pid,
         "match_confidence": round(best[rid], 4) if rid in best else None}
        for rid, code, source, pid in rows
    ]
