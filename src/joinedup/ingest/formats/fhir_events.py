"""FHIR UK Core resources that become chronology events (docs/formats/fhir.md).

- Encounter: its class and status decide the event (an A&E attendance, an admission, a home
  visit, an appointment attended; cancelled with a did-not-attend reason, a missed one);
- Appointment with status ``noshow``: a missed appointment;
- EpisodeOfCare: a maternity episode's start is the antenatal booking, a registration
  episode's start the GP registration, an early help episode starts and ends;
- Condition and Observation: an injury (with its body site), a mental health or substance
  misuse concern, found by the code's words and a few SNOMED CT codes;
- Flag: a child protection plan or looked-after status notified through CP-IS;
- Communication: information received from, or shared with, another service.

A resource that is none of these (a booked appointment, a blood pressure) is left out: it is
not a safeguarding event. Each mapping returns the rows of one resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.fhir_elements import (
    all_words,
    coded,
    codes,
    reference_id,
    reference_summary,
    unused,
    when,
    words,
)
from joinedup.ingest.formats.fhir_entry import Entry
from joinedup.vocabulary import event_label

HAPPENED = {"arrived", "triaged", "in-progress", "onleave", "finished"}
"""Encounter statuses that say the encounter took place."""
CLASS_EVENTS = {"EMER": "ED_ATTENDANCE", "IMP": "ADMISSION", "ACUTE": "ADMISSION",
                "NONAC": "ADMISSION", "SS": "ADMISSION", "HH": "HOME_VISIT"}
"""Encounter.class (HL7 v3 ActCode) and the event a taken-place encounter becomes; any
other class (AMB, VR, ...) is an appointment attended."""

TYPE_EVENTS = [(re.compile(r"new birth visit"), "NEW_BIRTH_VISIT"),
               (re.compile(r"child protection medical"), "CP_MEDICAL"),
               (re.compile(r"health visit"), "HV_VISIT"),
               (re.compile(r"\bgp consultation|general practi\w* consultation"),
                "GP_CONSULTATION"),
               (re.compile(r"\bdelivery\b|\blive birth\b"), "BIRTH")]
"""Words in a taken-place Encounter's ``type`` or ``serviceType`` that name the event more
exactly than its class does; the first that matches wins."""
NO_ACCESS = re.compile(r"no access|no answer|no reply|unable to gain access")
"""Words in a cancelled Encounter's reason, type or extensions that make it a visit with no
access."""
DID_NOT_ATTEND_CODES = {"281399006"}  # SNOMED CT: Did not attend
DID_NOT_ATTEND = re.compile(r"did not attend|was not brought|not brought|\bdna\b|\bwnb\b")

INJURY_CODES = {"125605004": "fracture", "125667009": "bruise", "125666000": "burn",
                "417163006": "injury"}
INJURY_WORDS = [("fracture", "fracture"), ("bruis", "bruise"), ("contusion", "bruise"),
                ("burn", "burn"), ("scald", "burn"), ("bite", "bite"), ("laceration", "cut"),
                ("wound", "wound"), ("abrasion", "graze"), ("injur", "injury")]
"""Words in a Condition's or Observation's code that make it an INJURY, and its ``type``."""
MENTAL_HEALTH = re.compile(r"mental health|depress|anxiety|psychos|self[- ]harm|suicid")
DOMESTIC_ABUSE = re.compile(r"domestic (abuse|violence)|intimate partner (abuse|violence)")
SUBSTANCE = re.compile(r"substance|drug misuse|drug dependence|alcohol misuse|"
                       r"alcohol dependence|opioid|heroin|cocaine")
CP_IS = re.compile(r"child protection|looked after|cp-?is")
MATERNITY = re.compile(r"maternity|midwi|antenatal|pregnan")
EARLY_HELP = re.compile(r"early help")
HEALTH_VISITING = re.compile(r"health visit")
EPISODE_EVENTS = ((EARLY_HELP, "EH_EPISODE_START", "EH_EPISODE_END"),
                  (HEALTH_VISITING, "HV_CASELOAD_START", "HV_CASELOAD_END"))
"""Episodes of care with a start and an end: the words of the type, and the two events."""
REGISTRATION = re.compile(r"\bregist(ration|ered)\b")
NOT_FOUND = {"entered-in-error", "refuted", "cancelled"}


def encounter_rows(entry: Entry) -> Iterator[SourceRow]:
    encounter = entry.resource
    klass = (encounter.class_fhir.code or "").upper() if encounter.class_fhir else ""
    status = encounter.status or ""
    concepts = [*(encounter.type or []), *(encounter.reasonCode or []),
                *([encounter.serviceType] if encounter.serviceType else [])]
    code = _encounter_event(encounter, status, klass, concepts)
    if code is None:
        return
    period = encounter.period
    occurred = (period.start or period.end) if period else None
    details = {
        "status": status, "class": klass, "type": words(encounter.type),
        "service_type": words(encounter.serviceType), "reason": words(encounter.reasonCode),
        "codes": coded(concepts), "ended_at": when(period.end) if period else "",
        "location": [loc.location.display or reference_id(loc.location)
                     for loc in encounter.location or [] if loc.location],
        "service_provider": reference_summary(encounter.serviceProvider),
        "discharge": words(encounter.hospitalization.dischargeDisposition)
        if encounter.hospitalization else "",
    }
    row = entry.event(code, occurred, encounter.subject,
                      _summary(code, words(encounter.type) or words(encounter.reasonCode)),
                      details)
    _worker(encounter.participant or [], row)
    row.extra.update(unused(entry.raw, {
        "status", "class", "type", "serviceType", "reasonCode", "period", "subject",
        "location", "serviceProvider", "participant"}))
    yield row


def appointment_rows(entry: Entry) -> Iterator[SourceRow]:
    appointment = entry.resource
    if appointment.status != "noshow":
        return
    patient = next((p.actor for p in appointment.participant or []
                    if p.actor is not None and "Patient/" in (p.actor.reference or "")), None)
    concepts = [*(appointment.serviceType or []), *(appointment.reasonCode or [])]
    if appointment.appointmentType is not None:
        concepts.append(appointment.appointmentType)
    row = entry.event("APPOINTMENT_MISSED", appointment.start, patient,
                      _summary("APPOINTMENT_MISSED", appointment.description or words(concepts)),
                      {"status": "noshow", "service_type": words(appointment.serviceType),
                       "reason": words(appointment.reasonCode), "codes": coded(concepts)},
                      date_element="start")
    row.extra.update(unused(entry.raw, {"status", "participant", "start", "serviceType",
                                          "reasonCode", "appointmentType", "description"}))
    yield row


def episode_rows(entry: Entry) -> Iterator[SourceRow]:
    episode = entry.resource
    if episode.status in NOT_FOUND:
        return
    said = all_words(episode.type)
    period = episode.period
    start, end = (period.start, period.end) if period else (None, None)
    details = {"status": episode.status, "episode_type": words(episode.type),
               "codes": coded(episode.type),
               "managing_organization": reference_summary(episode.managingOrganization),
               "care_manager": reference_summary(episode.careManager)}
    mapped = {"status", "type", "period", "patient", "managingOrganization", "careManager"}
    if MATERNITY.search(said) and start is not None:
        row = entry.event("ANTENATAL_BOOKING", start, episode.patient,
                          _summary("ANTENATAL_BOOKING", words(episode.type)), details)
        row.extra.update(unused(entry.raw, mapped))
        yield row
    elif REGISTRATION.search(said) and start is not None:
        row = entry.event("GP_REGISTRATION", start, episode.patient,
                          _summary("GP_REGISTRATION", words(episode.type)), details)
        row.extra.update(unused(entry.raw, mapped))
        yield row
    else:
        for pattern, opens, closes in EPISODE_EVENTS:
            if not pattern.search(said):
                continue
            for code, when_, suffix in ((opens, start, "start"), (closes, end, "end")):
                if when_ is not None:
                    row = entry.event(code, when_, episode.patient,
                                      _summary(code, words(episode.type)), details,
                                      suffix=suffix)
                    row.extra.update(unused(entry.raw, mapped))
                    yield row
            return


def finding_rows(entry: Entry) -> Iterator[SourceRow]:
    """A Condition or an Observation: an injury or a concern, else nothing."""
    found = entry.resource
    condition = entry.kind == "Condition"
    if condition:
        if codes(found.verificationStatus) & {"ENTERED-IN-ERROR", "REFUTED"}:
            return
        occurred = found.onsetDateTime or (found.onsetPeriod.start if found.onsetPeriod
                                           else None) or found.recordedDate
        recorded, recorded_from = found.recordedDate, "recordedDate"
    else:
        if found.status in NOT_FOUND:
            return
        occurred = found.effectiveDateTime or found.effectiveInstant or (
            found.effectivePeriod.start if found.effectivePeriod else None)
        recorded, recorded_from = found.issued, "issued"
    said = all_words(found.code)
    code, details = _finding(found, said)
    if code is None:
        return
    details.update({
        "finding": words(found.code), "codes": coded(found.code),
        "encounter": reference_id(found.encounter, entry.full_urls),
        "note": " ".join((n.text or "") for n in found.note or []).strip(),
        "clinical_status": words(found.clinicalStatus) if condition else found.status,
        "verification_status": words(found.verificationStatus) if condition else "",
        "severity": words(found.severity) if condition else words(found.interpretation),
    })
    row = entry.event(code, occurred, found.subject,
                      _summary(code, words(found.code)), details, recorded=recorded,
                      recorded_from=recorded_from if recorded is not None else "",
                      date_element="onsetDateTime" if condition else "effectiveDateTime")
    row.extra.update(unused(entry.raw, {
        "code", "bodySite", "subject", "encounter", "note", "clinicalStatus",
        "verificationStatus", "severity", "onsetDateTime", "onsetPeriod", "recordedDate",
        "status", "effectiveDateTime", "effectiveInstant", "effectivePeriod", "issued",
        "interpretation"}))
    yield row


def flag_rows(entry: Entry) -> Iterator[SourceRow]:
    """A child protection flag (CP-IS): a CPIS_ALERT dated from the flag's period."""
    flag = entry.resource
    said = f"{all_words(flag.code)} {all_words(flag.category)}"
    if flag.status == "entered-in-error" or not CP_IS.search(said):
        return
    period = flag.period
    occurred = (period.start if period else None) or entry.last_updated()
    details = {"plan": words(flag.code), "category": words(flag.category),
               "codes": coded(flag.code), "status": flag.status,
               "period_end": when(period.end) if period else "",
               "author": reference_summary(flag.author)}
    row = entry.event("CPIS_ALERT", occurred, flag.subject,
                      _summary("CPIS_ALERT", words(flag.code)), details)
    row.extra.update(unused(entry.raw, {"code", "category", "status", "period", "author",
                                   "subject"}))
    yield row


