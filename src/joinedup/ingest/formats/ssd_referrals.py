"""Contacts, referrals and assessments from an SSD extract.

- ``ssd_contacts``: CONTACT on ``cont_contact_date``, with the contact source in words as
  ``details.source`` (FAMILY_CONCERN_UNACTIONED reads it).
- ``ssd_cin_episodes``: REFERRAL on ``cine_referral_date`` (source in words as for a
  contact), REFERRAL_NFA the same day when ``cine_referral_nfa`` says yes, and on
  ``cine_close_date`` the closure the CIN census would give for ``cine_close_reason``
  (RC5 TRANSFER_OUT, RC8 REFERRAL_NFA, RC9 STEP_DOWN, otherwise CASE_CLOSURE).
- ``ssd_cin_assessments``: ASSESSMENT_START and ASSESSMENT_COMPLETE (authorised date),
  with the assessment's factors from ``ssd_assessment_factors``.
- Assessment factors about misuse of alcohol or drugs (1A, 2A; 1B, 2B), domestic violence
  (3A; 3B) or mental health (4A; 4B) also become SUBSTANCE_MISUSE_CONCERN,
  DOMESTIC_ABUSE_CONCERN or MENTAL_HEALTH_CONCERN on the day the assessment was
  authorised: on the child for the A codes, and for the B codes (the parent or carer) on
  the child's mother when the extract names her (``ssd_mother``): those are the concerns
  CUMULATIVE_PARENTAL_RISK counts across a child's carers. Domestic violence becomes a
  concern, never a DA_INCIDENT: an assessment finds abuse, it does not report an incident.
  The other factors (the C codes about another person in the household, and the rest)
  stay in the assessment's details: the SSD does not say who the person is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.cin_census import CLOSURE_EVENTS, CLOSURE_REASONS, REFERRAL_SOURCES
from joinedup.ingest.formats.ssd_events import TableEvents, keep
from joinedup.ingest.formats.ssd_tables import (
    Row,
    SsdTables,
    json_field,
    outcome,
    unused,
    yes_no,
)
from joinedup.ingest.formats.ssd_workers import Workers
from joinedup.ingest.problems import RowProblem, warning

FACTOR_LABELS = {
    "1A": "alcohol misuse by the child", "1B": "alcohol misuse by a parent or carer",
    "1C": "alcohol misuse by another person in the household",
    "2A": "drug misuse by the child", "2B": "drug misuse by a parent or carer",
    "2C": "drug misuse by another person in the household",
    "3A": "domestic violence: the child", "3B": "domestic violence: a parent or carer",
    "3C": "domestic violence: another person in the household",
    "4A": "mental health of the child", "4B": "mental health of a parent or carer",
    "4C": "mental health of another person in the household",
    "5A": "learning disability of the child", "5B": "learning disability of a parent or carer",
    "5C": "learning disability of another person in the household",
    "6A": "physical disability or illness of the child",
    "6B": "physical disability or illness of a parent or carer",
    "6C": "physical disability or illness of another person in the household",
    "7A": "young carer", "8B": "privately fostered (overseas, to return)",
    "8C": "privately fostered (overseas, to stay)",
    "8D": "privately fostered (UK, educational placement)",
    "8E": "privately fostered (UK, alternative family arrangement)",
    "8F": "privately fostered (other)", "9A": "unaccompanied asylum-seeking child",
    "10A": "going or being missing", "11A": "child sexual exploitation",
    "12A": "trafficking", "13A": "gangs", "14A": "socially unacceptable behaviour",
    "15A": "self-harm", "16A": "neglect", "17A": "emotional abuse",
    "18B": "physical abuse by another child", "18C": "physical abuse by an adult",
    "19B": "sexual abuse by another child", "19C": "sexual abuse by an adult",
    "20": "other", "21": "no factors identified", "22A": "female genital mutilation",
    "23A": "abuse linked to faith or belief", "24A": "child criminal exploitation",
}
CHILD_CONCERNS = {"1A": "SUBSTANCE_MISUSE_CONCERN", "2A": "SUBSTANCE_MISUSE_CONCERN",
                  "3A": "DOMESTIC_ABUSE_CONCERN", "4A": "MENTAL_HEALTH_CONCERN"}
CARER_CONCERNS = {"1B": "SUBSTANCE_MISUSE_CONCERN", "2B": "SUBSTANCE_MISUSE_CONCERN",
                  "3B": "DOMESTIC_ABUSE_CONCERN", "4B": "MENTAL_HEALTH_CONCERN"}
CONCERN_WORDS = {"SUBSTANCE_MISUSE_CONCERN": "Substance misuse", "MENTAL_HEALTH_CONCERN":
                 "Mental health", "DOMESTIC_ABUSE_CONCERN": "Domestic abuse"}
SOURCE_WORDS = (("grandparent", "grandparent"), ("relative", "relative"),
                ("parent", "parent"), ("family member", "family"))
"""Words in a free-text source description that name a family member, and the word the
FAMILY_CONCERN_UNACTIONED rule reads for each (the first that appears wins)."""
CONTACT_USED = {"cont_contact_id", "cont_person_id", "cont_contact_date",
                "cont_contact_source_code", "cont_contact_source_desc",
                "cont_contact_outcome_json"}
REFERRAL_USED = {"cine_referral_id", "cine_person_id", "cine_referral_date",
                 "cine_referral_source_code", "cine_referral_source_desc",
                 "cine_cin_primary_need_code", "cine_referral_nfa", "cine_close_reason",
                 "cine_close_date", "cine_referral_outcome_json", "cine_referral_worker_id"}
ASSESSMENT_USED = {"cina_assessment_id", "cina_person_id", "cina_referral_id",
                   "cina_assessment_start_date", "cina_assessment_auth_date",
                   "cina_assessment_outcome_json", "cina_assessment_outcome_nfa",
                   "cina_assessment_worker_id"}


def source_words(code: str, description: str) -> str:
    """Who raised a concern, in the words the rules read ('' when it cannot be told)."""
    known = REFERRAL_SOURCES.get(code.strip().upper())
    if known:
        return known
    text = description.strip().lower()
    for word, meaning in SOURCE_WORDS:
        if word in text:
            return meaning
    return text


def contact_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_contacts", "cont_person_id", workers)
    for line, row in tables.rows("ssd_contacts"):
        code, desc = row.get("cont_contact_source_code", ""), row.get(
            "cont_contact_source_desc", "")
        source = source_words(code, desc)
        details: dict[str, Any] = {"contact_source_code": code,
                                   "contact_source_description": desc,
                                   **outcome(row.get("cont_contact_outcome_json", ""))}
        if source:
            details["source"] = source
        yield from keep(events.make(
            line, row, events.key("contact", row, "cont_contact_id", "cont_contact_date"),
            "CONTACT", "cont_contact_date", _join("Contact", source and f"from {source}"),
            details, required=True, extra=unused(row, CONTACT_USED)))


def referral_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cin_episodes", "cine_person_id", workers)
    for line, row in tables.rows("ssd_cin_episodes"):
        key = events.key("referral", row, "cine_referral_id", "cine_referral_date")
        code, desc = row.get("cine_referral_source_code", ""), row.get(
            "cine_referral_source_desc", "")
        source = source_words(code, desc)
        need = row.get("cine_cin_primary_need_code", "")
        details: dict[str, Any] = {
            "referral_source": code, "referral_source_description": desc,
            "primary_need": need,
            **outcome(row.get("cine_referral_outcome_json", ""))}
        if source:
            details["source"] = source
        worker = "cine_referral_worker_id"
        yield from keep(events.make(
            line, row, key, "REFERRAL", "cine_referral_date",
            _join("Referral", source and f"from {source}", need and f"primary need {need}"),
            details, worker_field=worker, required=True, extra=unused(row, REFERRAL_USED)))
        if yes_no(row.get("cine_referral_nfa", "")):
            yield from keep(events.make(line, row, key, "REFERRAL_NFA", "cine_referral_date",
                                        "Referral: no further action", worker_field=worker))
        reason = row.get("cine_close_reason", "").strip().upper()
        label = CLOSURE_REASONS.get(reason, "")
        yield from keep(events.make(
            line, row, f"{key}/closed", CLOSURE_EVENTS.get(reason, "CASE_CLOSURE"),
            "cine_close_date", _join("Case closed", label and f"{reason}: {label}"),
            {"reason_for_closure": reason, "reason_for_closure_label": label}))


@dataclass
class Factors:
    codes: list[str]
    line: int
    problems: list[RowProblem] = field(default_factory=list)


def read_factors(tables: SsdTables) -> dict[str, Factors]:
    """ssd_assessment_factors by assessment id (small: a few codes per assessment)."""
    found: dict[str, Factors] = {}
    where = tables.where("ssd_assessment_factors")
    for line, row in tables.rows("ssd_assessment_factors"):
        raw = row.get("cinf_assessment_factors_json", "")
        codes = _factor_codes(json_field(raw))
        factors = Factors([c for c in codes if c in FACTOR_LABELS], line)
        unknown = [c for c in codes if c not in FACTOR_LABELS]
        if unknown:
            factors.problems.append(warning(
                "events", line, "cinf_assessment_factors_json",
                f"not an assessment factor code: {', '.join(unknown)}",
                "Use the CIN census codes (1A to 24A, 20 or 21); the assessment is imported "
                "with the codes that could be read.", raw, where))
        assessment = row.get("cinf_assessment_id", "")
        if assessment in found:
            found[assessment].codes.extend(c for c in factors.codes
                                           if c not in found[assessment].codes)
        elif assessment:
            found[assessment] = factors
    return found


def _factor_codes(data: Any) -> list[str]:
    """Factor codes from a JSON array, a JSON object of code: Yes/No, or a plain list."""
    if data is None:
        return []
    if isinstance(data, dict):
        items = [k for k, v in data.items() if v is True or yes_no(str(v)) is True]
    elif isinstance(data, list):
        items = [str(v) for v in data if v is not None]
    else:
        items = re.split(r"[\s,;]+", str(data))
    return list(dict.fromkeys(i.strip().upper() for i in items if i.strip()))


def assessment_rows(tables: SsdTables, workers: Workers, factors: dict[str, Factors],
                    mothers: dict[str, str],
                    births: dict[str, str] | None = None) -> Iterator[SourceRow]:
    """ASSESSMENT_START and ASSESSMENT_COMPLETE of each assessment; one authorised before
    the child's date of birth (``births``: person id -> pers_dob) is a PRE_BIRTH_ASSESSMENT
    (the same event id, so an extract sent before the birth is corrected by a later one)."""
    births = births or {}
    events = TableEvents(tables, "ssd_cin_assessments", "cina_person_id", workers)
    for line, row in tables.rows("ssd_cin_assessments"):
        key = events.key("assessment", row, "cina_assessment_id", "cina_assessment_start_date")
        worker = "cina_assessment_worker_id"
        found = factors.get(row.get("cina_assessment_id", ""))
        codes = found.codes if found else []
        yield from keep(events.make(
            line, row, key, "ASSESSMENT_START", "cina_assessment_start_date",
            "Assessment started", worker_field=worker, required=True,
            extra=unused(row, ASSESSMENT_USED)))
        labels = [FACTOR_LABELS[c] for c in codes]
        done = events.make(
            line, row, key, "ASSESSMENT_COMPLETE", "cina_assessment_auth_date",
            _join("Assessment completed", labels and "factors: " + "; ".join(labels)),
            {"factors": codes, "factor_labels": labels,
             **outcome(row.get("cina_assessment_outcome_json", "")),
             "no_further_action": yes_no(row.get("cina_assessment_outcome_nfa", ""))},
            worker_field=worker)
        if done is None:
            continue
        if found:
            done.problems.extend(found.problems)
        born = births.get(row.get("cina_person_id", ""), "")
        if born and done.values["occurred_at"] < born:
            done.values["event_type"] = "PRE_BIRTH_ASSESSMENT"
            done.values["summary"] = done.values["summary"].replace(
                "Assessment completed", "Pre-birth assessment completed", 1)
        yield done
        yield from _concerns(events, line, row, key, codes, mothers)


def _concerns(events: TableEvents, line: int, row: Row, key: str, codes: list[str],
              mothers: dict[str, str]) -> Iterator[SourceRow]:
    child = row.get("cina_person_id", "")
    wanted: dict[tuple[str, str], list[str]] = {}
    for code in codes:
        if code in CHILD_CONCERNS:
            wanted.setdefault((CHILD_CONCERNS[code], child), []).append(code)
        elif code in CARER_CONCERNS and mothers.get(child):
            wanted.setdefault((CARER_CONCERNS[code], mothers[child]), []).append(code)
    for (kind, person), found in wanted.items():
        whose = "the child" if person == child else "the child's mother"
        yield from keep(events.make(
            line, row, f"{key}/{person}", kind, "cina_assessment_auth_date",
            f"{CONCERN_WORDS[kind]} concern about {whose}, found at assessment "
            f"(factor {', '.join(found)})",
            {"factors": found, "factor_labels": [FACTOR_LABELS[c] for c in found],
             "found_by": "assessment"},
            person=person, related="" if person == child else child))


def _join(head: str, *parts: Any) -> str:
    tail = "; ".join(str(p) for p in parts if p)
    return f"{head}: {tail}" if tail else head
