"""Running linkage over the stored person records and keeping its results.

    link()            score pairs, group records into persons, keep ids stable, record changes
    explain_pair()    the match probability of two records and each field's contribution
    review_queue()    pairs in the uncertain band (and over it, kept apart), with reasons
    decide()          a steward confirms (must link) or rejects (cannot link) a pair
    split_person()    unmerge: some records of a person are someone else

The first run trains the model (or `link(retrain=True)`); later runs re-use it and score
only records that are new or corrected since the last run against everything else. The
Splink model, its comparisons and blocking live in ``people/linkage/``; this module is the
only place that joins them to the database (``family_links.py`` does it for the links that
follow relationships: unborn to born, possible twins). The export contract (agency,
source_person_id, person_id, confidence) is ``people/person_export.py``'s.
"""

from __future__ import annotations

import getpass
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from joinedup.agencies.models import Submission
from joinedup.errors import LinkageError, NextStep
from joinedup.people import family_links, record_rows, run_writes
from joinedup.people.linkage import clustering, features, model, shared_number
from joinedup.people.models import (
    LinkDecision,
    LinkModel,
    LinkRun,
    PairScore,
    Person,
    PersonRecord,
)

THRESHOLD = 0.95
"""Records whose match probability is at least this are the same person (docs/linkage.md)."""
REVIEW_BAND = (0.50, 0.95)
"""Pairs scored in this band (and not decided) go to the review queue."""
SCORE_FLOOR = REVIEW_BAND[0]
"""Pairs scored below this are not kept: they neither link nor need review (explain still
scores any pair). At a million records, keeping every pair above 0.01 would keep tens of
millions of rows."""
SEED = 20240815

Progress = Callable[[str], None]


@dataclass
class LinkResult:
    run_id: int
    kind: str
    model_version: int
    trained: bool
    records: int
    records_scored: int
    pairs_kept: int
    persons: int
    changes: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    review_pairs: int = 0


