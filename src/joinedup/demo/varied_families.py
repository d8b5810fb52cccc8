"""Who is in each family of the varied population, where they live, and which agencies know
them (varied_population.py writes their records).

A family is a mother, a father in most, one to four children (twins in some), of one
name-origin group or, for some couples, two. Rates are ``FAMILY_RATES``; the model is in
docs/population-generator.md ("The second generator").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from random import Random

from joinedup.demo.varied_names import FAMILY, FEMALE, FEMININE_SURNAMES, MALE, NAME_ORIGINS
from joinedup.nhs_check_digit import check_digit as nhs_check_digit

LAST_DAY = date(2026, 10, 31)
FAMILY_RATES = {
    "mixed_couple": 0.12,  # the father of another name-origin group
    "father_known": 0.80,
    "married": 0.50,  # of known fathers: the mother took his surname (a name change)
    "double_barrelled": 0.08,  # of English fathers' surnames: Ashworth-Clarke
    "hyphenated_child": 0.15,  # of children of unmarried parents: Mother-Father
    "twins": 0.05,  # of families with children
    "deed_poll": 0.015,  # of adults: a new surname of the same group
    "moved": 0.20,  # of families: a new postcode and address in the area
}
AGENCY_RATES = {
    "GP": 0.95, "HOSPITAL": 0.45, "CSC_family": 0.22, "EH_family": 0.15,
    "POLICE_adult": 0.12, "POLICE_adult_known_to_csc": 0.30, "POLICE_child_known_to_csc": 0.10,
    "HOSPITAL_duplicate": 0.03,  # a second hospital record for the same person
}
AGENCIES = ("GP", "HOSPITAL", "CSC", "EH", "POLICE")
STREETS = ("Mill", "Church", "Station", "Park", "Victoria", "Green", "Chapel", "Manor",
           "Highfield", "Moss", "Brook", "Hawthorn", "Beech", "Kingsway", "Heaton", "Bramhall",
           "Marple", "Offerton", "Reddish", "Cheadle", "Hazel", "Bredbury", "Woodford", "Romiley")
STREET_KINDS = ("Road", "Street", "Avenue", "Lane", "Close", "Drive", "Grove", "Crescent")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class Home:
    postcode: str
    number: int
    street: str  # "Mill Road"
    flat: int | None


@dataclass
class VariedPerson:
    tid: str
    role: str  # MOTHER, FATHER, CHILD
    sex: str
    given: str
    surname: str
    dob: date
    nhs: str
    origin: str  # the name-origin group of the given name
    home: Home
    old_surname: str = ""  # before marriage or deed poll
    old_home: Home | None = None  # before the family moved
    agencies: list[str] = field(default_factory=list)  # one entry per record (repeats)


@dataclass
class VariedFamily:
    fid: str
    people: list[VariedPerson]
    mother: VariedPerson
    father: VariedPerson | None
    together: bool


class VariedFamilyBuilder:
    """Draws families one at a time from one seeded random source."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.people = 0
        self.nhs_numbers = 0

    def build(self, fid: str) -> VariedFamily:
        rng = self.rng
        origin = _weighted(rng, NAME_ORIGINS)
        home = self._home()
        mother = self._person("MOTHER", "F", origin, self._surname(origin, "F"),
                              self._adult_dob(), home)
        father, together = None, False
        if rng.random() < FAMILY_RATES["father_known"]:
            father_origin = origin
            if rng.random() < FAMILY_RATES["mixed_couple"]:
                father_origin = rng.choice([g for g in NAME_ORIGINS if g != origin])
            together = rng.random() < 0.75
            father = self._person("FATHER", "M", father_origin, self._surname(father_origin, "M"),
                                  self._adult_dob(), home if together else self._home())
            if together and rng.random() < FAMILY_RATES["married"]:
                mother.old_surname, mother.surname = mother.surname, _feminine(father.surname)
        people = [mother] + ([father] if father else [])
        people += self._children(mother, father, together, home)
        for person in people:
            if person.role != "CHILD" and rng.random() < FAMILY_RATES["deed_poll"]:
                person.old_surname = person.surname
                person.surname = self._surname(person.origin, person.sex)
        if rng.random() < FAMILY_RATES["moved"]:
            old = self._home()
            for person in people:
                if person.home is home:
                    person.old_home = old
        _place(rng, people)
        return VariedFamily(fid, people, mother, father, together)

    def _children(self, mother: VariedPerson, father: VariedPerson | None, together: bool,
                  home: Home) -> list[VariedPerson]:
        rng = self.rng
        first = date.fromordinal(max(mother.dob.toordinal() + 18 * 365,
                                     LAST_DAY.toordinal() - 17 * 365))
        span = LAST_DAY.toordinal() - first.toordinal()
        if span <= 0:
            return []
        count = rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        dobs = sorted(date.fromordinal(first.toordinal() + rng.randrange(span))
                      for _ in range(count))
        if rng.random() < FAMILY_RATES["twins"]:
            dobs.append(rng.choice(dobs))
        surname = mother.surname
        if father and (together and mother.old_surname):
            surname = father.surname
        elif father:
            r = rng.random()
            if r < FAMILY_RATES["hyphenated_child"]:
                surname = f"{mother.surname}-{father.surname}"
            elif r < 0.75:
                surname = father.surname
        children: list[VariedPerson] = []
        for dob in dobs:
            sex = rng.choice("MF")
            origin = father.origin if father and rng.random() < 0.5 else mother.origin
            child = self._person("CHILD", sex, origin, _feminine(surname) if sex == "F"
                                 else _masculine(surname), dob, home)
            while any(c.dob == dob and c.given == child.given for c in children):
                child.given = rng.choice((MALE if sex == "M" else FEMALE)[origin])
            children.append(child)
        return children

    def _person(self, role: str, sex: str, origin: str, surname: str, dob: date,
                home: Home) -> VariedPerson:
        self.people += 1
        names = (MALE if sex == "M" else FEMALE)[origin]
        return VariedPerson(f"V{self.people:08d}", role, sex, _pick(self.rng, names), surname,
                            dob, self._nhs(), origin, home)

    def _surname(self, origin: str, sex: str) -> str:
        rng = self.rng
        surname = _pick(rng, FAMILY[origin])
        if origin == "English" and rng.random() < FAMILY_RATES["double_barrelled"]:
            surname = f"{surname}-{rng.choice([s for s in FAMILY[origin] if s != surname])}"
        return _feminine(surname) if sex == "F" else surname

    def _adult_dob(self) -> date:
        return date.fromordinal(date(1972, 1, 1).toordinal() + self.rng.randrange(33 * 365))

    def _home(self) -> Home:
        rng = self.rng
        inward = f"{rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        street = f"{rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
        flat = rng.randint(1, 12) if rng.random() < 0.15 else None
        return Home(f"SK{rng.randint(1, 8)} {inward}", rng.randint(1, 180), street, flat)

    def _nhs(self) -> str:
        """A valid NHS number, unique in the run, 800 to 899 first (unlike the demo's)."""
        while True:
            self.nhs_numbers += 1
            nine = f"{800000000 + self.nhs_numbers * 7:09d}"
            check = nhs_check_digit(nine)
            if check is not None:
                return nine + str(check)


def _place(rng: Random, people: list[VariedPerson]) -> None:
    """Which agencies hold a record of each person (a person may be held twice)."""
    rate = AGENCY_RATES
    csc = rng.random() < rate["CSC_family"]
    early_help = not csc and rng.random() < rate["EH_family"]
    for p in people:
        adult = p.role != "CHILD"
        held = [a for a, share in (("GP", rate["GP"]), ("HOSPITAL", rate["HOSPITAL"]))
                if rng.random() < share]
        if csc and rng.random() < (0.6 if p.role == "FATHER" else 0.95):
            held.append("CSC")
        if early_help and rng.random() < (0.4 if p.role == "FATHER" else 0.9):
            held.append("EH")
        police = (rate["POLICE_adult_known_to_csc"] if csc else rate["POLICE_adult"]) if adult \
            else (rate["POLICE_child_known_to_csc"] if csc else 0.0)
        if rng.random() < police:
            held.append("POLICE")
        if "HOSPITAL" in held and rng.random() < rate["HOSPITAL_duplicate"]:
            held.append("HOSPITAL")
        p.agencies = [a for a in AGENCIES for h in held if h == a] or ["GP"]


def _weighted(rng: Random, shares: Mapping[str, float]) -> str:
    items = list(shares.items())
    return rng.choices([k for k, _ in items], [v for _, v in items])[0]


def _pick(rng: Random, names: Sequence[str]) -> str:
    """Earlier names more common: the n-th name drawn with weight 1 / (n + 2)."""
    return rng.choices(names, [1 / (i + 2) for i in range(len(names))])[0]


def _feminine(surname: str) -> str:
    return "-".join(FEMININE_SURNAMES.get(part, part) for part in surname.split("-"))


def _masculine(surname: str) -> str:
    male = {v: k for k, v in FEMININE_SURNAMES.items()}
    return "-".join(male.get(part, part) for part in surname.split("-"))
