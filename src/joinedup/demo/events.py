"""What each agency recorded happening to the synthetic population: the events tables.

For each family :class:`EventWriter` writes the *structural* events first (births, bookings,
new birth visits, children's social care episodes, domestic abuse incidents, licences,
refuge, programmes, and the concerning pattern of a few families), then *routine* events
(consultations, visits, appointments kept and missed) at random days inside each record's
window. With ``events_per_family`` set, routine events top each family up to that number,
which is how a benchmark scales the event volume without changing anything else.

``recorded_at`` is ``occurred_at`` plus a delay: usually the same day, often one to three
days later, and a tail of 4 to 60 days (about 5% of events, most beyond five working days).
"""

from __future__ import annotations

import json
from bisect import bisect
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from itertools import accumulate
from random import Random

from joinedup.demo.families import FIRST_DAY, LAST_DAY, YEAR, Family, Person

RECORDING_DELAY = {"same_day": 0.62, "one_to_three_days": 0.33, "four_to_sixty_days": 0.05}
_SAME_DAY = RECORDING_DELAY["same_day"]
_WITHIN_THREE_DAYS = _SAME_DAY + RECORDING_DELAY["one_to_three_days"]
_RECORDED_BY = date(2026, 11, 25).toordinal() * 1440 + 17 * 60  # nothing recorded later
# Events that happen at any hour; the rest happen in office hours (08:30 to 17:30).
_ANY_HOUR = ("DA_INCIDENT", "ARREST", "ED_ATTENDANCE", "ADMISSION", "INJURY", "BIRTH",
             "MARAC_REFERRAL", "REFUGE_ENTRY")

# Routine events: (event type, weight) per agency, and how many per record by default.
ROUTINE: dict[str, tuple[tuple[str, int], ...]] = {
    "GP": (("GP_CONSULTATION", 6), ("APPOINTMENT_ATTENDED", 3), ("APPOINTMENT_MISSED", 1),
           ("MEDICATION_PRESCRIBED", 2)),
    "HV": (("HV_VISIT", 6), ("APPOINTMENT_ATTENDED", 2), ("APPOINTMENT_MISSED", 1)),
    "MIDWIFERY": (("APPOINTMENT_ATTENDED", 6), ("APPOINTMENT_MISSED", 1)),
    "HOSPITAL": (("ED_ATTENDANCE", 4), ("APPOINTMENT_ATTENDED", 3), ("APPOINTMENT_MISSED", 1),
                 ("INJURY", 1), ("ADMISSION", 1)),
    "CSC": (("HOME_VISIT", 6), ("NO_ACCESS_VISIT", 1), ("INFO_SHARED", 1)),
    "CSC_PREV": (("HOME_VISIT", 6), ("NO_ACCESS_VISIT", 1)),
    "EH": (("TAC_MEETING", 3), ("HOME_VISIT", 2)),
    "REFUGE": (("ADULT_SERVICE_CONTACT", 3), ("ADDRESS_CHANGE", 1)),
    "FREEDOM": (("APPOINTMENT_ATTENDED", 4), ("APPOINTMENT_MISSED", 1)),
    "AMH": (("ADULT_SERVICE_CONTACT", 3), ("APPOINTMENT_ATTENDED", 3),
            ("APPOINTMENT_MISSED", 1), ("MEDICATION_PRESCRIBED", 1),
            ("MENTAL_HEALTH_CONCERN", 1)),
    "POLICE": (("ARREST", 2), ("DISCLOSURE_MADE", 1)),
    "PROBATION": (("APPOINTMENT_ATTENDED", 5), ("APPOINTMENT_MISSED", 1),
                  ("HOME_CIRCUMSTANCES_CHECK", 1)),
}
_ROUTINE_CHOICES = {agency: ([k for k, _ in options], list(accumulate(w for _, w in options)))
                    for agency, options in ROUTINE.items()}
ROUTINE_PER_RECORD = {"GP": (1, 4), "HV": (2, 5), "MIDWIFERY": (2, 5), "HOSPITAL": (0, 2),
                      "CSC": (1, 4), "CSC_PREV": (1, 3), "EH": (1, 3), "REFUGE": (0, 2),
                      "FREEDOM": (2, 6), "AMH": (2, 6), "POLICE": (0, 2), "PROBATION": (2, 6)}
