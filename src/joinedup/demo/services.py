"""Which services know each synthetic family, and when: the agencies each person is known to.

:func:`plan_services` decides the family's children's social care episode (with its outcome:
no further action, child in need plan, step-down to early help, closure; or a transfer in
from the previous area), any early help episode, and then, for each person, the agencies
that hold a record of them: at most five, the most telling first (children's social care,
the previous area, police and probation, refuge, adult mental health, then universal
services such as the GP and health visiting). Police and probation also hold the partner
and children of a man they deal with, as victims, witnesses or contacts.
"""

from __future__ import annotations

from random import Random

from joinedup.demo.families import FAMILY_RATES, HV_BORN_FROM, LAST_DAY, YEAR, Family, Person

MAX_AGENCIES_PER_PERSON = 5


def plan_services(rng: Random, fam: Family) -> None:
    """Set the family's episodes and every person's ``agencies``."""
    _episodes(rng, fam)
    for person in fam.people:
        _assign(rng, fam, person)


def _episodes(rng: Random, fam: Family) -> None:
    """Children's social care and early help episodes of the family."""
    transfer = fam.prev_home is not None and rng.random() < 0.5
    if fam.infant and fam.infant.dob:
        begin = max(fam.infant.dob - rng.randint(40, 150), fam.start + 10)
        fam.csc, fam.csc_outcome = (begin, fam.injury + 90), "STEP_DOWN"
        step = fam.injury - rng.randint(15, 45)
        fam.eh = (step, step + rng.randint(90, 300))
        return
    if transfer:
        begin = fam.start + rng.randint(5, 60)
    elif fam.da_days and rng.random() < 0.6:
        begin = fam.da_days[0] + rng.randint(1, 10)
    elif rng.random() < FAMILY_RATES["csc"]:
        begin = rng.randint(fam.start, LAST_DAY - 30)
    else:
        begin = 0
    if begin:
        end = begin + rng.randint(60, 500)
        fam.csc = (begin, end)
        fam.csc_outcome = rng.choices(("NFA", "CIN", "STEP_DOWN", "CLOSE"),
                                      cum_weights=(25, 50, 75, 100))[0]
        if transfer:
            fam.csc_outcome = "TRANSFER " + fam.csc_outcome
        if fam.csc_outcome.endswith("STEP_DOWN"):
            fam.eh = (end, end + rng.randint(90, 300))
    if fam.eh is None and rng.random() < FAMILY_RATES["early_help"]:
        begin = rng.randint(fam.start, LAST_DAY - 30)
        fam.eh = (begin, begin + rng.randint(90, 300))


def _assign(rng: Random, fam: Family, p: Person) -> None:
    """Which agencies know this person, most telling first, at most five."""
    licensed = any(a is not None and a.licence for a in (fam.father, fam.partner))
    if p.role in ("CHILD", "UNBORN"):
        out = _child_agencies(rng, fam, p, licensed)
    elif p.role == "GRANDPARENT":
        out = _grandparent_agencies(rng, fam)
    else:
        out = _adult_agencies(rng, fam, p, licensed)
    p.agencies = out[:MAX_AGENCIES_PER_PERSON] or ["GP"]


def _child_agencies(rng: Random, fam: Family, p: Person, licensed: bool) -> list[str]:
    """The agencies that know a child of the family (or the unborn baby)."""
    out: list[str] = []
    if fam.csc and (p.dob is None or p.dob <= fam.csc[1]):
        out.append("CSC")
    if fam.prev_csc and p.dob is not None and p.dob < fam.start:
        out.append("CSC_PREV")
    if fam.refuge and p.dob is not None and p.dob <= fam.refuge and rng.random() < 0.8:
        out.append("REFUGE")
    if p.dob is None or (fam.start <= p.dob <= LAST_DAY and rng.random() < 0.95):
        out.append("MIDWIFERY")
    if p.dob is not None:
        if p is fam.infant or rng.random() < 0.3:
            out.append("HOSPITAL")
        if p.dob >= HV_BORN_FROM and p.dob + 5 * YEAR >= fam.start and (
                rng.random() < 0.95):
            out.append("HV")
        if rng.random() < 0.97:
            out.append("GP")
        if fam.eh and rng.random() < 0.9:
            out.append("EH")
        if fam.da_days and rng.random() < 0.4:
            out.append("POLICE")  # present at a domestic abuse incident
        if licensed and rng.random() < 0.3:
            out.append("PROBATION")  # a child the man on licence has contact with
    return out


def _grandparent_agencies(rng: Random, fam: Family) -> list[str]:
    """The agencies that know the family's grandparent."""
    out: list[str] = []
    if fam.csc and rng.random() < 0.3:
        out.append("CSC")
    if rng.random() < 0.95:
        out.append("GP")
    if rng.random() < 0.15:
        out.append("HOSPITAL")
    return out


def _adult_agencies(rng: Random, fam: Family, p: Person, licensed: bool) -> list[str]:
    """The agencies that know a parent, a partner or another adult of the family."""
    births = any(c.dob is None or fam.start <= c.dob <= LAST_DAY for c in fam.children)
    hv_child = any(c.dob is not None and c.dob >= HV_BORN_FROM for c in fam.children)
    out: list[str] = []
    mother, traits = p is fam.mother, p.traits
    if fam.csc and rng.random() < (0.95 if mother else 0.3 if fam.concerning
                                  else 0.6 if p.household else 0.2):
        out.append("CSC")
    if fam.prev_csc and (mother or p is fam.father and rng.random() < 0.5):
        out.append("CSC_PREV")
    if p.offender or "DA_PERPETRATOR" in traits or (
            "DA_VICTIM" in traits and (fam.concerning or rng.random() < 0.9)):
        out.append("POLICE")
    if p.licence or (mother and licensed and rng.random() < 0.6):
        out.append("PROBATION")  # the offender, or his partner as victim or contact
    if mother and fam.refuge:
        out.append("REFUGE")
    if "MENTAL_ILL_HEALTH" in traits or (
            "SUBSTANCE_MISUSE" in traits and rng.random() < 0.5):
        out.append("AMH")
    if births and (mother or p.household and rng.random() < 0.3):
        out.append("MIDWIFERY")
    if mother and fam.freedom:
        out.append("FREEDOM")
    if hv_child and p.household and rng.random() < (0.85 if mother else 0.35):
        out.append("HV")
    if rng.random() < (0.97 if mother else 0.9):
        out.append("GP")
    if fam.eh and p.household and rng.random() < (0.9 if mother else 0.4):
        out.append("EH")
    if rng.random() < 0.05:
        out.append("HOSPITAL")
    return out
