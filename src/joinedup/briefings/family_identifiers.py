"""The identifiers of a child's family that the de-identification guard
(:mod:`joinedup.briefings.deidentify`) looks for in a briefing: every name, date of birth,
NHS number, postcode and address line of the child and everyone in their family network,
each with whose it is, gathered from every agency's record of each of them.

Everything here but :func:`identifiers_for_child` is pure, over plain values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from joinedup.briefings.plain_text import plain
from joinedup.nhs_check_digit import checks
from joinedup.people.models import PersonRecord
from joinedup.people.network import network_for

MIN_NAME_LETTERS = 3

_HOUSE_NUMBER = re.compile(r"^(?:(?:flat|apartment|apt|unit|room|house)\s+)?\d+[a-z]?\b[\s,]*",
                           re.IGNORECASE)
_ONLY_NUMBER = re.compile(r"^(?:(?:flat|apartment|apt|unit|room|house)\s+)?\d+[a-z]?$",
                          re.IGNORECASE)



# -- what to look for -------------------------------------------------------------------

@dataclass
class Identifiers:
    """Everything that would identify the family, each with why (e.g. "the mother's family
    name"). Keys are normalised: names lower case, postcodes upper case without spaces,
    NHS numbers as ten digits, address lines lower case with single spaces."""

    names: dict[str, list[Reason]] = field(default_factory=lambda: defaultdict(list))
    dates: dict[dt.date, list[Reason]] = field(default_factory=lambda: defaultdict(list))
    nhs_numbers: dict[str, list[Reason]] = field(default_factory=lambda: defaultdict(list))
    postcodes: dict[str, list[Reason]] = field(default_factory=lambda: defaultdict(list))
    address_lines: dict[str, list[Reason]] = field(default_factory=lambda: defaultdict(list))

    def add_person(self, whose: str, *, given_name: str = "", family_name: str = "",
                   other_names: Iterable[str] = (), date_of_birth: dt.date | None = None,
                   nhs_number: str = "", postcode: str = "", address: str = "") -> None:
        """Add one record of one person; ``whose`` is e.g. "the mother's"."""
        for label, value in (("given name", given_name), ("family name", family_name),
                             *(("other name", other) for other in other_names)):
            for word in name_words(plain(value)):
                _note(self.names, word.lower(), (whose, "{whose} " + label))
        if date_of_birth:
            _note(self.dates, date_of_birth, (whose, "{whose} date of birth"))
        digits = re.sub(r"\D", "", plain(nhs_number or ""))
        if len(digits) == 10:
            _note(self.nhs_numbers, digits, (whose, "{whose} NHS number"))
        code = normalise_postcode(plain(postcode or ""))
        if code:
            _note(self.postcodes, code, (whose, "{whose} postcode"))
        for line in address_lines(plain(address or "")):
            _note(self.address_lines, line, (whose, "part of {whose} address"))


Reason = tuple[str, str]
"""(whose, template): ("the mother's", "{whose} family name")."""


def _note(table: dict[str, list[Reason]] | dict[dt.date, list[Reason]], key: object,
          why: Reason) -> None:
    reasons = table[key]  # type: ignore[index]
    if why not in reasons:
        reasons.append(why)


def name_words(name: str) -> list[str]:
    """The words of a name worth looking for: each word (and each half of a hyphenated or
    apostrophed one) of three letters or more."""
    found: list[str] = []
    for word in re.split(r"[\s,;]+", name.replace("\u2019", "'").strip()):
        word = word.strip(".()\"")
        pieces = [word, *re.split(r"[-']", word)] if re.search(r"[-']", word) else [word]
        for piece in pieces:
            letters = re.sub(r"[^\w]", "", piece)
            if len(letters) >= MIN_NAME_LETTERS and not letters.isdigit() \
                    and piece not in found:
                found.append(piece)
    return found


def normalise_postcode(text: str) -> str:
    code = re.sub(r"\s+", "", text).upper()
    return code if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", code) else ""


def address_lines(address: str) -> list[str]:
    """The lines of an address to look for (see :mod:`joinedup.briefings.deidentify`),
    lower case."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in re.split(r"[,\n]", address)]
    lines = [line for line in lines if line]
    if len(lines) >= 2:
        lines = lines[:-1]  # the town
    found: list[str] = []
    for line in lines:
        if _ONLY_NUMBER.match(line):
            continue
        for variant in (line, _HOUSE_NUMBER.sub("", line)):
            variant = variant.lower().strip()
            if len(re.sub(r"[^a-z]", "", variant)) >= MIN_NAME_LETTERS and variant not in found:
                found.append(variant)
    return found


def is_valid_nhs_number(digits: str) -> bool:
    """Ten digits ending in the NHS number's Modulus 11 check digit."""
    return checks(digits)


# -- gathering the family's identifiers from the database -------------------------------

WHOSE: dict[str, str] = {
    "CHILD_SUBJECT": "the child's",
    "MOTHER": "the mother's",
    "FATHER": "the father's",
    "PARTNER_OF_PARENT": "a parent's partner's",
    "EX_PARTNER": "a parent's former partner's",
    "ADULT_HOUSEHOLD_MEMBER": "a household member's",
    "REGULAR_VISITOR": "a regular visitor's",
    "GRANDPARENT": "a grandparent's",
    "OTHER_RELATIVE": "a relative's",
    "KINSHIP_CARER": "a kinship carer's",
    "FOSTER_CARER": "a foster carer's",
    "SIBLING": "a sibling's",
}


def identifiers_for_child(child_id: int) -> Identifiers:
    """The identifiers of the child and everyone in their family network, from every
    agency's record of each of them."""

    whose = {child_id: WHOSE["CHILD_SUBJECT"]}
    for member in network_for(child_id).members:
        whose.setdefault(member.person_id, WHOSE.get(member.role, "a relative's"))
    found = Identifiers()
    rows = (PersonRecord.objects.filter(person_id__in=list(whose))
            .order_by("person_id", "agency__code", "source_id")
            .values("person_id", "given_name", "family_name", "other_names", "date_of_birth",
                    "nhs_number", "nhs_number_text", "postcode", "address"))
    for row in rows:
        others = row["other_names"] or []
        found.add_person(whose[int(row["person_id"])], given_name=row["given_name"] or "",
                         family_name=row["family_name"] or "",
                         other_names=[str(o) for o in others] if isinstance(others, list)
                         else [str(others)],
                         date_of_birth=row["date_of_birth"],
                         # a number that failed its check still identifies the person
                         nhs_number=row["nhs_number"] or row["nhs_number_text"] or "",
                         postcode=row["postcode"] or "", address=row["address"] or "")
    return found