_SUMMARY = {
    "GP_CONSULTATION": ("Routine consultation", "Chest infection", "Rash", "Review", "Earache"),
    "APPOINTMENT_ATTENDED": ("Appointment attended", "Review appointment attended"),
    "MEDICATION_PRESCRIBED": ("Antibiotics prescribed", "Repeat prescription", "Pain relief"),
    "HV_VISIT": ("Routine contact", "Development review", "Feeding support", "Weight check"),
    "ED_ATTENDANCE": ("Seen in the emergency department", "Breathing difficulty", "High fever"),
    "ADMISSION": ("Admitted for observation",), "HOME_VISIT": ("Home visit completed",),
    "NO_ACCESS_VISIT": ("No answer at the door",), "INFO_SHARED": ("Update shared with school",),
    "TAC_MEETING": ("Team around the child meeting",), "ADDRESS_CHANGE": ("Moved address",),
    "ADULT_SERVICE_CONTACT": ("Contact with the service", "Telephone contact"),
    "MENTAL_HEALTH_CONCERN": ("Low mood reported", "Anxiety reported"),
    "ARREST": ("Arrested on suspicion of an offence",), "DISCLOSURE_MADE": ("Disclosure made",),
    "HOME_CIRCUMSTANCES_CHECK": ("Home circumstances checked",),
}
_INJURIES = (("sprain", "ankle", "fell playing football"), ("fracture", "wrist", "fell from a "
             "trampoline"), ("cut", "forehead", "fell against a table"), ("burn", "hand",
             "touched a hot pan"), ("bruise", "knee", "fell in the playground"))

Write = Callable[[str, str, list[str]], None]


@lru_cache(maxsize=1 << 16)
def iso_day(day: int) -> str:
    return date.fromordinal(day).isoformat()


_HHMM = [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(1440)]


