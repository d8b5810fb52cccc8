"""The export contract: for every linked person record, its agency, the agency's own id,
the joinedup person it belongs to, how confident the linkage is (docs/linkage.md) and the
person's agreed NHS number, the consistent identifier (``consistent_identifier.py``). Read
from what :func:`joinedup.people.linking.link` and the stewards' decisions kept."""

from __future__ import annotations

from typing import Any

from joinedup.people.consistent_identifier import agreed_nhs_numbers
from joinedup.people.linking import THRESHOLD
from joinedup.people.models import LinkDecision, PairScore, PersonRecord


def export_persons() -> list[dict[str, Any]]:
    """agency, source_person_id, person_id, match_confidence, nhs_number, nhs_conflict for
    every linked record.

    match_confidence: the highest probability linking the record to another record of the
    same person (1.0 where a steward confirmed it); empty for a person with one record.
    nhs_number: the person's agreed NHS number, the one valid number every record of the
    person that holds one agrees on (empty when none holds one, or when they disagree);
    nhs_conflict: True when the person's records hold different valid NHS numbers."""
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
    agreed = agreed_nhs_numbers()
    return [
        {"agency": code, "source_person_id": source, "person_id": pid,
         "match_confidence": round(best[rid], 4) if rid in best else None,
         "nhs_number": agreed.get(pid, (None, False))[0],
         "nhs_conflict": agreed.get(pid, (None, False))[1]}
        for rid, code, source, pid in rows
    ]