def communication_rows(entry: Entry) -> Iterator[SourceRow]:
    """Information shared or received: a Communication this system received (it has a
    ``received`` date) is INFO_RECEIVED on that date; one it sent (a ``sent`` date only) is
    INFO_SHARED. Not completed (preparation, in progress, not done, stopped,
    entered-in-error), or with neither date, it is not imported."""
    message = entry.resource
    if message.status != "completed" or (message.received is None and message.sent is None):
        return
    received = message.received is not None
    code = "INFO_RECEIVED" if received else "INFO_SHARED"
    payload = " ".join(p.contentString for p in message.payload or [] if p.contentString)
    details: dict[str, Any] = {
        "category": words(message.category), "topic": words(message.topic),
        "reason": words(message.reasonCode), "sent_at": when(message.sent)}
    if received:
        details["from"] = _party(message.sender)
    else:
        details["to"] = "; ".join(_party(r) for r in message.recipient or [])
    row = entry.event(code, message.received if received else message.sent, message.subject,
                      _summary(code, payload or words(message.topic)
                               or words(message.category)),
                      details, date_element="received" if received else "sent")
    row.extra.update(unused(entry.raw, {"status", "sent", "received", "sender", "recipient",
                                         "subject", "payload", "category", "topic",
                                         "reasonCode"}))
    yield row