def _who(who: str | None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


BACKENDS = ("duckdb", "spark")


def link(*, retrain: bool = False, who: str | None = None, backend: str = "duckdb",
         progress: Progress | None = None) -> LinkResult:
    """Link every person record; see the module docstring.

    ``backend="spark"`` scores pairs with the same trained model on Splink's Spark backend
    (local mode here; a cluster where one is configured). Training always runs on DuckDB."""
    if backend not in BACKENDS:
        raise LinkageError(f"Unknown backend {backend!r}: use duckdb or spark.")
    say = progress or (lambda message: None)
    who = _who(who)
    record_ids, pairable, table = _read_prepared()
    if table is None:
        raise LinkageError("There are no person records to link yet: load some returns first.")
    link_model = LinkModel.objects.first()
    trained = False
    if retrain or link_model is None:
        say(f"Training the linkage model on {len(record_ids):,} records")
        link_model = _train(table, who)
        trained = True
    previous_run = LinkRun.objects.first()
    kind = "full" if trained or previous_run is None else "incremental"
    with transaction.atomic():
        run = LinkRun.objects.create(who=who, kind=kind, link_model=link_model,
                                     threshold=THRESHOLD)
        say("Scoring candidate pairs")
        scored = _score(_pairable(table, pairable), record_ids, link_model.model, kind, run,
                        backend)
        say("Grouping records into persons")
        result = _regroup(run, who, record_ids, table)
        if kind == "full":
            PersonRecord.objects.update(linked_version=_version_expr())
        for chunk in ([] if kind == "full" else _chunks(scored)):
            PersonRecord.objects.filter(id__in=chunk).update(linked_version=_version_expr())
        run.finished_at = timezone.now()
        run.counts = {"records": len(record_ids), "records_scored": len(scored),
                      "persons": result["persons"], "changes": result["changes"],
                      "conflicts": result["conflicts"]}
        run.save()
    return LinkResult(
        run_id=run.pk, kind=kind, model_version=link_model.version, trained=trained,
        records=len(record_ids), records_scored=len(scored),
        pairs_kept=PairScore.objects.count(), persons=result["persons"],
        changes=result["changes"], conflicts=result["conflicts"],
        review_pairs=review_queue_count(),
    )


def _read_prepared() -> tuple[list[int], set[int], pa.Table | None]:
    """Every record's id, the ids of those linkage may pair (``features.identifiable``) and
    every record prepared as linkage compares it, blanks filled through shared NHS numbers
    (None if there are no records). Prepared once for training, scoring and the twins rule,
    a chunk at a time: a million records as read would take a gigabyte."""
    record_ids: list[int] = []
    pairable: set[int] = set()
    parts: list[pa.Table] = []
    for chunk in record_rows.in_chunks():
        record_ids += [r["unique_id"] for r in chunk]
        pairable.update(r["unique_id"] for r in features.identifiable(chunk))
        parts.append(features.prepare(chunk))
    if not parts:
        return record_ids, pairable, None
    table = shared_number.fill(pa.concat_tables(parts).combine_chunks())
    # hand back what preparing left in arrow's memory pool before Splink runs: at a million
    # records, half a gigabyte it would otherwise keep
    pa.default_memory_pool().release_unused()
    return record_ids, pairable, table


def _version_expr() -> Any:
    from django.db.models import F

    return F("version")


def _train(table: pa.Table, who: str) -> LinkModel:
    """Train on every record, prepared (``table``), and the pairs stewards confirmed."""
    confirmed = list(LinkDecision.objects.filter(
        withdrawn_at__isnull=True, decision=LinkDecision.MUST_LINK
    ).values_list("record_a_id", "record_b_id"))
    trained = model.train(table, seed=SEED, confirmed=confirmed)
    version = (LinkModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    used = len(confirmed) if len(confirmed) >= model.MIN_LABELS else 0
    return LinkModel.objects.create(
        version=version, trained_by=who, seed=SEED, records=table.num_rows,
        last_submission=Submission.objects.aggregate(m=Max("id"))["m"], model=trained,
        labels=used,
    )


def _score(table: pa.Table, record_ids: list[int], trained: dict[str, Any], kind: str,
           run: LinkRun, backend: str = "duckdb") -> list[int]:
    """Score pairs of the records linkage may pair (``table``, prepared), keep those above
    the floor; returns the ids of the records scored."""
    if backend == "spark":
        return _score_on_spark(table, record_ids, trained, kind, run)
    if kind == "full":
        PairScore.objects.all().delete()
        pairs = model.predict(table, trained, threshold=SCORE_FLOOR)
        scored = record_ids
    else:
        fresh_ids = set(_fresh_ids())
        if not fresh_ids:
            return []
        # a new record can fill a blank of the records sharing its NHS number: rescore them
        fresh_ids = shared_number.sharing_numbers(table, fresh_ids)
        for chunk in _chunks(sorted(fresh_ids)):
            PairScore.objects.filter(Q(record_a_id__in=chunk) | Q(record_b_id__in=chunk)).delete()
        fresh, rest = features.split(table, fresh_ids)
        pairs = model.predict_new(fresh, rest if rest.num_rows else None, trained,
                                  threshold=SCORE_FLOOR)
        scored = sorted(fresh_ids)
    _keep(pairs, run)
    return scored


def _pairable(table: pa.Table, pairable: set[int]) -> pa.Table:
    """The rows of the prepared ``table`` linkage may pair (``features.identifiable``). An
    unidentified record holds no NHS number, so filling blanks through shared numbers
    before leaving it out gives what filling after would."""
    return features.split(table, pairable)[0] if len(pairable) < table.num_rows else table


def _keep(pairs: list[tuple[int, int, float, float]], run: LinkRun) -> None:
    run_writes.keep_pairs(pairs, run.pk)
    run_writes.refresh_statistics(PairScore)


def _score_on_spark(table: pa.Table, record_ids: list[int], trained: dict[str, Any], kind: str,
                    run: LinkRun) -> list[int]:
    """Spark scores every candidate pair; an incremental run keeps those of fresh records."""
    from joinedup.people.linkage.spark import predict_on_spark

    fresh = set(_fresh_ids()) if kind == "incremental" else set(record_ids)
    if not fresh:
        return []
    if kind == "incremental":
        fresh = shared_number.sharing_numbers(table, fresh)  # as _score says
    pairs = predict_on_spark(table, trained, threshold=SCORE_FLOOR)
    if kind == "full":
        PairScore.objects.all().delete()
    else:
        pairs = [p for p in pairs if p[0] in fresh or p[1] in fresh]
        for chunk in _chunks(sorted(fresh)):
            PairScore.objects.filter(Q(record_a_id__in=chunk) | Q(record_b_id__in=chunk)).delete()
    _keep(pairs, run)
    return sorted(fresh)


def _fresh_ids() -> list[int]:
    """Records new or corrected since they were last scored."""
    return list(PersonRecord.objects.filter(
        Q(linked_version__isnull=True) | ~Q(linked_version=_version_expr())
    ).values_list("id", flat=True))


def _decisions() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    for a, b, decision in LinkDecision.objects.filter(withdrawn_at__isnull=True).values_list(
            "record_a_id", "record_b_id", "decision"):
        (must if decision == LinkDecision.MUST_LINK else cannot).append((a, b))
    return must, cannot


def _regroup(run: LinkRun | None, who: str, record_ids: list[int],
             prepared: pa.Table | None = None) -> dict[str, Any]:
    """Group records into persons from the stored pairs and decisions; ``prepared``: every
    record as linkage compares it, where a run holds them (else what is needed is read)."""
    edges = PairScore.objects.filter(match_probability__gte=THRESHOLD).values_list(
        "record_a_id", "record_b_id", "match_probability")
    must, cannot = _decisions()
    grouping = family_links.cluster(record_ids, edges, THRESHOLD, must, cannot, prepared)
    previous = dict(PersonRecord.objects.filter(person__isnull=False).values_list(
        "id", "person_id"))
    next_id = (Person.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    assignment = clustering.assign_person_ids(grouping.groups, previous, next_id)
    now = timezone.now()
    wanted = set(assignment.person_of.values())
    active = dict(Person.objects.values_list("id", "retired_at"))
    run_id = run.pk if run is not None else None
    run_writes.add_persons(sorted(wanted - active.keys()), now, run_id)
    revived = [pid for pid in wanted if active.get(pid) is not None]
    retired = [pid for pid, gone in active.items() if gone is None and pid not in wanted]
    for ids, value in ((revived, None), (retired, now)):
        for chunk in _chunks(ids):
            Person.objects.filter(id__in=chunk).update(retired_at=value)
    run_writes.set_persons({rid: pid for rid, pid in assignment.person_of.items()
                            if previous.get(rid) != pid})
    run_writes.record_changes(assignment.changes, now, run_id, who)
    run_writes.refresh_statistics(Person, PersonRecord)
    return {
        "persons": len(wanted),
        "changes": dict(Counter(c.kind for c in assignment.changes)),
        "conflicts": [f"records {a} and {b}: {why}" for a, b, why in grouping.conflicts],
    }


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    """Id lists short enough for any database's limit on query parameters."""
    return [ids[start:start + size] for start in range(0, len(ids), size)]


# -- records by reference -------------------------------------------------------------------

def resolve_record(ref: str) -> PersonRecord:
    """A record from `AGENCY:SOURCE_ID` (the agency's own id) or joinedup's record number."""
    ref = ref.strip()
    if ":" in ref:
        code, source_id = ref.split(":", 1)
        found = PersonRecord.objects.filter(agency__code=code.upper(), source_id=source_id).first()
    elif ref.isdigit():
        found = PersonRecord.objects.filter(pk=int(ref)).first()
    else:
        found = None
    if found is None:
        raise LinkageError(
            f"There is no person record {ref!r}. Give AGENCY:PERSON_ID (the agency's own id, "
            "e.g. HV:HV-2231) or a person record number.",
            next_step=NextStep.FIND_PERSON,
        )
    return found


def explain_pair(ref_a: str, ref_b: str) -> tuple[PersonRecord, PersonRecord, Any]:
    a, b = resolve_record(ref_a), resolve_record(ref_b)
    if a.pk == b.pk:
        raise LinkageError("Give two different records to compare.")
    link_model = LinkModel.objects.first()
    if link_model is None:
        raise LinkageError("There is no linkage model yet: link the agencies' records first.",
                           next_step=NextStep.LINK_RECORDS)
    inputs = record_rows.records_by_id([a.pk, b.pk])
    return a, b, model.explain(inputs[a.pk], inputs[b.pk], link_model.model,
                               record_rows.same_numbers(inputs.values()))


# -- review and decisions -------------------------------------------------------------------

def _decided_pairs() -> set[tuple[int, int]]:
    live = LinkDecision.objects.filter(withdrawn_at__isnull=True)
    return set(live.values_list("record_a_id", "record_b_id"))


def review_queue(limit: int | None = None, unseen: Iterable[int] = ()) -> list[PairScore]:
    """The pairs to decide, each with its reasons (``unseen``: persons whose records the
    reader may not see, which then give no reason about other pairs)."""
    queue = _undecided()
    return family_links.with_reasons(queue[:limit] if limit else queue, REVIEW_BAND[1],
                                     unseen)


def _undecided() -> list[PairScore]:
    """The pairs a person should decide, in queue order (their reasons not yet read)."""
    low, high = REVIEW_BAND
    decided = _decided_pairs()
    pairs = (PairScore.objects.filter(match_probability__gte=low, match_probability__lt=high)
             .select_related("record_a__agency", "record_b__agency")
             .order_by("-match_probability", "record_a_id", "record_b_id"))
    strong = family_links.kept_apart(high)  # scored over the threshold, not joined
    return [p for p in [*strong, *pairs] if (p.record_a_id, p.record_b_id) not in decided
            and not _already_one_person(p)]


def _already_one_person(pair: PairScore) -> bool:
    """Both records are in one person already (joined through other records): the pair
    needs no decision, so it leaves the queue."""
    person = pair.record_a.person_id
    return person is not None and person == pair.record_b.person_id


def review_queue_count() -> int:
    """How many pairs wait for a decision (their reasons never change the count)."""
    return len(_undecided())


def decide(ref_a: str, ref_b: str, decision: str, why: str, who: str | None = None,
           *, regroup: bool = True) -> LinkDecision:
    """Record a steward's decision on a pair (replacing any earlier one) and regroup."""
    if decision not in (LinkDecision.MUST_LINK, LinkDecision.CANNOT_LINK):
        raise LinkageError(f"A decision is must_link or cannot_link, not {decision!r}.")
    if not why.strip():
        raise LinkageError("Say why: decisions are kept and reviewed.",
                           next_step=NextStep.GIVE_DETAIL(detail="why"))
    a, b = resolve_record(ref_a), resolve_record(ref_b)
    if a.pk == b.pk:
        raise LinkageError("A record is always the same person as itself.")
    low, high = sorted((a.pk, b.pk))
    who = _who(who)
    with transaction.atomic():
        LinkDecision.objects.filter(record_a_id=low, record_b_id=high,
                                    withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        made = LinkDecision.objects.create(record_a_id=low, record_b_id=high, decision=decision,
                                           who=who, why=why.strip())
        if regroup and LinkRun.objects.exists():
            _regroup(None, who, list(PersonRecord.objects.values_list("id", flat=True)))
    return made


def split_person(person_id: int, refs: list[str], why: str, who: str | None = None) -> int:
    """Unmerge: the given records of a person are someone else. Returns decisions made."""
    person = Person.objects.filter(pk=person_id, retired_at__isnull=True).first()
    if person is None:
        raise LinkageError(f"There is no current person {person_id}.")
    leaving = [resolve_record(r) for r in refs]
    members = set(person.records.values_list("id", flat=True))
    strangers = [r for r in leaving if r.pk not in members]
    if strangers:
        raise LinkageError(f"Record {strangers[0]} is not part of person {person_id}.")
    staying = members - {r.pk for r in leaving}
    if not staying:
        raise LinkageError("Splitting off every record would leave nothing: name fewer records.")
    made = 0
    with transaction.atomic():
        for record in leaving:
            for other in staying:
                decide(str(record.pk), str(other), LinkDecision.CANNOT_LINK, why, who,
                       regroup=False)
                made += 1
        _regroup(None, _who(who), list(PersonRecord.objects.values_list("id", flat=True)))
    return made
