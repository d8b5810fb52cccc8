"""Reader for the Children in Need (CIN) census XML return (DfE, CBDS fields).

One ``<Child>`` becomes one ``people`` row and the dated steps of each of its
``<CINdetails>`` (referral, assessments, section 47 enquiries, plans, closure) become
``events`` rows. The file is streamed with defusedxml's ``iterparse``: each ``<Child>`` is
mapped and then discarded, so memory does not grow with the size of the file. A DTD (and
so entities: billion laughs, external entities, DTD fetches) is refused and the file is
reported unreadable.

The mapping is documented for data stewards in ``docs/formats/cin-census.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import CountingFile, SourceRow, file_size
from joinedup.ingest.problems import RowProblem, error, warning

FORMAT_NAME = "cin-census"

# GenderCurrent / PersonSex / Sex: 1 male, 2 female, 0 not known, 9 not specified.
SEX_CODES = {"1": "M", "2": "F", "0": "U", "9": "U", "M": "M", "F": "F", "U": "U", "X": "X",
             "MALE": "M", "FEMALE": "F"}
SEX_ELEMENTS = ("GenderCurrent", "PersonSex", "Sex")

# ReasonForClosure (CBDS N00112) and the event each one becomes.
CLOSURE_REASONS = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
CLOSURE_EVENTS = {"RC5": "TRANSFER_OUT", "RC8": "REFERRAL_NFA", "RC9": "STEP_DOWN"}

# ReferralSource (CBDS N00152) in the plain words the rules read as a referral's ``source``
# (docs/data-contract.md, "Details each rule reads"); the code itself is kept too.
REFERRAL_SOURCES = {
    "1A": "relative", "1B": "acquaintance", "1C": "self", "1D": "other individual",
    "2A": "school", "2B": "education services",
    "3A": "gp", "3B": "health visitor", "3C": "school nurse",
    "3D": "other primary health services", "3E": "emergency department",
    "3F": "other health services",
    "4": "housing",
    "5A": "local authority social care", "5B": "local authority other internal",
    "5C": "local authority external", "5D": "early help",
    "6": "police", "7": "other legal agency", "8": "other", "9": "anonymous", "10": "unknown",
}

# Kept in the people row's ``extra`` when present.
IDENTIFIER_EXTRAS = ("UPN", "FormerUPN", "UPNunknown", "ExpectedPersonBirthDate",
                     "PersonDeathDate")

# Direct children of <CINdetails> the mapping below reads; anything else is kept, flattened,
# in the REFERRAL event's details under "not_mapped".
HANDLED_IN_CINDETAILS = {
    "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA", "Assessments", "CINPlanDates",
    "Section47", "ChildProtectionPlans", "S47ActualStartDate", "InitialCPCtarget",
    "ICPCnotRequired",
}

TRUE_VALUES = {"true", "1"}
FALSE_VALUES = {"false", "0"}


class CinCensusReader:
    """Streams a CIN census XML file as canonical people and events rows."""

    format_name = FORMAT_NAME

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.total_bytes = file_size(self.path)
        self._counter: CountingFile | None = None
        self.la_code = ""
        self.census_date = ""

    def bytes_done(self) -> int:
        return self._counter.count if self._counter is not None else 0

    def rows(self) -> Iterator[SourceRow]:
        name = self.path.name
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise UnreadableFileError(
                f"Cannot open the CIN census file {name}: {exc.strerror or exc}."
            ) from exc
        with CountingFile(raw) as counter:
            self._counter = counter
            yield from self._read(counter)

    def _read(self, source: CountingFile) -> Iterator[SourceRow]:
        stack: list[Element] = []
        ordinal = 0
        for event, elem in _parse(source, self.path.name):
            if event == "start":
                elem.tag = _local(elem.tag)
                if not stack and elem.tag != "Message":
                    raise UnreadableFileError(
                        f"{self.path.name} is not a CIN census file: its top element is "
                        f"<{elem.tag}>, not <Message>."
                    )
                stack.append(elem)
                continue
            stack.pop()
            if elem.tag == "LEA" and not self.la_code:
                self.la_code = _text(elem)
            elif elem.tag == "ReferenceDate" and not self.census_date:
                self.census_date = _text(elem)
            elif elem.tag == "Child":
                ordinal += 1
                yield from self._child(elem, ordinal)
                elem.clear()
                if stack:
                    stack[-1].remove(elem)

    # -- one child --------------------------------------------------------------------------

    def _child(self, child: Element, n: int) -> Iterator[SourceRow]:
        where = f"{self.path.name}, child {n}"
        child_id = _first(child, "LAchildID")
        person = SourceRow("people", n, {}, where, holds_names=False)
        person.values = {
            "person_id": child_id, "given_name": "", "family_name": "Unknown",
            "other_names": "", "date_of_birth": _first(child, "PersonBirthDate"), "sex": "",
            "nhs_number": "", "postcode": "", "address": "", "uprn": "", "flags": "",
        }
        for tag in IDENTIFIER_EXTRAS:
            value = _first(child, tag)
            if value:
                person.extra[tag] = value
        ethnicity = _first(child, "Ethnicity")
        if ethnicity:
            person.extra["Ethnicity"] = ethnicity
        disabilities = [_text(d) for d in child.iter("Disability") if _text(d)]
        if disabilities:
            person.extra["Disabilities"] = disabilities
        person.extra["source_format"] = FORMAT_NAME
        if self.la_code:
            person.extra["la_code"] = self.la_code
        self._map_sex(child, person, where)

        referrals = child.findall("CINdetails")
        if not child_id:
            person.problems.append(error(
                "people", n, "person_id", "The child has no LAchildID",
                f"Add the LAchildID to this child in the case management system and send the "
                f"census again; this child's {len(referrals)} referral(s) were not imported.",
                location=where,
            ))
            yield person
            return
        yield person
        events = _ChildEvents(child_id, n, where, self.la_code, self.census_date)
        for cin in referrals:
            events.add_referral(cin)
        yield from events.rows

    def _map_sex(self, child: Element, person: SourceRow, where: str) -> None:
        for tag in SEX_ELEMENTS:
            raw = _first(child, tag)
            if not raw:
                continue
            person.extra[tag] = raw
            sex = SEX_CODES.get(raw.upper())
            if sex:
                person.values["sex"] = sex
            else:
                person.problems.append(warning(
                    "people", person.row_number, tag, f"{tag} is not a known sex code",
                    "Use 1 (male), 2 (female), 0 (not known) or 9 (not specified); the child "
                    "is imported with sex not recorded.", raw, where,
                ))
            return


class _ChildEvents:
    """Collects the events of one child, with event_ids that are stable across re-sends."""

    def __init__(self, child_id: str, n: int, where: str, la_code: str, census_date: str):
        self.child_id = child_id
        self.n = n
        self.where = where
        self.common = {"source_format": FORMAT_NAME, "la_code": la_code,
                       "census_date": census_date, "recorded_at_from": "event date"}
        self.rows: list[SourceRow] = []
        self._used: set[str] = set()

    def add(self, code: str, date: str, summary: str, referral_date: str,
            details: dict[str, Any] | None = None,
            problems: list[RowProblem] | None = None) -> SourceRow | None:
        """One event; nothing when the date is missing (the census had nothing to say)."""
        if not date:
            return None
        base = f"{self.child_id}/referral-{referral_date or 'undated'}/{code}/{date}"
        event_id, k = base, 1
        while event_id in self._used:
            k += 1
            event_id = f"{base}/{k}"
        self._used.add(event_id)
        row = SourceRow("events", self.n, {
            "event_id": event_id, "person_id": self.child_id, "event_type": code,
            "occurred_at": date, "recorded_at": date, "summary": summary,
            "related_person_id": "",
            "details": {**self.common, "cin_referral_date": referral_date, **(details or {})},
        }, self.where, problems=list(problems or []))
        self.rows.append(row)
        return row

    def add_referral(self, cin: Element) -> None:
        ref = _child_text(cin, "CINreferralDate")
        source = _child_text(cin, "ReferralSource")
        need = _child_text(cin, "PrimaryNeedCode")
        details: dict[str, Any] = {"referral_source": source, "primary_need": need}
        if source and source.strip().upper() in REFERRAL_SOURCES:
            details["source"] = REFERRAL_SOURCES[source.strip().upper()]
        not_mapped = {e.tag: _flatten(e) for e in cin if e.tag not in HANDLED_IN_CINDETAILS}
        if not_mapped:
            details["not_mapped"] = not_mapped
        referral = self.add("REFERRAL", ref, _join("Referral (CIN census)",
                                                   source and f"source {source}",
                                                   need and f"primary need {need}"),
                            ref, details)
        nfa = _child_text(cin, "ReferralNFA")
        if nfa.lower() in TRUE_VALUES:
            self.add("REFERRAL_NFA", ref, "Referral: no further action (ReferralNFA)", ref,
                     {"source_field": "ReferralNFA"})
        elif nfa and nfa.lower() not in FALSE_VALUES and referral is not None:
            referral.problems.append(warning(
                "events", self.n, "ReferralNFA", "ReferralNFA is not true/false or 1/0",
                "Send true, false, 1 or 0; the referral is imported without a no-further-"
                "action event.", nfa, self.where,
            ))
        for assessment in cin.findall("Assessments"):
            self._assessment(assessment, ref)
        s47_blocks = cin.findall("Section47")
        if _child_text(cin, "S47ActualStartDate"):
            s47_blocks.append(cin)  # older returns put the section 47 fields directly here
        icpc_dates = {self._section47(block, ref) for block in s47_blocks}
        icpc = _child_text(cin, "DateOfInitialCPC")
        if icpc and icpc not in icpc_dates:
            self.add("ICPC", icpc, "Initial child protection conference", ref,
                     {"source_field": "CINdetails/DateOfInitialCPC"})
        for plan in cin.findall("CINPlanDates"):
            self.add("CIN_PLAN_START", _child_text(plan, "CINPlanStartDate"),
                     "Child in need plan started", ref)
            self.add("CIN_PLAN_END", _child_text(plan, "CINPlanEndDate"),
                     "Child in need plan ended", ref)
        for cpp in cin.findall("ChildProtectionPlans"):
            self._cp_plan(cpp, ref)
        self._closure(cin, ref)

    def _assessment(self, assessment: Element, ref: str) -> None:
        start = _child_text(assessment, "AssessmentActualStartDate")
        review = _child_text(assessment, "AssessmentInternalReviewDate")
        self.add("ASSESSMENT_START", start, "Assessment started", ref,
                 {"internal_review_date": review} if review else None)
        factors = [_text(f) for f in assessment.iter("AssessmentFactors") if _text(f)]
        self.add("ASSESSMENT_COMPLETE", _child_text(assessment, "AssessmentAuthorisationDate"),
                 _join("Assessment completed", factors and "factors " + ", ".join(factors)),
                 ref, {"factors": factors, "assessment_start_date": start})

    def _section47(self, block: Element, ref: str) -> str:
        """S47_START and ICPC of one enquiry; returns the ICPC date ("" if none)."""
        start = _child_text(block, "S47ActualStartDate")
        target = _child_text(block, "InitialCPCtarget")
        not_required = _child_text(block, "ICPCnotRequired")
        extra = {"initial_cpc_target": target, "icpc_not_required": not_required}
        self.add("S47_START", start, "Section 47 enquiry started", ref, extra)
        icpc = _child_text(block, "DateOfInitialCPC")
        if block.tag == "Section47":
            self.add("ICPC", icpc, "Initial child protection conference", ref,
                     {**extra, "s47_start_date": start})
            return icpc
        return ""

    def _cp_plan(self, cpp: Element, ref: str) -> None:
        start = _child_text(cpp, "CPPstartDate")
        initial = _child_text(cpp, "InitialCategoryOfAbuse")
        latest = _child_text(cpp, "LatestCategoryOfAbuse")
        self.add("CP_PLAN_START", start,
                 _join("Child protection plan started", initial and f"category {initial}"),
                 ref, {"initial_category_of_abuse": initial,
                       "number_of_previous_cpp": _child_text(cpp, "NumberOfPreviousCPP")})
        self.add("CP_PLAN_END", _child_text(cpp, "CPPendDate"),
                 _join("Child protection plan ended", latest and f"category {latest}"),
                 ref, {"latest_category_of_abuse": latest, "cpp_start_date": start})
        for review in cpp.iter("CPPreviewDate"):
            self.add("CP_REVIEW", _text(review), "Child protection review conference", ref,
                     {"cpp_start_date": start})

    def _closure(self, cin: Element, ref: str) -> None:
        date = _child_text(cin, "CINclosureDate")
        reason = _child_text(cin, "ReasonForClosure")
        code = reason.upper()
        label = CLOSURE_REASONS.get(code)
        problems: list[RowProblem] = []
        if label is None:
            problems.append(warning(
                "events", self.n, "ReasonForClosure",
                "ReasonForClosure is missing" if not reason
                else "ReasonForClosure is not a CIN census code (RC1 to RC9)",
                "Send a code from RC1 to RC9; the closure is imported as a case closure "
                "without a reason.", reason, self.where,
            ))
        self.add(CLOSURE_EVENTS.get(code, "CASE_CLOSURE"), date,
                 _join("Case closed (CIN census)", label and f"{code}: {label}"),
                 ref, {"reason_for_closure": reason, "reason_for_closure_label": label or ""},
                 problems)


# -- XML helpers ----------------------------------------------------------------------------

def _parse(source: CountingFile, name: str) -> Iterator[tuple[str, Element]]:
    """iterparse events, with every parse failure turned into UnreadableFileError."""
    # No DTD at all: a CIN census never has one, and a DTD is how entity expansion
    # ("billion laughs"), external entities and DTD fetches get in.
    events = iterparse(source, events=("start", "end"), forbid_dtd=True)
    while True:
        try:
            item = next(events)
        except StopIteration:
            return
        except ParseError as exc:
            line = exc.position[0] if exc.position else "?"
            raise UnreadableFileError(
                f"{name} is not well-formed XML (line {line}): {_reason(exc)}. Check the file "
                f"is the complete CIN census export and has not been cut short or edited."
            ) from exc
        except DefusedXmlException as exc:
            raise UnreadableFileError(
                f"{name} was refused: it declares a DTD, XML entities or external references "
                f"({type(exc).__name__}), which a CIN census file never needs and which can "
                f"be used to attack the importer. Export the census again from the case "
                f"management system."
            ) from exc
        yield item


def _reason(exc: ParseError) -> str:
    text = str(exc)
    return text.split(":")[0] if ": line" in text else text


def _local(tag: Any) -> str:
    """The tag without its namespace: '{urn:x}Child' -> 'Child'."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else str(tag)


def _text(elem: Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


def _first(parent: Element, tag: str) -> str:
    """Text of the first descendant with this tag (identifiers may sit at any depth)."""
    for elem in parent.iter(tag):
        return _text(elem)
    return ""


def _child_text(parent: Element, tag: str) -> str:
    return _text(parent.find(tag))


def _flatten(elem: Element) -> Any:
    """A small JSON-able view of an element: its text, or its children by tag."""
    if len(elem) == 0:
        return _text(elem)
    out: dict[str, Any] = {}
    for sub in elem:
        value = _flatten(sub)
        if sub.tag in out:
            previous = out[sub.tag]
            out[sub.tag] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[sub.tag] = value
    return out


def _join(head: str, *parts: Any) -> str:
    tail = "; ".join(str(p) for p in parts if p)
    return f"{head}: {tail}" if tail else head
