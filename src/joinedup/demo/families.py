"""The true population behind the synthetic agency returns: families, people and their lives.

Nothing here is what an agency recorded. :class:`FamilyBuilder` draws one family at a time:
who is in it, names, dates of birth, NHS numbers, homes and moves, domestic abuse, offending
and mental health. ``services.py`` then decides which services know each person,
``population.py`` turns the people into agency records with noise, and ``events.py`` writes
what each agency recorded happening.

Days are ``date.toordinal()`` integers. Every draw comes from the one ``random.Random`` the
builder is given, in a fixed order, so a seed always gives the same families.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from random import Random

from joinedup.demo import names
from joinedup.nhs_check_digit import check_digit as nhs_check_digit

REFERENCE_DAY = date(2026, 11, 26).toordinal()  # "today" for ages
FIRST_DAY = date(2019, 1, 1).toordinal()  # the first day events can happen
LAST_DAY = date(2026, 10, 31).toordinal()  # the last day events can happen
HV_BORN_FROM = date(2014, 1, 1).toordinal()  # born later: under 5 at some point since 2019
YEAR = 365
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_NHS_FIRST, _NHS_COUNT = 900_000_000, 99_000_000  # nine-digit stems of generated NHS numbers
_RECENT = 64  # how many recent people are remembered to make cross-family lookalikes

# Family-level rates (documented in docs/population-generator.md).
FAMILY_RATES = {
    "concerning": 0.02, "father_known": 0.85, "parents_together": 0.82, "married": 0.5,
    "twins": 0.03, "unborn": 0.06, "grandparent": 0.12, "junior": 0.02,
    "cousin_namesake": 0.03, "adult_namesake": 0.01, "moved_from_previous_area": 0.05,
    "moved_within_area": 0.10, "domestic_abuse": 0.05, "csc": 0.06, "early_help": 0.05,
}


@dataclass(slots=True, eq=False)
class Person:
    tid: str
    role: str  # CHILD, UNBORN, MOTHER, FATHER, PARTNER_OF_PARENT, GRANDPARENT
    sex: str
    given: str
    surname: str
    dob: int | None  # None for an unborn baby
    nhs: str = ""
    maiden: str = ""  # a married mother's birth surname
    father: Person | None = None
    household: bool = True
    home: tuple[str, str] = ("", "")
    traits: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    offender: bool = False
    licence: tuple[int, int] | None = None


@dataclass(slots=True, eq=False)
class Family:
    fid: str
    mother: Person
    father: Person | None
    together: bool
    partner: Person | None
    children: list[Person]
    grandparent: Person | None
    home: tuple[str, str]
    concerning: bool
    start: int = FIRST_DAY  # first day home-area agencies can know the family
    old_home: tuple[str, str] | None = None  # moved within the area on move_day
    move_day: int = 0
    prev_home: tuple[str, str] | None = None  # moved in from the previous area on start
    prev_csc: tuple[int, int] | None = None
    csc: tuple[int, int] | None = None
    csc_outcome: str = ""  # NFA, CIN, STEP_DOWN, CLOSE, TRANSFER (then as above)
    eh: tuple[int, int] | None = None
    perpetrator: Person | None = None
    da_days: list[int] = field(default_factory=list)
    refuge: int = 0
    freedom: int = 0
    infant: Person | None = None  # the injured infant of a concerning family
    injury: int = 0

    @property
    def people(self) -> list[Person]:
        adults = [self.mother, self.father, self.partner, self.grandparent]
        return [p for p in adults if p is not None] + self.children


class FamilyBuilder:
    def __init__(self, rng: Random, postcode_areas: dict[str, tuple[str, int, int]],
                 home_area: str, previous_area: str) -> None:
        self.rng = rng
        self.picker = names.NamePicker()
        self.areas = postcode_areas
        self.home_area, self.previous_area = home_area, previous_area
        self._people = 0
        self._nhs_n = 0
        self._nhs_offset = rng.randrange(_NHS_COUNT)
        self._recent_children: list[tuple[str, str, str, int]] = []
        self._recent_adults: list[tuple[str, str, str, int]] = []
        self._remembered = 0

    # -- identifiers, homes ---------------------------------------------------------------
    def _tid(self) -> str:
        self._people += 1
        return f"T{self._people:08d}"

    def _nhs(self) -> str:
        """A valid NHS number, never the same twice in a run (a permutation of a counter).

        The first nine digits run from 900000000 to 998999999: outside the ranges issued in
        England and Wales (4xx, 6xx, 7xx) and outside the 999 test range that the embedded
        Baby S scenario uses, so a generated number never clashes with the scenario's.
        """
        while True:
            self._nhs_n += 1
            nine = str(_NHS_FIRST + (self._nhs_n * 179_424_673 + self._nhs_offset) % _NHS_COUNT)
            check = nhs_check_digit(nine)
            if check is not None:
                return nine + str(check)

    def home(self, area: str) -> tuple[str, str]:
        rng = self.rng
        letters, low, high = self.areas[area]
        district = rng.randint(low, high)
        inward = f"{rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        town = names.SK_TOWNS.get(district, "Stockport") if letters == "SK" else "Manchester"
        street = f"{rng.choice(names.STREETS)} {rng.choice(names.STREET_KINDS)}"
        return f"{letters}{district} {inward}", f"{rng.randint(1, 180)} {street}, {town}"

    # -- the family -----------------------------------------------------------------------
    def build(self, fid: str) -> Family:
        rng, pick, rate = self.rng, self.picker, FAMILY_RATES
        concerning = rng.random() < rate["concerning"]
        origin = pick.origin(rng)
        m_origin = origin if rng.random() < 0.85 else pick.origin(rng)
        fs, ms = pick.surname(rng, origin), pick.surname(rng, m_origin)
        father_known = concerning or rng.random() < rate["father_known"]
        together = father_known and (concerning or rng.random() < rate["parents_together"])
        partner_new = not together and rng.random() < (0.6 if father_known else 0.3)

        ages = self._child_ages(concerning)
        twins = len(ages) >= 2 and ages[0] == ages[1]
        unborn = not concerning and ages[0] >= 300 and rng.random() < rate["unborn"]
        oldest = ages[-1]
        m_age = max(min(oldest + rng.randint(17 * YEAR, 36 * YEAR), ages[0] + 44 * YEAR),
                    oldest + 16 * YEAR)
        f_age = max(m_age + rng.randint(-3 * YEAR, 8 * YEAR), oldest + 17 * YEAR)
        m_given, f_given = pick.given(rng, "F", m_origin), pick.given(rng, "M", origin)

        look = rng.random()
        cousin = None
        if look < rate["cousin_namesake"] and self._recent_children and father_known and not twins:
            cousin = rng.choice(self._recent_children)
            fs = cousin[0]
        elif look < rate["cousin_namesake"] + rate["adult_namesake"] and self._recent_adults:
            surname, given, sex, dob = rng.choice(self._recent_adults)
            age = REFERENCE_DAY - dob
            if sex == "M" and father_known and age >= oldest + 17 * YEAR:
                fs, f_given, f_age = surname, given, age
            elif sex == "F" and oldest + 16 * YEAR <= age <= ages[0] + 44 * YEAR:
                ms, m_given, m_age = surname, given, age

        married = together and rng.random() < rate["married"]
        m_base = fs if married or (father_known and not together and rng.random() < 0.25) else ms
        mother = Person(self._tid(), "MOTHER", "F", m_given, names.gendered(m_base, "F"),
                        REFERENCE_DAY - m_age, self._nhs(),
                        maiden=names.gendered(ms, "F") if m_base != ms else "")
        father = None
        if father_known:
            father = Person(self._tid(), "FATHER", "M", f_given, fs, REFERENCE_DAY - f_age,
                            self._nhs(), household=together)
        partner = self._new_partner(m_age) if partner_new else None
        c_base = fs if father_known and (m_base == fs or rng.random() < 0.55) else m_base
        children = self._children(ages, unborn, c_base, origin, m_origin, father, partner)
        if cousin is not None:
            self._make_cousin(children, cousin)
        if father and rng.random() < rate["junior"]:
            self._name_a_junior(father, children, fs)
        grandparent = self._grandparent(mother, father, ms, fs, m_origin, origin)
        fam = Family(fid, mother, father, together, partner, children, grandparent,
                     self.home(self.home_area), concerning)
        self._house(fam)
        self._life_events(fam)
        self._remember(fam)
        return fam

    def _new_partner(self, m_age: int) -> Person:
        """The mother's new partner, of any origin, about her age and at least 18."""
        rng, pick = self.rng, self.picker
        p_origin = pick.origin(rng)
        p_age = max(m_age + rng.randint(-5 * YEAR, 9 * YEAR), 18 * YEAR)
        return Person(self._tid(), "PARTNER_OF_PARENT", "M",
                      pick.given(rng, "M", p_origin), pick.surname(rng, p_origin),
                      REFERENCE_DAY - p_age, self._nhs())

    @staticmethod
    def _name_a_junior(father: Person, children: list[Person], surname: str) -> None:
        """The eldest son with the father's surname (born, not expected) is given the
        father's given name."""
        sons = [c for c in children
                if c.sex == "M" and c.surname == surname and c.dob is not None]
        if sons:
            sons[-1].given = father.given

    def _house(self, fam: Family) -> None:
        """The household's members live at the family's home; anyone else without a home
        is given one of their own."""
        for person in fam.people:
            if person.household:
                person.home = fam.home
            elif person.home == ("", ""):
                person.home = self.home(self.home_area)

    def _child_ages(self, concerning: bool) -> list[int]:
        rng = self.rng
        n = rng.choices((1, 2, 3, 4), cum_weights=(35, 70, 90, 100))[0]
        if concerning:
            first = rng.randint(date(2019, 9, 1).toordinal(), LAST_DAY - 160)
            youngest = REFERENCE_DAY - first
        else:
            r = rng.random()
            low, high = ((REFERENCE_DAY - LAST_DAY, 730) if r < 0.35 else (730, 1825)
                         if r < 0.6 else (1825, 3650) if r < 0.85 else (3650, 6400))
            youngest = rng.randint(low, high)
        ages = [youngest]
        while len(ages) < n:
            age = ages[-1] + rng.randint(330, 2200)
            if age > 6500:
                break
            ages.append(age)
        if len(ages) >= 2 and rng.random() < FAMILY_RATES["twins"]:
            ages[1] = ages[0]
        return ages

    def _children(self, ages: list[int], unborn: bool, base: str, origin: str,
                  m_origin: str, father: Person | None, partner: Person | None) -> list[Person]:
        rng, pick = self.rng, self.picker
        children: list[Person] = []
        used: list[str] = []
        for age in ages:
            sex = "M" if rng.random() < 0.5 else "F"
            c_origin = origin if rng.random() < 0.8 else m_origin
            given = pick.given(rng, sex, c_origin)
            for _ in range(5):
                if given not in used:
                    break
                given = pick.given(rng, sex, c_origin)
            used.append(given)
            children.append(Person(self._tid(), "CHILD", sex, given, names.gendered(base, sex),
                                   REFERENCE_DAY - age, self._nhs(), father=father))
        if partner and len(children) >= 2 and rng.random() < 0.35:
            youngest = children[0]
            youngest.father = partner
            youngest.surname = names.gendered(
                partner.surname if rng.random() < 0.5 else base, youngest.sex)
        if unborn:
            children.insert(0, Person(self._tid(), "UNBORN", "U", "", names.gendered(base, "M"),
                                      None, father=partner if partner else father))
        return children

    def _make_cousin(self, children: list[Person], cousin: tuple[str, str, str, int]) -> None:
        """Give the oldest child a recent child's given and family name, at another age."""
        _surname, given, sex, dob = cousin
        child = children[-1]
        if child.dob is None or any(c.given == given for c in children):
            return
        if abs(child.dob - dob) < 400:
            shifted = [d for d in (dob - 2 * YEAR, dob + 2 * YEAR)
                       if REFERENCE_DAY - 6500 <= d <= REFERENCE_DAY]
            if not shifted:
                return
            child.dob = shifted[0]
        child.sex, child.given = sex, given
        child.surname = names.gendered(_surname, sex)

    def _grandparent(self, mother: Person, father: Person | None, ms: str, fs: str,
                     m_origin: str, origin: str) -> Person | None:
        rng = self.rng
        if rng.random() >= FAMILY_RATES["grandparent"]:
            return None
        assert mother.dob is not None  # noqa: S101 - narrows the type: every drawn mother has a date of birth
        if father is not None and father.dob is not None and rng.random() < 0.35:
            dob = father.dob - rng.randint(20 * YEAR, 32 * YEAR)
            given, sex, surname = self.picker.given(rng, "M", origin), "M", fs
        else:
            dob = mother.dob - rng.randint(18 * YEAR, 30 * YEAR)
            given, sex, surname = self.picker.given(rng, "F", m_origin), "F", ms
        return Person(self._tid(), "GRANDPARENT", sex, given, names.gendered(surname, sex), dob,
                      self._nhs(), household=rng.random() < 0.3)

    def _remember(self, fam: Family) -> None:
        """Keep a few recent people so later families can hold their namesakes."""
        slot = self._remembered % _RECENT
        self._remembered += 1
        for child in fam.children:
            if child.dob is not None and child.role == "CHILD":
                _put(self._recent_children, slot,
                     (_base(child.surname), child.given, child.sex, child.dob))
                break
        for adult in (fam.mother, fam.father):
            if adult and adult.dob and _base(adult.surname) in names.COMMON_SURNAMES:
                _put(self._recent_adults, slot,
                     (_base(adult.surname), adult.given, adult.sex, adult.dob))
                break

    # -- what happens to the family ------------------------------------------------------
    def _life_events(self, fam: Family) -> None:
        rng, rate = self.rng, FAMILY_RATES
        mother, father, partner = fam.mother, fam.father, fam.partner
        if fam.concerning:
            fam.infant = infant = fam.children[0]
            assert infant.dob is not None  # noqa: S101 - narrows the type: every drawn child has a date of birth
            fam.injury = infant.dob + rng.randint(60, min(270, LAST_DAY - infant.dob))
        arrival = 0
        if rng.random() < (0.3 if fam.concerning else rate["moved_from_previous_area"]):
            arrival = (fam.infant.dob - rng.randint(120, 240) if fam.infant and fam.infant.dob
                       else rng.randint(FIRST_DAY + 400, LAST_DAY - 150))
        if arrival >= FIRST_DAY + 200:
            fam.start, fam.prev_home = arrival, self.home(self.previous_area)
            fam.prev_csc = (arrival - rng.randint(90, 600), arrival - rng.randint(0, 20))
        if rng.random() < rate["moved_within_area"]:
            fam.old_home, fam.move_day = fam.home, rng.randint(fam.start + 100, LAST_DAY - 20)
            for person in fam.people:
                if person.household:
                    person.home = fam.home = self.home(self.home_area)
        # domestic abuse, offending, health
        fam.perpetrator = father if father and (fam.concerning or fam.together) else (
            partner or father)
        if fam.perpetrator and (fam.concerning or rng.random() < rate["domestic_abuse"]):
            if fam.infant and fam.infant.dob:
                high = fam.injury - 10
                low = min(max(fam.infant.dob - 300, fam.start), high)  # a family met late
            else:
                low, high = fam.start, LAST_DAY
            count = rng.randint(2, 4) if fam.concerning else rng.randint(1, 3)
            fam.da_days = sorted(rng.randint(low, high) for _ in range(count))
            mother.traits.append("DA_VICTIM")
            fam.perpetrator.traits.append("DA_PERPETRATOR")
            if fam.concerning and fam.prev_home or rng.random() < 0.25:
                fam.refuge = fam.start if fam.prev_home else fam.da_days[-1] + rng.randint(1, 14)
            if rng.random() < (0.6 if fam.concerning else 0.3):
                fam.freedom = max(fam.da_days[0], fam.start) + rng.randint(30, 150)
        else:
            fam.perpetrator = None
        for adult in (mother, father, partner):
            if adult is not None:
                self._adult_traits(fam, adult)
        for child in fam.children:
            if child.dob is not None and REFERENCE_DAY - child.dob < 183:
                child.traits.append("NOT_INDEPENDENTLY_MOBILE")
        if fam.children[0].role == "UNBORN":
            mother.traits.append("PREGNANT")

    def _adult_traits(self, fam: Family, adult: Person) -> None:
        rng, traits = self.rng, adult.traits
        perp = adult is fam.perpetrator
        adult.offender = perp or rng.random() < (0.08 if adult.sex == "M" else 0.02)
        if adult.offender and (perp and fam.concerning or rng.random() < (0.3 if perp else 0.35)):
            if fam.concerning:
                end = fam.injury - rng.randint(20, 45)
                adult.licence = (end - rng.randint(150, 400), end)
            else:
                begin = rng.randint(FIRST_DAY - 200, LAST_DAY - 60)
                adult.licence = (begin, begin + rng.randint(180, 730))
            if fam.concerning or rng.random() < 0.3:
                traits.append(f"MAPPA_{rng.choices((1, 2, 3), cum_weights=(70, 95, 100))[0]}")
        if adult.offender and rng.random() < (0.6 if perp else 0.3):
            traits.append("VIOLENT_OFFENDER")
        if adult.offender and adult.sex == "M" and rng.random() < (
                0.5 if perp and fam.concerning else 0.03):
            traits += ["SEX_OFFENDER_REGISTERED", "SEXUAL_OFFENDER"]
        mother = adult is fam.mother
        if rng.random() < (0.6 if fam.concerning and mother else 0.08 if mother else 0.04):
            traits.append("MENTAL_ILL_HEALTH")
        if rng.random() < (0.15 if adult.offender else 0.03):
            traits.append("SUBSTANCE_MISUSE")
        if mother:
            for trait, usual in (("CARE_EXPERIENCED", 0.04), ("CHILDHOOD_ADVERSITY", 0.05),
                                 ("SOCIALLY_ISOLATED", 0.05)):
                if rng.random() < (0.5 if fam.concerning else usual):
                    traits.append(trait)

def _put(ring: list[tuple[str, str, str, int]], slot: int, item: tuple[str, str, str, int]) -> None:
    if slot < len(ring):
        ring[slot] = item
    else:
        ring.append(item)


def _base(surname: str) -> str:
    return surname[:-1] + "i" if surname.endswith(("ska", "cka")) else surname
