"""The controlled vocabularies of joinedup, as data with plain-English labels.

Event types are those of docs/data-contract.md; every code has the words a practitioner would
use for it, and the group it belongs to. ``tests/test_docs.py`` checks that every
code here is documented in ``docs/data-contract.md``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    group: str


def _terms(group: str, pairs: list[tuple[str, str]]) -> list[Term]:
    return [Term(code, label, group) for code, label in pairs]


EVENT_TYPES: dict[str, Term] = {
    t.code: t
    for t in [
        *_terms(
            "children's social care",
            [
                ("CONTACT", "Contact received"),
                ("REFERRAL", "Referral to children's social care"),
                ("REFERRAL_NFA", "Referral: no further action"),
                ("ASSESSMENT_START", "Assessment started"),
                ("ASSESSMENT_COMPLETE", "Assessment completed"),
                ("STRATEGY_DISCUSSION", "Strategy discussion"),
                ("S47_START", "Child protection enquiry (section 47) started"),
                ("ICPC", "Initial child protection conference"),
                ("CP_PLAN_START", "Child protection plan started"),
                ("CP_PLAN_END", "Child protection plan ended"),
                ("CP_REVIEW", "Child protection review conference"),
                ("CIN_PLAN_START", "Child in need plan started"),
                ("CIN_PLAN_END", "Child in need plan ended"),
                ("CASE_CLOSURE", "Case closed"),
                ("STEP_DOWN", "Stepped down"),
                ("STEP_UP", "Stepped up"),
                ("TRANSFER_IN", "Transferred in from another area"),
                ("TRANSFER_OUT", "Transferred out to another area"),
                ("PRE_BIRTH_ASSESSMENT", "Pre-birth assessment"),
                ("HOME_VISIT", "Home visit"),
                ("NO_ACCESS_VISIT", "Visit: no access"),
                ("LAC_EPISODE_START", "Started being looked after"),
                ("LAC_EPISODE_END", "Stopped being looked after"),
                ("CARE_HISTORY_SUMMARY", "Care history summary"),
            ],
        ),
        *_terms(
            "early help",
            [
                ("EH_EPISODE_START", "Early help started"),
                ("EH_EPISODE_END", "Early help ended"),
                ("TAC_MEETING", "Team around the child meeting"),
            ],
        ),
        *_terms(
            "health",
            [
                ("ANTENATAL_BOOKING", "Antenatal booking"),
                ("BIRTH", "Birth"),
                ("NEW_BIRTH_VISIT", "Health visitor new birth visit"),
                ("HV_VISIT", "Health visitor visit"),
                ("GP_CONSULTATION", "GP consultation"),
                ("APPOINTMENT_ATTENDED", "Appointment attended"),
                ("APPOINTMENT_MISSED", "Appointment missed (was not brought / did not attend)"),
                ("ED_ATTENDANCE", "Emergency department attendance"),
                ("ADMISSION", "Hospital admission"),
                ("INJURY", "Injury"),
                ("CP_MEDICAL", "Child protection medical"),
                ("MEDICATION_PRESCRIBED", "Medication prescribed"),
                ("MEDICATION_STOPPED", "Medication stopped"),
                ("MENTAL_HEALTH_CONCERN", "Mental health concern"),
                ("SUBSTANCE_MISUSE_CONCERN", "Substance misuse concern"),
                ("GP_REGISTRATION", "Registered with a GP"),
                ("CPIS_ALERT", "Child protection information sharing (CP-IS) alert"),
            ],
        ),
        *_terms(
            "police",
            [
                ("DA_INCIDENT", "Domestic abuse incident"),
                ("ARREST", "Arrest"),
                ("CONVICTION", "Conviction"),
                ("CUSTODY_START", "Went into custody"),
                ("SEX_OFFENDER_REGISTERED", "Placed on the sex offenders register"),
                ("MARAC_REFERRAL", "Referral to MARAC"),
                ("MARAC_MEETING", "MARAC meeting"),
                ("DISCLOSURE_MADE", "Disclosure made"),
            ],
        ),
        *_terms(
            "prison and probation",
            [
                ("CUSTODY_RELEASE", "Released from custody"),
                ("LICENCE_START", "Licence started"),
                ("LICENCE_END", "Licence ended"),
                ("LICENCE_RECALL", "Recalled to custody"),
                ("MAPPA_LEVEL", "MAPPA level set"),
                ("HOME_CIRCUMSTANCES_CHECK", "Home circumstances check"),
            ],
        ),
        *_terms(
            "adult, housing and voluntary services",
            [
                ("ADULT_SERVICE_CONTACT", "Contact with adult services"),
                ("PROGRAMME_START", "Started a programme"),
                ("PROGRAMME_DROPOUT", "Stopped attending a programme"),
                ("REFUGE_ENTRY", "Moved into a refuge"),
                ("ADDRESS_CHANGE", "Changed address"),
            ],
        ),
        *_terms(
            "cross-agency and review",
            [
                ("INFO_REQUEST_SENT", "Information requested"),
                ("INFO_RECEIVED", "Information received"),
                ("INFO_SHARED", "Information shared"),
                ("PROFESSIONALS_MEETING", "Multi-agency professionals meeting"),
                ("SERIOUS_INCIDENT", "Serious incident"),
                ("SIN_SUBMITTED", "Serious incident notification submitted"),
                ("RAPID_REVIEW_COMPLETE", "Rapid review completed"),
                ("CSPR_DECISION", "Decision on a child safeguarding practice review"),
                ("CSPR_PUBLISHED", "Child safeguarding practice review published"),
            ],
        ),
    ]
}

RELATIONSHIP_TYPES: dict[str, Term] = {
    t.code: t
    for t in _terms(
        "relationship",
        [
            ("MOTHER_OF", "is the mother of"),
            ("FATHER_OF", "is the father of"),
            ("PARTNER_OF", "is the partner of"),
            ("EX_PARTNER_OF", "is the former partner of"),
            ("HOUSEHOLD_MEMBER_OF", "lives in the household of"),
            ("SIBLING_OF", "is a brother or sister of"),
            ("GRANDPARENT_OF", "is a grandparent of"),
            ("CARER_OF", "cares for"),
        ],
    )
}

PERSON_FLAGS: dict[str, Term] = {
    t.code: t
    for t in _terms(
        "person flag",
        [
            ("CARE_EXPERIENCED", "Has been looked after (care experienced)"),
            ("SEX_OFFENDER_REGISTERED", "On the sex offenders register"),
            ("MAPPA_1", "Managed under MAPPA level 1"),
            ("MAPPA_2", "Managed under MAPPA level 2"),
            ("MAPPA_3", "Managed under MAPPA level 3"),
            ("VIOLENT_OFFENDER", "Convicted of a violent offence"),
            ("SEXUAL_OFFENDER", "Convicted of a sexual offence"),
            ("DA_PERPETRATOR", "Domestic abuse perpetrator"),
            ("DA_VICTIM", "Domestic abuse victim"),
            ("NOT_INDEPENDENTLY_MOBILE", "Not independently mobile"),
            ("PREGNANT", "Pregnant"),
            ("CHILDHOOD_ADVERSITY", "Experienced childhood adversity"),
            ("MENTAL_ILL_HEALTH", "Mental ill-health"),
            ("SUBSTANCE_MISUSE", "Substance misuse"),
            ("SOCIALLY_ISOLATED", "Socially isolated"),
        ],
    )
}

SEXES: dict[str, str] = {"M": "Male", "F": "Female", "U": "Not known", "X": "Other"}

AGENCY_KINDS: dict[str, Term] = {
    t.code: t
    for t in _terms(
        "agency kind",
        [
            ("CHILDRENS_SOCIAL_CARE", "Children's social care"),
            ("EARLY_HELP", "Early help"),
            ("MIDWIFERY", "Midwifery"),
            ("HEALTH_VISITING", "Health visiting"),
            ("GP", "General practice"),
            ("HOSPITAL", "Hospital"),
            ("ADULT_MENTAL_HEALTH", "Adult mental health"),
            ("ADULT_SOCIAL_CARE", "Adult social care"),
            ("POLICE", "Police"),
            ("PROBATION", "Probation"),
            ("PRISON", "Prison"),
            ("REFUGE", "Refuge"),
            ("DOMESTIC_ABUSE_SERVICE", "Domestic abuse service"),
            ("PROGRAMME_PROVIDER", "Programme provider"),
            ("HOUSING", "Housing"),
            ("EDUCATION", "Education"),
            ("OTHER", "Other"),
        ],
    )
}


def event_label(code: str) -> str:
    """Plain words for an event code; the code itself if it is not in the vocabulary."""
    term = EVENT_TYPES.get(code)
    return term.label if term else code


CONCERN_EVENT_TYPES: frozenset[str] = frozenset({
    "REFERRAL", "S47_START", "NO_ACCESS_VISIT", "APPOINTMENT_MISSED", "ED_ATTENDANCE",
    "INJURY", "MENTAL_HEALTH_CONCERN", "SUBSTANCE_MISUSE_CONCERN", "MEDICATION_STOPPED",
    "CPIS_ALERT", "DA_INCIDENT", "ARREST", "CONVICTION", "LICENCE_RECALL", "MARAC_REFERRAL",
    "PROGRAMME_DROPOUT", "SERIOUS_INCIDENT", "CUSTODY_RELEASE",
})
"""The "concern event" building block (docs/rules.md): events that on their own say
something may be wrong for a child or an adult around them. Used by the rules
(POST_STEP_DOWN_DETERIORATION, JIGSAW_GAP) and as the significance of chronology entries.
A partnership can change the set in the rule catalogue (alerts/catalogue.toml)."""