def _party(reference: Any) -> str:
    """Who sent or received a Communication, in words: the display, else the identifier."""
    if reference is None:
        return ""
    if reference.display:
        return str(reference.display)
    if reference.identifier is not None and reference.identifier.value:
        return str(reference.identifier.value)
    return str(reference.reference or "")


def _finding(found: Any, said: str) -> tuple[str | None, dict[str, Any]]:
    """The event a finding becomes and its details (``type`` and ``site`` of an injury)."""
    kind = next((INJURY_CODES[c] for c in codes(found.code) if c in INJURY_CODES), None)
    if kind is None:
        kind = next((name for word, name in INJURY_WORDS if word in said), None)
    if kind is not None:
        sites = found.bodySite if isinstance(found.bodySite, list) else [found.bodySite]
        return "INJURY", {"type": kind, "site": words([s for s in sites if s is not None]),
                          "site_codes": coded([s for s in sites if s is not None])}
    if DOMESTIC_ABUSE.search(said):
        return "DOMESTIC_ABUSE_CONCERN", {}
    if MENTAL_HEALTH.search(said):
        return "MENTAL_HEALTH_CONCERN", {}
    if SUBSTANCE.search(said):
        return "SUBSTANCE_MISUSE_CONCERN", {}
    return None, {}


def _encounter_event(encounter: Any, status: str, klass: str,
                     concepts: list[Any]) -> str | None:
    """The event an Encounter becomes (None: not imported)."""
    if status == "cancelled":
        if _said(encounter, concepts, DID_NOT_ATTEND, DID_NOT_ATTEND_CODES):
            return "APPOINTMENT_MISSED"
        if _said(encounter, concepts, NO_ACCESS, set()):
            return "NO_ACCESS_VISIT"
        return None
    if status not in HAPPENED:
        return None
    said = all_words([*(encounter.type or []),
                      *([encounter.serviceType] if encounter.serviceType else [])])
    named = next((code for words_, code in TYPE_EVENTS if words_.search(said)), None)
    return named or CLASS_EVENTS.get(klass, "APPOINTMENT_ATTENDED")


def _said(encounter: Any, concepts: list[Any], pattern: re.Pattern[str],
          known: set[str]) -> bool:
    """Do the Encounter's concepts, or any extension on it, say ``pattern`` (or a code in
    ``known``)?"""
    if codes(concepts) & known or pattern.search(all_words(concepts)):
        return True
    for extension in encounter.extension or []:
        dumped = str(extension.model_dump(mode="json", exclude_none=True)).lower()
        if pattern.search(dumped) or any(c in dumped for c in known):
            return True
    return False


def _worker(participants: list[Any], row: SourceRow) -> None:
    """The first named practitioner of an encounter as the event's worker."""
    for participant in participants:
        individual = participant.individual
        if individual is not None and individual.display:
            row.extra["worker_name"] = individual.display
            role = words(participant.type)
            if role:
                row.extra["worker_role"] = role
            return


def _summary(code: str, what: str) -> str:
    return f"{event_label(code)}: {what}" if what else event_label(code)
