"""Seeded synthetic population: canonical agency returns with realistic noise, and the truth.

:func:`generate_population` writes, for every agency in ``agencies.csv``,
``<out>/<CODE>/people.csv``, ``events.csv`` and ``relationships.csv`` (the canonical agency
return, docs/data-contract.md), and ``<out>/ground_truth.csv``, which says which agency record
is which real person. It streams: one family is drawn (``families.py``), written to every
agency that knows its people, with the noise below, and forgotten. The same seed gives
byte-identical files; nothing depends on the clock or on set order.

The model, the noise rates and the lookalikes are explained in docs/population-generator.md.

    families.py   who is in each family and what happens to them
    services.py   social care and early help episodes; which agencies know each person
    population.py agency records of those people (names, dates, numbers, addresses, flags),
                  relationships, ground truth, files
    events.py     what each agency recorded happening
    names.py      name lists, nicknames and typos
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from random import Random

from joinedup.demo import names
from joinedup.demo.events import EventWriter, iso_day
from joinedup.demo.families import LAST_DAY, Family, FamilyBuilder, Person
from joinedup.demo.return_files import ReturnFiles
from joinedup.demo.services import plan_services

GROUND_TRUTH_COLUMNS = ("agency", "source_person_id", "true_person_id", "role", "family_id")
# Outward codes of each area: letters, first and last district number.
POSTCODE_AREAS = {"E08000007": ("SK", 1, 8), "E08000003": ("M", 1, 40)}
# Each agency's person_id scheme: prefix and digits (events use the same prefix with "E").
PERSON_ID_SCHEME = {
    "CSC_PREV": ("MCP", 7), "CSC": ("CSP", 6), "EH": ("EHP", 6), "REFUGE": ("RFP", 5),
    "MIDWIFERY": ("MWP", 7), "HV": ("HVP", 6), "GP": ("GPP", 6), "HOSPITAL": ("HSP", 7),
    "AMH": ("AMP", 6), "PROBATION": ("PBP", 6), "POLICE": ("PLP", 7), "FREEDOM": ("FPP", 5),
}

# Noise applied to each agency record (documented in docs/population-generator.md).
NOISE_RATES = {
    "given_name_variant": 0.10,  # a nickname or other spelling, where the name has one
    "given_name_typo": 0.03,
    "family_name_typo": 0.02,
    "maiden_name_as_family_name": 0.15,  # a married mother recorded under her birth surname
    "other_names_recorded": 0.60,  # the mother's other surname kept, at OTHER_NAMES_AGENCIES
    "alias_recorded": 0.25,  # police and probation: "known as" name, where one exists
    "dob_day_month_transposed": 0.04,  # of dates whose day is 12 or less (not day == month)
    "dob_year_off_by_one": 0.01,
    "nhs_number_invalid": 0.002,  # of NHS numbers recorded: check digit wrong
    "stale_postcode": 0.35,  # after a move within the area, the old address is still held
    "previous_area_postcode": 0.10,  # after arriving from the previous area
    "postcode_missing": 0.02,
    "relationship_recorded": 0.90,
    "flag_recorded": 0.90,
}
DOB_MISSING = {"REFUGE": 0.15, "FREEDOM": 0.25, "POLICE": 0.01, "PROBATION": 0.0}
DOB_MISSING_ELSEWHERE = 0.02
NHS_RECORDED = {"GP": 0.98, "HV": 0.97, "MIDWIFERY": 0.97, "HOSPITAL": 0.90, "AMH": 0.95,
                "CSC": 0.75, "CSC_PREV": 0.70, "EH": 0.50, "REFUGE": 0.15, "FREEDOM": 0.05,
                "POLICE": 0.02, "PROBATION": 0.03}
OTHER_NAMES_AGENCIES = ("CSC", "CSC_PREV", "MIDWIFERY", "POLICE", "PROBATION", "REFUGE")
_POLICING = ("POLICE", "PROBATION")
FLAG_AGENCIES = {
    "DA_VICTIM": ("POLICE", "REFUGE", "CSC", "CSC_PREV", "FREEDOM"),
    "DA_PERPETRATOR": ("POLICE", "PROBATION", "CSC"),
    "MAPPA_1": _POLICING, "MAPPA_2": _POLICING, "MAPPA_3": _POLICING,
    "VIOLENT_OFFENDER": _POLICING, "SEX_OFFENDER_REGISTERED": _POLICING,
    "SEXUAL_OFFENDER": _POLICING, "MENTAL_ILL_HEALTH": ("AMH", "GP"),
    "SUBSTANCE_MISUSE": ("AMH", "GP", "PROBATION"), "CARE_EXPERIENCED": ("CSC", "CSC_PREV"),
    "PREGNANT": ("MIDWIFERY", "GP"), "NOT_INDEPENDENTLY_MOBILE": ("HOSPITAL", "HV"),
    "CHILDHOOD_ADVERSITY": ("AMH",), "SOCIALLY_ISOLATED": ("HV", "AMH"),
}
_ALL_KINDS = ("MOTHER_OF", "FATHER_OF", "PARTNER_OF", "EX_PARTNER_OF", "HOUSEHOLD_MEMBER_OF",
              "SIBLING_OF", "GRANDPARENT_OF", "CARER_OF")
RELATIONSHIPS_RECORDED = {
    "CSC": _ALL_KINDS, "CSC_PREV": _ALL_KINDS, "EH": _ALL_KINDS,
    "MIDWIFERY": ("MOTHER_OF", "FATHER_OF", "PARTNER_OF"),
    "HV": ("MOTHER_OF", "FATHER_OF", "PARTNER_OF", "HOUSEHOLD_MEMBER_OF", "SIBLING_OF"),
    "GP": ("MOTHER_OF",), "HOSPITAL": ("MOTHER_OF", "FATHER_OF"),
    "POLICE": ("MOTHER_OF", "PARTNER_OF", "EX_PARTNER_OF", "FATHER_OF", "HOUSEHOLD_MEMBER_OF"),
    "PROBATION": ("PARTNER_OF", "EX_PARTNER_OF", "FATHER_OF", "HOUSEHOLD_MEMBER_OF"),
    "AMH": ("MOTHER_OF", "FATHER_OF", "PARTNER_OF"), "REFUGE": ("MOTHER_OF",),
}


# A true relationship: person, related person, code, valid from, valid to (days), details.
_Relationship = tuple[Person, Person, str, int | None, int | None, Mapping[str, object]]


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    kind: str
    area_code: str


def load_agencies() -> list[Agency]:
    """The demo agencies, from the agencies.csv shipped in joinedup.demo."""
    text = resources.files("joinedup.demo").joinpath("agencies.csv").read_text("utf-8")
    return [Agency(row["code"], row["name"], row["kind"], row["area_code"])
            for row in csv.DictReader(io.StringIO(text))]


@dataclass(frozen=True)
class PopulationSummary:
    """What :func:`generate_population` wrote."""

    out_dir: Path
    seed: int
    families: int
    people: int  # real people (true_person_id values) with at least one agency record
    rows: dict[str, dict[str, int]]  # agency code -> table -> rows written (headers excluded)
    ground_truth_path: Path
    concerning_families: tuple[str, ...]  # family_id values with the concerning pattern

    def total(self, table: str) -> int:
        """Rows written to ``table`` (people, events or relationships) over all agencies."""
        return sum(tables[table] for tables in self.rows.values())


def generate_population(out_dir: Path, families: int, seed: int, *,
                        events_per_family: int | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        ) -> PopulationSummary:
    """Write a synthetic population of ``families`` families as agency returns in ``out_dir``.

    ``events_per_family`` makes every family have (at least) that many events, for
    benchmarks; by default the number follows from the families' lives (about 25 each).
    ``progress(done, families)`` is called about a hundred times.
    """
    if families < 0:
        raise ValueError("families must be 0 or more")
    if events_per_family is not None and events_per_family < 0:
        raise ValueError("events_per_family must be 0 or more")
    out_dir = Path(out_dir)
    agencies = load_agencies()
    areas = {agency.code: agency.area_code for agency in agencies}
    home, previous = areas.get("CSC", "E08000007"), areas.get("CSC_PREV", "E08000003")
    postcode_areas = {area: POSTCODE_AREAS.get(area, ("SK", 1, 8)) for area in (home, previous)}
    rng = Random(seed)  # noqa: S311 - seeded draws of synthetic demo families, never a secret
    builder = FamilyBuilder(rng, postcode_areas, home, previous)
    concerning: list[str] = []
    people = 0
    step = max(1, families // 100)
    with _Returns(out_dir, agencies, rng) as returns:
        events = EventWriter(rng, returns.write, returns.event_id, events_per_family, home,
                             previous)
        writer = _Records(rng, returns, events)
        if progress:
            progress(0, families)
        for done in range(1, families + 1):
            fam = builder.build(f"F{done:06d}")
            plan_services(rng, fam)
            people += writer.family(fam)
            if fam.concerning:
                concerning.append(fam.fid)
            if progress and (done % step == 0 or done == families):
                progress(done, families)
    _write_concerning(out_dir / "concerning_families.csv", concerning)
    return PopulationSummary(out_dir, seed, families, people, returns.rows,
                             out_dir / "ground_truth.csv", tuple(concerning))


def _write_concerning(path: Path, families: list[str]) -> None:
    """Which families have the concerning pattern, beside the ground truth: what the alert
    burden (joinedup alerts burden) measures the rules against."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["family_id"])
        writer.writerows([family] for family in families)


