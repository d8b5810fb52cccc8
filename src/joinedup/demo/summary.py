"""What linkage found in the Baby S scenario: were the child, mother and father each found
across every agency that holds them, and is the father's adult-services record now next to
the baby? The cast (who is who, by each agency's own id) is in ``scenario/cast.csv``."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from joinedup.alerts.replay import firings_before, replay
from joinedup.demo.standard_ids import loaded_person
from joinedup.people.models import PersonRecord, RelationshipRecord

ADULT_FACING = ("PROBATION", "POLICE", "AMH")


@dataclass
class CastFinding:
    role: str
    records: int
    agencies: list[str]
    persons: list[int]
    main_person: int | None
    main_agencies: list[str]

    @property
    def found_everywhere(self) -> bool:
        return len(self.persons) == 1


def _cast() -> dict[str, list[tuple[str, str]]]:
    text = resources.files("joinedup.demo").joinpath("scenario/cast.csv").read_text("utf-8")
    cast: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in csv.DictReader(text.splitlines()):
        cast[row["role"]].append((row["agency"], row["person_id"]))
    return cast


def cast_findings() -> list[CastFinding]:
    findings = []
    for role, refs in _cast().items():
        held: list[tuple[int | None, str]] = []
        for agency_code, source_id in refs:
            found = PersonRecord.objects.filter(
                agency__code=agency_code, source_id=loaded_person(agency_code, source_id)
            ).values_list("person_id", "agency__code").first()
            if found is not None:
                held.append(found)
        by_person: dict[int, set[str]] = defaultdict(set)
        for person, agency in held:
            if person is not None:
                by_person[person].add(agency)
        main = max(by_person, key=lambda p: (len(by_person[p]), -p)) if by_person else None
        findings.append(CastFinding(
            role=role, records=len(held), agencies=sorted({a for a, _ in refs}),
            persons=sorted(by_person), main_person=main,
            main_agencies=sorted(by_person.get(main, set())) if main else [],
        ))
    return findings


def father_next_to_baby(findings: list[CastFinding]) -> str:
    """A sentence saying whether the father's adult-services records reach the baby."""
    roles = {f.role: f for f in findings}
    father, child = roles.get("father"), roles.get("child")
    if not father or not child or father.main_person is None or child.main_person is None:
        return "Linkage has not run yet."
    adult = [a for a in father.main_agencies if a in ADULT_FACING]
    links = RelationshipRecord.objects.filter(
        is_current=True, relationship="FATHER_OF", person__person_id=father.main_person,
        related_person__person_id=child.main_person,
    ).values_list("agency__code", flat=True)
    told_by = sorted(set(links))
    if adult and told_by:
        return (f"The father (person {father.main_person}) now carries his records from "
                f"{', '.join(adult)} and is linked as the baby's father (person "
                f"{child.main_person}) through {', '.join(told_by)}.")
    return (f"The father's adult-services records ({', '.join(adult) or 'none'}) are not yet "
            "joined to the baby's family: the possible links wait for a person to decide them.")


INJURY_DAY = dt.date(2025, 5, 20)
"""The day Baby S was brought to hospital with a fractured arm (docs/demo-scenario.md)."""
STORY_STARTS = dt.date(2024, 1, 1)


@dataclass
class EarlyWarning:
    rule: str
    title: str
    visible_on: dt.date
    weeks_before: int
    held_back_days: int  # by late recording


def warnings_before_the_injury() -> tuple[int | None, list[EarlyWarning]]:
    """Replay the rules for the baby (the person most of her records are linked to) over
    the pregnancy and her first nine months: each rule whose alert was visible on the
    records before the injury, with how long before and how long late recording held it."""

    child = next((f.main_person for f in cast_findings() if f.role == "child"), None)
    if child is None:
        return None, []
    result = replay(child, STORY_STARTS, INJURY_DAY)
    warnings = []
    for line in firings_before(result.first_by_rule(), INJURY_DAY):
        assert line.known_on is not None and line.delay_days is not None  # noqa: S101 - narrows the type: firings_before keeps only lines with a known_on day
        warnings.append(EarlyWarning(line.rule, line.title, line.known_on,
                                     (INJURY_DAY - line.known_on).days // 7, line.delay_days))
    warnings.sort(key=lambda w: (w.visible_on, w.rule))
    return child, warnings