class EventWriter:
    def __init__(self, rng: Random, write: Write, event_id: Callable[[str], str],
                 events_per_family: int | None, home_area: str, previous_area: str) -> None:
        self.rng, self.write, self.event_id = rng, write, event_id
        self.events_per_family = events_per_family
        self.home_area, self.previous_area = home_area, previous_area
        self.fam: Family
        self.ids: dict[str, dict[str, str]] = {}
        self.count = 0

    def family(self, fam: Family, ids: dict[str, dict[str, str]]) -> int:
        """Write every event of the family; return how many."""
        self.fam, self.ids, self.count = fam, ids, 0
        self._births()
        self._social_care()
        self._police_and_probation()
        if fam.concerning:
            self._concerning()
        self._routine()
        return self.count

    # -- writing ----------------------------------------------------------------------------
    def emit(self, agency: str, person: Person | None, kind: str, day: int, summary: str = "",
             related: Person | None = None, details: Mapping[str, object] | None = None) -> None:
        pid = self.ids.get(agency, {}).get(person.tid) if person else None
        if pid is None:
            return
        low, high = ((FIRST_DAY, self.fam.start) if agency == "CSC_PREV"
                     else (self.fam.start, LAST_DAY))
        if not (max(low, FIRST_DAY) <= day <= min(high, LAST_DAY)):
            return
        random = self.rng.random  # int(random() * n) is a fast, seeded randrange(n)
        minute = int(random() * 1440) if kind in _ANY_HOUR else 510 + int(random() * 541)
        r, spread = random(), random()
        if r < _SAME_DAY:
            delay = 5 + int(spread * 356)  # minutes
        elif r < _WITHIN_THREE_DAYS:
            delay = (1 + int(spread * 3)) * 1440 + int(random() * 361) - 120
        else:
            delay = (4 + int(spread * 57)) * 1440 + int(random() * 601)
        recorded = min(day * 1440 + minute + delay, _RECORDED_BY)
        related_pid = self.ids[agency].get(related.tid, "") if related else ""
        self.write(agency, "events", [
            self.event_id(agency), pid, kind, f"{iso_day(day)}T{_HHMM[minute]}",
            f"{iso_day(recorded // 1440)}T{_HHMM[recorded % 1440]}", summary, related_pid,
            json.dumps(details) if details else ""])
        self.count += 1

    # -- structural events ------------------------------------------------------------------
    def _births(self) -> None:
        fam, rng, emit = self.fam, self.rng, self.emit
        for child in fam.children:
            if child.dob is None:
                booking = LAST_DAY - rng.randint(0, 120)
            else:
                booking = child.dob - rng.randint(180, 230)
                emit("MIDWIFERY", child, "BIRTH", child.dob, "Live birth", fam.mother)
                emit("HV", child, "NEW_BIRTH_VISIT", child.dob + rng.randint(10, 14),
                     "New birth visit")
                if rng.random() < 0.8:
                    emit("GP", child, "GP_REGISTRATION", child.dob + rng.randint(7, 42))
            emit("MIDWIFERY", fam.mother, "ANTENATAL_BOOKING", booking, "Booked for antenatal "
                 "care", child)
        if fam.prev_home is not None:
            for person in fam.people:
                emit("GP", person, "GP_REGISTRATION", fam.start + rng.randint(0, 30),
                     "Registered after moving to the area")
        if fam.old_home is not None:
            emit("GP", fam.mother, "ADDRESS_CHANGE", fam.move_day, "Change of address",
                 details={"previous_postcode": fam.old_home[0]})

    def _social_care(self) -> None:
        fam, rng = self.fam, self.rng
        da = {"factors": ["3A"]} if fam.da_days else None
        if fam.prev_csc:
            begin, end = fam.prev_csc
            timeline = [("REFERRAL", begin, None), ("ASSESSMENT_START", begin + 3, None),
                        ("ASSESSMENT_COMPLETE", begin + rng.randint(20, 45), da),
                        ("TRANSFER_OUT", end, {"new_area": self.home_area})]
            for child in fam.children:
                for kind, day, details in timeline:
                    self.emit("CSC_PREV", child, kind, day, details=details)
            if "CARE_EXPERIENCED" in fam.mother.traits:
                self.emit("CSC_PREV", fam.mother, "CARE_HISTORY_SUMMARY", begin + 5,
                          "Mother was looked after as a child")
        if fam.csc:
            begin, end = fam.csc
            outcome = fam.csc_outcome
            if outcome.startswith("TRANSFER "):
                timeline = [("TRANSFER_IN", begin, {"previous_area": self.previous_area})]
                outcome = outcome.removeprefix("TRANSFER ")
            else:
                timeline = [("CONTACT", begin, None), ("REFERRAL", begin + rng.randint(0, 2), None)]
            if outcome == "NFA":
                timeline.append(("REFERRAL_NFA", begin + rng.randint(1, 5), None))
            else:
                start = begin + rng.randint(1, 5)
                done = start + rng.randint(10, 45)
                timeline += [("ASSESSMENT_START", start, None), ("ASSESSMENT_COMPLETE", done, da)]
                if outcome == "CIN":
                    timeline += [("CIN_PLAN_START", done + rng.randint(0, 5), None),
                                 ("CIN_PLAN_END", end, None),
                                 ("CASE_CLOSURE", end + rng.randint(0, 7), None)]
                elif outcome == "STEP_DOWN":
                    end = fam.eh[0] if fam.eh else end
                    if fam.concerning:
                        timeline.append(("CIN_PLAN_START", done + rng.randint(0, 5), None))
                    timeline.append(("STEP_DOWN", end, {"to": "early help"}))
                else:
                    timeline.append(("CASE_CLOSURE", end, None))
            for child in fam.children:
                if child.dob is None:
                    self.emit("CSC", child, "PRE_BIRTH_ASSESSMENT", begin + rng.randint(5, 20))
                for kind, day, details in timeline:
                    self.emit("CSC", child, kind, day, details=details)
        if fam.eh:
            for person in [fam.mother, *fam.children]:
                self.emit("EH", person, "EH_EPISODE_START", fam.eh[0])
                self.emit("EH", person, "EH_EPISODE_END", fam.eh[1])

    def _police_and_probation(self) -> None:
        fam, rng, emit = self.fam, self.rng, self.emit
        for day in fam.da_days:
            dash = rng.randint(10, 22) if fam.concerning else rng.randint(2, 16)
            emit("POLICE", fam.mother, "DA_INCIDENT", day, "Domestic abuse incident reported",
                 fam.perpetrator, {"dash_score": dash, "victim": True})
            if rng.random() < 0.5:
                emit("POLICE", fam.perpetrator, "ARREST", day, "Arrested after domestic abuse "
                     "incident", fam.mother)
            if dash >= 14:
                emit("POLICE", fam.mother, "MARAC_REFERRAL", day + rng.randint(1, 7))
                emit("POLICE", fam.mother, "MARAC_MEETING", day + rng.randint(14, 28))
        for adult in (fam.mother, fam.father, fam.partner):
            if adult is None or not adult.offender:
                continue
            convicted = (adult.licence[0] - rng.randint(90, 700) if adult.licence
                         else rng.randint(fam.start, LAST_DAY))
            emit("POLICE", adult, "ARREST", convicted - rng.randint(30, 200))
            emit("POLICE", adult, "CONVICTION", convicted)
            if "SEX_OFFENDER_REGISTERED" in adult.traits:
                emit("POLICE", adult, "SEX_OFFENDER_REGISTERED", convicted + 1)
            if adult.licence:
                emit("POLICE", adult, "CUSTODY_START", convicted)
                self._licence(adult)
        if fam.refuge:
            emit("REFUGE", fam.mother, "REFUGE_ENTRY", fam.refuge, "Moved into the refuge")
        if fam.freedom:
            emit("FREEDOM", fam.mother, "PROGRAMME_START", fam.freedom,
                 details={"programme": "Freedom Programme"})
            if rng.random() < (0.7 if fam.concerning else 0.3):
                emit("FREEDOM", fam.mother, "PROGRAMME_DROPOUT", fam.freedom + rng.randint(14, 70))

    def _licence(self, adult: Person) -> None:
        rng, emit = self.rng, self.emit
        assert adult.licence is not None  # noqa: S101 - narrows the type: called only for an adult on licence
        start, end = adult.licence
        if rng.random() < 0.5:
            emit("PROBATION", adult, "HOME_CIRCUMSTANCES_CHECK", start - rng.randint(7, 21),
                 details={"address_includes_child": adult.household})
        emit("PROBATION", adult, "CUSTODY_RELEASE", start, "Released on licence")
        emit("PROBATION", adult, "LICENCE_START", start)
        for trait in adult.traits:
            if trait.startswith("MAPPA_"):
                emit("PROBATION", adult, "MAPPA_LEVEL", start, details={"level": int(trait[-1])})
        if rng.random() < 0.08:
            emit("PROBATION", adult, "LICENCE_RECALL", (start + end) // 2, "Recalled")
        emit("PROBATION", adult, "LICENCE_END", end, "Licence expired")

    def _concerning(self) -> None:
        """DA, a father's licence ending, step-down, missed appointments, an infant injured."""
        fam, rng, emit = self.fam, self.rng, self.emit
        infant, mother, injury = fam.infant, fam.mother, fam.injury
        assert infant is not None and infant.dob is not None and fam.eh is not None  # noqa: S101 - narrows the type: a concerning family is drawn with an infant (dated) and early help
        step = fam.eh[0]
        emit("GP", infant, "APPOINTMENT_MISSED", infant.dob + 56, "Was not brought to the "
             "8 week check", mother)
        for _ in range(rng.randint(2, 3)):
            emit("HV", infant, "APPOINTMENT_MISSED", rng.randint(step, injury - 3),
                 "Was not brought to the health visitor appointment", mother)
        emit("AMH", mother, "APPOINTMENT_MISSED", rng.randint(step, injury), "Did not attend")
        emit("AMH", mother, "MEDICATION_STOPPED", rng.randint(step, injury), "Stopped medication")
        emit("HOSPITAL", mother, "ED_ATTENDANCE", rng.randint(step, injury), "Attended with pain")
        emit("CSC", infant, "CONTACT", max(step, injury - 60), "Mother asked for the father to "
             "be assessed before he sees the baby", fam.father)
        earlier = injury - rng.randint(20, 60)
        if earlier > infant.dob:
            emit("HOSPITAL", infant, "ED_ATTENDANCE", earlier, "Unsettled and crying; no injury "
                 "seen", mother)
        age_days = injury - infant.dob
        kind, site = ("bruise", rng.choice(("ear", "cheek", "torso"))) if age_days < 183 else (
            "fracture", rng.choice(("arm", "rib", "leg")))
        mobility = "not independently mobile" if age_days < 240 else "crawling"
        emit("HOSPITAL", infant, "ED_ATTENDANCE", injury, "Brought in by parent", mother)
        emit("HOSPITAL", infant, "INJURY", injury, f"{kind.capitalize()} to the {site}", None,
             {"type": kind, "site": site, "explanation": "none offered", "mobility": mobility})
        emit("HOSPITAL", infant, "ADMISSION", injury, "Admitted to the paediatric ward")
        emit("HOSPITAL", infant, "CP_MEDICAL", injury + 1, "Child protection medical")
        for kind, day in (("STRATEGY_DISCUSSION", injury + 1), ("S47_START", injury + 1),
                          ("ICPC", injury + rng.randint(12, 15))):
            emit("CSC", infant, kind, day)

    # -- routine events ---------------------------------------------------------------------
    def _routine(self) -> None:
        fam, rng = self.fam, self.rng
        records = []
        for agency, people in self.ids.items():
            if agency not in ROUTINE:
                continue
            for person in fam.people:
                if person.tid in people:
                    low, high = self._window(agency, person)
                    if low <= high:
                        records.append((agency, person, low, high))
        if not records:
            return
        if self.events_per_family is None:
            for record in records:
                count = rng.randint(*ROUTINE_PER_RECORD[record[0]])
                for _ in range(min(count, 1 + (record[3] - record[2]) // 28)):
                    self._routine_event(*record)
        else:
            for _ in range(self.events_per_family - self.count):
                self._routine_event(*rng.choice(records))

    def _window(self, agency: str, p: Person) -> tuple[int, int]:
        fam, child = self.fam, p.role in ("CHILD", "UNBORN")
        low, high = fam.start, LAST_DAY
        if agency == "CSC_PREV":
            low, high = fam.prev_csc or (1, 0)
            return max(low, FIRST_DAY), min(high, fam.start)
        elif agency in ("CSC", "EH"):
            low, high = (fam.csc if agency == "CSC" else fam.eh) or (1, 0)
        elif agency == "PROBATION":
            low, high = p.licence or (1, 0)
        elif agency == "POLICE" and not p.offender:
            return 1, 0
        elif agency in ("REFUGE", "FREEDOM"):
            low = fam.refuge if agency == "REFUGE" else fam.freedom
            high = low + 120 if low else 0
        elif agency == "MIDWIFERY":
            if child:
                return 1, 0
            due = [c.dob or LAST_DAY for c in fam.children if c.dob is None or c.dob >= low]
            low, high = (max(due) - 200, max(due)) if due else (1, 0)
        elif agency == "HV":
            dobs = [c.dob for c in fam.children if c.dob is not None]
            first = p.dob if child else max(dobs, default=None)
            low, high = (first + 15, first + 5 * YEAR) if first else (1, 0)
        elif agency == "HOSPITAL" and child and p.dob is not None:
            low = p.dob + YEAR
        if p.dob is not None:
            low = max(low, p.dob)
        return max(low, fam.start, FIRST_DAY), min(high, LAST_DAY)

    def _routine_event(self, agency: str, person: Person, low: int, high: int) -> None:
        rng = self.rng
        kinds, cumulative = _ROUTINE_CHOICES[agency]
        kind = kinds[bisect(cumulative, rng.random() * cumulative[-1])]
        day = low + int(rng.random() * (high - low + 1))
        details: dict[str, object] | None = None
        if kind == "APPOINTMENT_MISSED":
            young = person.dob is not None and day - person.dob < 18 * YEAR
            summary = "Was not brought" if young else "Did not attend"
        elif kind == "INJURY":
            kind_, site, why = rng.choice(_INJURIES)
            summary = f"{kind_.capitalize()} to the {site}"
            details = {"type": kind_, "site": site, "explanation": why, "mobility": "mobile"}
        else:
            summary = rng.choice(_SUMMARY.get(kind, ("",)))
        self.emit(agency, person, kind, day, summary, details=details)
