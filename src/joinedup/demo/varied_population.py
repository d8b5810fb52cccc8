"""The varied population: a second synthetic population whose errors are unlike the demo's.

:func:`generate_varied_population` writes the same canonical returns as
``population.generate_population`` (``<out>/<CODE>/people.csv``, ``events.csv``,
``relationships.csv`` for five agencies, and ``<out>/ground_truth.csv``), so the linkage
benchmark and ``joinedup ingest`` take either. It is development data that was not used to
build the linkage model: names of seven origin groups, written with keyboard, phonetic and
text-recognition slips, other romanisations, dropped accents, halves of double-barrelled
names, nicknames, surnames changed by marriage or deed poll, old addresses after a move,
dates with day and month swapped, a digit wrong or not a date at all, missing values, full
address lines written many ways, and twins. ``ground_truth.csv`` adds each record's
``name_origin``, the ``errors`` made in it and the person's ``true_date_of_birth``.

    varied_names.py       names by origin group, and the other spellings of each
    varied_errors.py      the errors, one function each
    varied_families.py    who is in each family; which agencies know them
    varied_population.py  the records each agency holds, with their errors; the files

Everyone is invented; the same seed gives byte-identical files. docs/population-generator.md
("The second generator") gives the rates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from random import Random

from joinedup.demo import varied_errors as err
from joinedup.demo import varied_names
from joinedup.demo.population import GROUND_TRUTH_COLUMNS, PopulationSummary
from joinedup.demo.return_files import ReturnFiles
from joinedup.demo.varied_families import (
    AGENCIES,
    LAST_DAY,
    Home,
    VariedFamily,
    VariedFamilyBuilder,
    VariedPerson,
)

VARIED_GROUND_TRUTH_COLUMNS = (*GROUND_TRUTH_COLUMNS, "name_origin", "errors",
                               "true_date_of_birth")
ERROR_RATES = {
    "given_nickname": 0.12,  # of records whose given name has a nickname
    "given_transliteration": 0.35,  # of records whose given name has other romanisations
    "given_phonetic": 0.04,
    "given_diacritics": 0.50,  # of records whose given name has accents: they are dropped
    "given_keyboard": 0.03,
    "given_ocr": 0.02,
    "given_missing": 0.025,
    "name_order": 0.10,  # of records of Chinese-origin names: family name first
    "family_name_change": 0.35,  # of records of a person whose surname changed: the old one
    "family_transliteration": 0.30,
    "family_phonetic": 0.03,
    "family_diacritics": 0.45,
    "family_keyboard": 0.02,
    "family_ocr": 0.015,
    "dob_missing": 0.04,
    "dob_day_month_swap": 0.06,  # of dates whose swap is another real date
    "dob_digit_slip": 0.02,
    "dob_unparseable": 0.015,
    "postcode_missing": 0.04,
    "moved": 0.40,  # of records of a family that moved: the old postcode and address
}
NHS_RECORDED = {"GP": 0.95, "HOSPITAL": 0.90, "CSC": 0.70, "EH": 0.50, "POLICE": 0.05}
DOB_MISSING = {"POLICE": 0.10}
ABBREVIATIONS = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Lane": "Ln", "Close": "Cl",
                 "Drive": "Dr", "Grove": "Gr", "Crescent": "Cres"}
EVENT_OF_AGENCY = {"GP": "GP_REGISTRATION", "HOSPITAL": "ED_ATTENDANCE", "CSC": "CONTACT",
                   "EH": "EH_EPISODE_START", "POLICE": "INFO_SHARED"}
FIRST_EVENT_DAY = date(2019, 1, 1)


def generate_varied_population(out_dir: Path, families: int, seed: int, *,
                               progress: Callable[[int, int], None] | None = None,
                               ) -> PopulationSummary:
    """Write ``families`` families of the varied population as agency returns in ``out_dir``.

    ``progress(done, families)`` is called about a hundred times.
    """
    if families < 0:
        raise ValueError("families must be 0 or more")
    out_dir = Path(out_dir)
    rng = Random(seed)  # noqa: S311 - seeded draws of synthetic families, never a secret
    builder = VariedFamilyBuilder(rng)
    people = 0
    step = max(1, families // 100)
    with _VariedReturns(out_dir) as returns:
        writer = _VariedRecords(rng, returns)
        for done in range(1, families + 1):
            people += writer.family(builder.build(f"VF{done:06d}"))
            if progress and (done % step == 0 or done == families):
                progress(done, families)
    return PopulationSummary(out_dir, seed, families, people, returns.rows,
                             out_dir / "ground_truth.csv", ())


class _VariedReturns(ReturnFiles):
    """The open CSV files of the five agencies' returns and of the ground truth."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir, AGENCIES, VARIED_GROUND_TRUTH_COLUMNS)
        self._numbers = dict.fromkeys(AGENCIES, 0)

    def next_id(self, agency: str, kind: str) -> str:
        """``GPV000001`` for people, ``GPW00000001`` for events: unlike the demo's ids."""
        self._numbers[agency] += 1
        number = self._numbers[agency]
        return f"{agency[:2]}V{number:06d}" if kind == "person" else f"{agency[:2]}W{number:08d}"