class _Returns(ReturnFiles):
    """The open CSV files of every agency's return and of the ground truth, with counts."""

    def __init__(self, out_dir: Path, agencies: list[Agency], rng: Random) -> None:
        self.rng = rng
        super().__init__(out_dir, [agency.code for agency in agencies], GROUND_TRUTH_COLUMNS)
        self._numbers = dict.fromkeys(self.codes, 0)
        self._events = dict.fromkeys(self.codes, 0)
        self._prefix = {code: PERSON_ID_SCHEME.get(code, (code[:3].upper() + "P", 6))
                        for code in self.codes}

    def person_id(self, agency: str) -> str:
        self._numbers[agency] += 1 + (self.rng.random() < 0.3)  # gaps, as real systems have
        prefix, digits = self._prefix[agency]
        return f"{prefix}{self._numbers[agency]:0{digits}d}"

    def event_id(self, agency: str) -> str:
        self._events[agency] += 1
        return f"{self._prefix[agency][0][:-1]}E{self._events[agency]:08d}"


class _Records:
    """Turns one true family into agency records: people, relationships, events, truth."""

    def __init__(self, rng: Random, returns: _Returns, events: EventWriter) -> None:
        self.rng, self.returns, self.events = rng, returns, events

    def family(self, fam: Family) -> int:
        ids: dict[str, dict[str, str]] = {}
        known: dict[str, None] = {}
        for agency in self.returns.codes:
            for person in fam.people:
                if agency in person.agencies:
                    pid = self.returns.person_id(agency)
                    ids.setdefault(agency, {})[person.tid] = pid
                    known[person.tid] = None
                    self.returns.write(agency, "people", self._person(agency, pid, person, fam))
                    self.returns.truth.writerow([agency, pid, person.tid, person.role, fam.fid])
        self._relationships(fam, ids)
        self.events.family(fam, ids)
        return len(known)

    def _person(self, agency: str, pid: str, p: Person, fam: Family) -> list[str]:
        rng, rate = self.rng, NOISE_RATES
        given, surname, other = p.given, p.surname, []
        if p.dob is None:
            given = ""  # an unborn baby has no given name yet
        elif agency == "MIDWIFERY" and p.role == "CHILD":
            given = "Baby"  # maternity records the newborn as "Baby <surname>"
        else:
            r = rng.random()
            if r < rate["given_name_variant"]:
                given = names.variant(rng, given, p.sex)
            elif r < rate["given_name_variant"] + rate["given_name_typo"]:
                given = names.typo(rng, given)
        if p.maiden:
            alternative = p.maiden
            if rng.random() < rate["maiden_name_as_family_name"]:
                surname, alternative = p.maiden, p.surname
            if agency in OTHER_NAMES_AGENCIES and rng.random() < rate["other_names_recorded"]:
                other.append(alternative)
        if agency in _POLICING and p.given in names.VARIANTS.get(p.sex, {}) and (
                rng.random() < rate["alias_recorded"]):
            other.append(f"{names.variant(rng, p.given, p.sex)} {p.surname}")
        if rng.random() < rate["family_name_typo"]:
            surname = names.typo(rng, surname)
        nhs = ""
        if p.nhs and rng.random() < NHS_RECORDED.get(agency, 0.5):
            nhs = p.nhs
            if rng.random() < rate["nhs_number_invalid"]:
                nhs = nhs[:9] + str((int(nhs[9]) + rng.randint(1, 9)) % 10)
        postcode, address = self._address(agency, p, fam)
        flags = [t for t in p.traits
                 if agency in FLAG_AGENCIES.get(t, ()) and rng.random() < rate["flag_recorded"]]
        return [pid, given, surname, ";".join(other), self._dob(agency, p), p.sex, nhs,
                postcode, address, "", ";".join(flags)]  # no UPRN: the demo's homes have none

    def _dob(self, agency: str, p: Person) -> str:
        if p.dob is None:
            return ""
        if agency == "MIDWIFERY" and p.role == "CHILD":
            return iso_day(p.dob)
        rng, rate = self.rng, NOISE_RATES
        if rng.random() < DOB_MISSING.get(agency, DOB_MISSING_ELSEWHERE):
            return ""
        d = noisy = date.fromordinal(p.dob)
        if d.day <= 12 and d.day != d.month and rng.random() < rate["dob_day_month_transposed"]:
            noisy = date(d.year, d.day, d.month)
        elif rng.random() < rate["dob_year_off_by_one"]:
            day = min(d.day, 28) if d.month == 2 else d.day
            noisy = date(d.year + rng.choice((-1, 1)), d.month, day)
        return (noisy if noisy.toordinal() <= LAST_DAY else d).isoformat()

    def _address(self, agency: str, p: Person, fam: Family) -> tuple[str, str]:
        rng, rate = self.rng, NOISE_RATES
        home = p.home
        if p.household:
            if agency == "CSC_PREV" and fam.prev_home:
                home = fam.prev_home
            elif fam.old_home and rng.random() < rate["stale_postcode"]:
                home = fam.old_home
            elif fam.prev_home and rng.random() < rate["previous_area_postcode"]:
                home = fam.prev_home
        if rng.random() < rate["postcode_missing"]:
            return "", ""
        return home

    def _relationships(self, fam: Family, ids: dict[str, dict[str, str]]) -> None:
        rng, rate = self.rng, NOISE_RATES["relationship_recorded"]
        truth = self._true_relationships(fam)
        for agency, people in ids.items():
            kinds = RELATIONSHIPS_RECORDED.get(agency, ())
            for a, b, kind, since, until, details in truth:
                if kind in kinds and a.tid in people and b.tid in people and rng.random() < rate:
                    self.returns.write(agency, "relationships", [
                        people[a.tid], people[b.tid], kind, iso_day(since) if since else "",
                        iso_day(until) if until else "", json.dumps(details) if details else ""])

    def _true_relationships(self, fam: Family) -> list[_Relationship]:
        rng = self.rng
        mother, father, partner, grandparent = (fam.mother, fam.father, fam.partner,
                                                fam.grandparent)
        kids = fam.children
        born = [c.dob for c in kids if c.dob is not None] or [LAST_DAY]
        rels: list[_Relationship] = []
        da: dict[str, object] = {"domestic_abuse": "perpetrator"}
        partner_since = 0
        if partner:
            own = [c.dob or LAST_DAY for c in kids if c.father is partner]
            partner_since = (own[0] - rng.randint(300, 900) if own
                             else min(LAST_DAY, max(born) + rng.randint(30, 900)))
            rels.append((partner, mother, "PARTNER_OF", partner_since, None,
                         {"lives_with": True} | (da if fam.perpetrator is partner else {})))
        if father:
            since = min(born) - rng.randint(300, 2000)
            details = {"lives_with": father.household} | (da if fam.perpetrator is father else {})
            if fam.together:
                rels.append((father, mother, "PARTNER_OF", since, None, details))
            else:
                until = min(LAST_DAY, max(born) + rng.randint(60, 900))
                if partner_since:
                    until = min(until, partner_since - rng.randint(0, 200))
                rels.append((father, mother, "EX_PARTNER_OF", since, max(until, since), details))
        parent = {"parental_responsibility": True, "lives_with": True}
        for i, child in enumerate(kids):
            rels.append((mother, child, "MOTHER_OF", child.dob, None, parent))
            dad = child.father
            if dad is not None:
                rels.append((dad, child, "FATHER_OF", child.dob, None,
                             {"parental_responsibility": True, "lives_with": dad.household}))
            if partner and dad is not partner:
                rels.append((partner, child, "HOUSEHOLD_MEMBER_OF",
                             max(partner_since, child.dob or 0) or None, None, {}))
            if grandparent:
                rels.append((grandparent, child, "GRANDPARENT_OF", child.dob, None,
                             {"lives_with": grandparent.household}))
                if grandparent.household:
                    rels.append((grandparent, child, "CARER_OF", child.dob, None, {}))
            for younger in kids[:i]:
                half = {"half_sibling": True} if younger.father is not dad else {}
                rels.append((child, younger, "SIBLING_OF", None, None, half))
        return rels
