"""A review of uncertain pairs that a data steward can work through.

    work_queue()   the review queue narrowed by agency, score band and reason: the pairs
                   waiting, then the pairs set aside as "not sure", each with its reasons
    next_pair()    the pair to open after this one, in the same narrowed queue
    defer_pair()   "not sure": the pair moves to the end of the queue, set aside, with who
                   set it aside and when, until someone decides it

Each pair carries ``reasons``: short words a steward can filter by. Other parts of linkage
give some ("possible twins", "unborn"); this module adds "conflicting NHS number" where
both records hold a valid NHS number and the numbers differ. The filter offers whatever
reasons the pairs in the queue carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from joinedup.errors import LinkageError
from joinedup.people.consistent_identifier import conflicting_numbers
from joinedup.people.linking import _who, resolve_record, review_queue
from joinedup.people.models import PairDeferral, PairScore

__all__ = ["CONFLICTING_NHS_NUMBER", "SCORE_BANDS", "ReviewFilters", "ScoreBand", "WorkQueue",
           "defer_pair", "next_pair", "work_queue"]

CONFLICTING_NHS_NUMBER = "conflicting NHS number"
"""The reason given to a pair whose records hold valid, different NHS numbers."""


@dataclass(frozen=True)
class ScoreBand:
    key: str
    low: float
    high: float
    label: str

    def holds(self, probability: float) -> bool:
        """The top band (high 1.0) holds everything from its low up."""
        return self.low <= probability and (probability < self.high or self.high >= 1.0)


SCORE_BANDS = (
    ScoreBand("high", 0.90, 1.0, "90% or more: nearly sure, or kept apart as possible twins"),
    ScoreBand("middle", 0.75, 0.90, "75% to 90%"),
    ScoreBand("low", 0.50, 0.75, "50% to 75%: as likely different as the same"),
)
"""The score bands a steward can work through, most likely first: the review band
(linking.REVIEW_BAND), and over it the pairs kept apart rather than joined (possible twins)."""


@dataclass(frozen=True)
class ReviewFilters:
    """What narrows the queue: an agency code, a score band's key, a reason (each empty for
    all)."""

    agency: str = ""
    band: str = ""
    reason: str = ""

    def admits(self, pair: Any) -> bool:
        band = next((b for b in SCORE_BANDS if b.key == self.band), None)
        return ((not self.agency or self.agency in (pair.record_a.agency.code,
                                                    pair.record_b.agency.code))
                and (band is None or band.holds(pair.match_probability))
                and (not self.reason or self.reason in pair.reasons))


@dataclass
class WorkQueue:
    waiting: list[PairScore] = field(default_factory=list)
    """Pairs nobody has set aside, most likely first."""
    set_aside: list[PairScore] = field(default_factory=list)
    """Pairs a steward was not sure about, longest set aside first; each has ``deferral``."""
    agencies: list[str] = field(default_factory=list)
    """Every agency with a record in the whole queue (for the filter)."""
    reasons: list[str] = field(default_factory=list)
    """Every reason a pair in the whole queue carries (for the filter)."""
    unfiltered: int = 0
    """How many pairs the queue holds before filtering."""

    @property
    def in_order(self) -> list[PairScore]:
        return self.waiting + self.set_aside


def _deferrals(pairs: Iterable[PairScore]) -> dict[tuple[int, int], PairDeferral]:
    wanted = {(p.record_a_id, p.record_b_id) for p in pairs}
    ids = sorted({i for pair in wanted for i in pair})
    latest: dict[tuple[int, int], PairDeferral] = {}
    for start in range(0, len(ids), 900):
        for d in PairDeferral.objects.filter(record_a_id__in=ids[start:start + 900]):
            key = (d.record_a_id, d.record_b_id)
            if key in wanted:
                latest[key] = d  # ordered by time: the latest one stays
    return latest


def _with_reasons(pair: Any) -> Any:
    reasons = set(getattr(pair, "reasons", None) or ())
    if conflicting_numbers(pair.record_a.nhs_number, pair.record_b.nhs_number):
        reasons.add(CONFLICTING_NHS_NUMBER)
    pair.reasons = reasons
    return pair


def work_queue(filters: ReviewFilters | None = None, unseen: Iterable[int] = ()) -> WorkQueue:
    """The review queue as a steward works through it (see the module docstring);
    ``unseen``: persons the steward may not see (``linking.review_queue``)."""
    filters = filters or ReviewFilters()
    pairs = [_with_reasons(p) for p in review_queue(unseen=unseen)]
    deferred = _deferrals(pairs)
    queue = WorkQueue(unfiltered=len(pairs))
    queue.agencies = sorted({r.agency.code for p in pairs for r in (p.record_a, p.record_b)})
    queue.reasons = sorted({reason for p in pairs for reason in p.reasons})
    for pair in pairs:
        pair.deferral = deferred.get((pair.record_a_id, pair.record_b_id))
        if filters.admits(pair):
            (queue.set_aside if pair.deferral else queue.waiting).append(pair)
    queue.set_aside.sort(key=lambda p: (deferred[(p.record_a_id, p.record_b_id)].deferred_at,
                                        deferred[(p.record_a_id, p.record_b_id)].pk))
    return queue


def next_pair(queue: WorkQueue, record_a: int, record_b: int) -> PairScore | None:
    """The pair after (record_a, record_b) in the queue's order, coming round to the start
    at the end; the first pair when this one has left the queue; None when no other pair
    is left."""
    order = queue.in_order
    here = (min(record_a, record_b), max(record_a, record_b))
    keys = [(p.record_a_id, p.record_b_id) for p in order]
    start = keys.index(here) + 1 if here in keys else 0
    for pair in order[start:] + order[:start]:
        if (pair.record_a_id, pair.record_b_id) != here:
            return pair
    return None


def defer_pair(ref_a: str, ref_b: str, who: str | None = None, note: str = "") -> PairDeferral:
    """Not sure: set the pair aside, to the end of the queue, with who and when."""
    a, b = resolve_record(ref_a), resolve_record(ref_b)
    if a.pk == b.pk:
        raise LinkageError("Give two different records to set aside.")
    low, high = sorted((a.pk, b.pk))
    return PairDeferral.objects.create(record_a_id=low, record_b_id=high, who=_who(who),
                                       note=note.strip())