class _VariedRecords:
    """One family's records at every agency that knows them, with their errors."""

    def __init__(self, rng: Random, returns: _VariedReturns) -> None:
        self.rng, self.returns = rng, returns

    def family(self, fam: VariedFamily) -> int:
        held: dict[str, dict[str, str]] = {}
        for agency in AGENCIES:
            for person in fam.people:
                for _ in range(person.agencies.count(agency)):
                    pid = self.returns.next_id(agency, "person")
                    held.setdefault(agency, {})[person.tid] = pid
                    row, errors = self._person(agency, pid, person)
                    self.returns.write(agency, "people", row)
                    self.returns.write(agency, "events", self._event(agency, pid, person))
                    self.returns.truth.writerow([agency, pid, person.tid, person.role, fam.fid,
                                                 person.origin, ";".join(errors),
                                                 person.dob.isoformat()])
        self._relationships(fam, held)
        return len(fam.people)

    def _person(self, agency: str, pid: str, p: VariedPerson) -> tuple[list[str], list[str]]:
        errors: list[str] = []
        given = self._given(p.given, errors)
        family = self._family_name(p, errors)
        if p.origin == "Chinese" and given and self._happens("name_order", errors):
            given, family = family, given
        nhs = p.nhs
        if self.rng.random() >= NHS_RECORDED[agency]:
            nhs = ""
            errors.append("nhs_missing")
        postcode, address = self._address(p, errors)
        return ([pid, given, family, "", self._dob(agency, p.dob, errors), p.sex, nhs,
                 postcode, address, ""], errors)

    def _happens(self, kind: str, errors: list[str]) -> bool:
        if self.rng.random() < ERROR_RATES[kind]:
            errors.append(kind)
            return True
        return False

    def _maybe(self, kind: str, value: str, change: Callable[[str], str],
               errors: list[str]) -> str:
        """``change(value)`` at the rate of ``kind``, named in ``errors`` only if it changed
        the value (a keyboard slip needs a letter, a transliteration another spelling)."""
        if self.rng.random() >= ERROR_RATES[kind]:
            return value
        changed = change(value)
        if changed != value:
            errors.append(kind)
        return changed

    def _given(self, given: str, errors: list[str]) -> str:
        rng = self.rng
        if given in varied_names.NICKNAMED:
            given = self._maybe("given_nickname", given, lambda v: err.nickname(rng, v), errors)
        if given in varied_names.TRANSLITERATED:
            given = self._maybe("given_transliteration", given,
                                lambda v: err.transliterated(rng, v), errors)
        given = self._slips("given", given, errors)
        return "" if self._happens("given_missing", errors) else given

    def _family_name(self, p: VariedPerson, errors: list[str]) -> str:
        rng = self.rng
        family = p.surname
        if p.old_surname and self._happens("family_name_change", errors):
            family = p.old_surname
        family, how = err.compound(rng, family)
        if how:
            errors.append(f"family_{how}")
        if family in varied_names.TRANSLITERATED:
            family = self._maybe("family_transliteration", family,
                                 lambda v: err.transliterated(rng, v), errors)
        return self._slips("family", family, errors)

    def _slips(self, part: str, name: str, errors: list[str]) -> str:
        """Phonetic, accents, keyboard and text-recognition errors, each at its rate."""
        rng = self.rng
        name = self._maybe(f"{part}_phonetic", name, lambda v: err.phonetic(rng, v), errors)
        if err.has_diacritics(name):
            name = self._maybe(f"{part}_diacritics", name, err.without_diacritics, errors)
        name = self._maybe(f"{part}_keyboard", name, lambda v: err.keyboard(rng, v), errors)
        return self._maybe(f"{part}_ocr", name, lambda v: err.ocr(rng, v), errors)

    def _dob(self, agency: str, dob: date, errors: list[str]) -> str:
        rng = self.rng
        if rng.random() < DOB_MISSING.get(agency, ERROR_RATES["dob_missing"]):
            errors.append("dob_missing")
            return ""
        written = dob.isoformat()
        swapped = err.day_month_swapped(dob)
        if swapped and swapped <= LAST_DAY:
            swapped_text = swapped.isoformat()
            written = self._maybe("dob_day_month_swap", written, lambda _: swapped_text, errors)
        if written == dob.isoformat():
            written = self._maybe("dob_digit_slip", written,
                                  lambda v: (err.digit_slip(rng, dob, LAST_DAY) or dob).isoformat(),
                                  errors)
        if written == dob.isoformat():
            written = self._maybe("dob_unparseable", written,
                                  lambda _: err.unparseable(rng, dob), errors)
        return written

    def _address(self, p: VariedPerson, errors: list[str]) -> tuple[str, str]:
        home = p.home
        if p.old_home and self._happens("moved", errors):
            home = p.old_home
        address = self._address_line(home)
        if self._happens("postcode_missing", errors):
            return "", address if self.rng.random() < 0.5 else ""
        postcode = home.postcode
        if self.rng.random() < 0.1:
            postcode = postcode.replace(" ", "").lower()
        return postcode, address

    def _address_line(self, home: Home) -> str:
        """The full address line as one clerk writes it: Flat 2, 14 Mill Road, Stockport;
        2/14 MILL RD; 14 Mill Road (the flat left out)."""
        rng = self.rng
        name, kind = home.street.rsplit(" ", 1)
        street = f"{name} {ABBREVIATIONS[kind] if rng.random() < 0.3 else kind}"
        line = f"{home.number} {street}"
        if home.flat:
            r = rng.random()
            line = (f"Flat {home.flat}, {line}" if r < 0.5 else
                    f"{home.flat}/{line}" if r < 0.8 else line)
        if rng.random() < 0.6:
            line += ", Stockport"
        return line.upper() if rng.random() < 0.15 else line

    def _event(self, agency: str, pid: str, p: VariedPerson) -> list[str]:
        rng = self.rng
        first = max(p.dob, FIRST_EVENT_DAY).toordinal()
        day = date.fromordinal(first + rng.randrange(max(1, LAST_DAY.toordinal() - first)))
        minute = rng.randrange(8 * 60, 18 * 60)
        occurred = f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00"
        recorded_day = day + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        recorded = f"{recorded_day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00"
        return [self.returns.next_id(agency, "event"), pid, EVENT_OF_AGENCY[agency],
                occurred, recorded, "", "", ""]

    def _relationships(self, fam: VariedFamily, held: dict[str, dict[str, str]]) -> None:
        children = [p for p in fam.people if p.role == "CHILD"]
        for agency, ids in held.items():
            pairs = [(fam.mother, c, "MOTHER_OF") for c in children]
            if fam.father:
                pairs += [(fam.father, c, "FATHER_OF") for c in children]
                pairs.append((fam.father, fam.mother,
                              "PARTNER_OF" if fam.together else "EX_PARTNER_OF"))
            for a, b, kind in pairs:
                if a.tid in ids and b.tid in ids and self.rng.random() < 0.9:
                    since = b.dob.isoformat() if kind in ("MOTHER_OF", "FATHER_OF") else ""
                    self.returns.write(agency, "relationships",
                                       [ids[a.tid], ids[b.tid], kind, since, "", ""])
