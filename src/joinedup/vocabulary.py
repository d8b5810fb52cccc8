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
                ("HV_CASELOAD_START", "Joined a health visiting caseload"),
                ("HV_CASELOAD_END", "Left a health visiting caseload"),
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
                ("DOMESTIC_ABUSE_CONCERN", "Domestic abuse concern (no incident reported)"),
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
    "INJURY", "MENTAL_HEALTH_CONCERN", "SUBSTANCE_MISUSE_CONCERN", "DOMESTIC_ABUSE_CONCERN",
    "MEDICATION_STOPPED",
    "CPIS_ALERT", "DA_INCIDENT", "ARREST", "CONVICTION", "LICENCE_RECALL", "MARAC_REFERRAL",
    "PROGRAMME_DROPOUT", "SERIOUS_INCIDENT", "CUSTODY_RELEASE",
})
"""The "concern event" building block (docs/rules.md): events that on their own say
something may be wrong for a child or an adult around them. Used by the rules
(POST_STEP_DOWN_DETERIORATION, JIGSAW_GAP) and as the significance of chronology entries.
A partnership can change the set in the rule catalogue (alerts/catalogue.toml)."""


@dataclass(frozen=True)
class Significance:
    """How much one kind of event matters on its own to a child's safety, and why: "high"
    (it changes what is known about the risk to the child, or what is being done about
    it), "medium" (it matters as part of a pattern) or "low" (routine work or record-keeping).
    The chronology's "significant events" are the high ones."""

    level: str
    reason: str


SIGNIFICANCE_LEVELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}

_H, _M, _L = "high", "medium", "low"
EVENT_SIGNIFICANCE: dict[str, Significance] = {
    code: Significance(level, reason) for code, level, reason in [
    ("CONTACT", _M, "someone was worried enough to contact children's social care"),
    ("REFERRAL", _H, "a concern about the child was referred for social care to act on"),
    ("REFERRAL_NFA", _H, "a decision that social care would not act on a referral"),
    ("ASSESSMENT_START", _M, "the family's needs began to be assessed"),
    ("ASSESSMENT_COMPLETE", _H, "an assessment's conclusion decides what support follows"),
    ("STRATEGY_DISCUSSION", _H, "agencies met because a child may be suffering significant harm"),
    ("S47_START", _H, "a child protection enquiry into possible significant harm began"),
    ("ICPC", _H, "a conference decided whether the child needs a protection plan"),
    ("CP_PLAN_START", _H, "the child became subject to a child protection plan"),
    ("CP_PLAN_END", _H, "the child protection plan ended: the protection around the child changed"),
    ("CP_REVIEW", _M, "a review of the child protection plan"),
    ("CIN_PLAN_START", _M, "the child became a child in need with a plan"),
    ("CIN_PLAN_END", _M, "the child in need plan ended"),
    ("CASE_CLOSURE", _H, "social care stopped working with the family"),
    ("STEP_DOWN", _H, "the case moved to a lower level of help"),
    ("STEP_UP", _H, "the case moved to a higher level of help because of concern"),
    ("TRANSFER_IN", _H, "the family arrived from another area, with history held elsewhere"),
    ("TRANSFER_OUT", _H, "the family moved to another area and its services changed hands"),
    ("PRE_BIRTH_ASSESSMENT", _H, "risk to an unborn baby was being assessed"),
    ("HOME_VISIT", _L, "routine visit by the allocated worker"),
    ("NO_ACCESS_VISIT", _M, "the worker could not see the child; repeated, a warning sign"),
    ("LAC_EPISODE_START", _H, "the child became looked after"),
    ("LAC_EPISODE_END", _H, "the child stopped being looked after"),
    ("CARE_HISTORY_SUMMARY", _L, "a summary of a care history, not an event in itself"),
    ("EH_EPISODE_START", _M, "early help started working with the family"),
    ("EH_EPISODE_END", _M, "early help stopped working with the family"),
    ("TAC_MEETING", _L, "a routine meeting of the team around the child"),
    ("ANTENATAL_BOOKING", _L, "routine start of maternity care"),
    ("BIRTH", _H, "the child was born: every later age and risk is counted from it"),
    ("NEW_BIRTH_VISIT", _L, "routine health visiting contact"),
    ("HV_VISIT", _L, "routine health visiting contact"),
    ("HV_CASELOAD_START", _L, "a health visiting team began to see the family"),
    ("HV_CASELOAD_END", _M, "a health visiting team stopped seeing the family (a move, a "
     "transfer, or the child turning five)"),
    ("GP_CONSULTATION", _L, "routine primary care"),
    ("APPOINTMENT_ATTENDED", _L, "routine appointment kept"),
    ("APPOINTMENT_MISSED", _M, "a child not brought to care; repeated, a warning sign"),
    ("ED_ATTENDANCE", _M, "an emergency visit to hospital; more than one, a warning sign"),
    ("ADMISSION", _H, "the child or a carer was admitted to hospital"),
    ("INJURY", _H, "an injury to a child, above all a baby, can be a sign of abuse"),
    ("CP_MEDICAL", _H, "a doctor examined the child because abuse was suspected"),
    ("MEDICATION_PRESCRIBED", _L, "routine treatment"),
    ("MEDICATION_STOPPED", _M, "a carer stopping treatment can change the risk to the child"),
    ("MENTAL_HEALTH_CONCERN", _M, "a carer's mental health may affect the care of the child"),
    ("SUBSTANCE_MISUSE_CONCERN", _M, "a carer's drug or alcohol use may affect the child"),
    ("DOMESTIC_ABUSE_CONCERN", _M, "domestic abuse at home was identified, though no incident "
     "was reported"),
    ("GP_REGISTRATION", _L, "record-keeping: registered with a practice"),
    ("CPIS_ALERT", _H, "an alert that the child is on a plan or looked after elsewhere"),
    ("DA_INCIDENT", _H, "domestic abuse in the household harms and endangers children"),
    ("ARREST", _H, "an adult around the child was arrested"),
    ("CONVICTION", _H, "an adult around the child was convicted of an offence"),
    ("CUSTODY_START", _H, "an adult around the child went into custody"),
    ("SEX_OFFENDER_REGISTERED", _H, "an adult around the child is a registered sex offender"),
    ("MARAC_REFERRAL", _H, "a victim of domestic abuse was judged at high risk"),
    ("MARAC_MEETING", _M, "agencies planned the safety of a high-risk victim"),
    ("DISCLOSURE_MADE", _H, "someone was told of a partner's history of abuse"),
    ("CUSTODY_RELEASE", _H, "an adult who may pose a risk came back into the child's life"),
    ("LICENCE_START", _M, "an adult's licence conditions began"),
    ("LICENCE_END", _H, "probation's oversight of an adult around the child ended"),
    ("LICENCE_RECALL", _H, "an adult was recalled to custody for breaching a licence"),
    ("MAPPA_LEVEL", _H, "how closely a risky adult is managed was set or changed"),
    ("HOME_CIRCUMSTANCES_CHECK", _M, "probation checked who lives at an address"),
    ("ADULT_SERVICE_CONTACT", _L, "routine contact with adult services"),
    ("PROGRAMME_START", _L, "an adult started a programme"),
    ("PROGRAMME_DROPOUT", _M, "an adult stopped a programme meant to reduce risk"),
    ("REFUGE_ENTRY", _H, "a parent fled domestic abuse"),
    ("ADDRESS_CHANGE", _M, "a move can break services' contact with the family"),
    ("INFO_REQUEST_SENT", _L, "record-keeping: one agency asked another"),
    ("INFO_RECEIVED", _L, "record-keeping: an agency answered"),
    ("INFO_SHARED", _M, "an agency shared what it knew about the family"),
    ("PROFESSIONALS_MEETING", _M, "agencies met to plan together"),
    ("SERIOUS_INCIDENT", _H, "a child died or was seriously harmed"),
    ("SIN_SUBMITTED", _H, "the partnership reported a serious incident nationally"),
    ("RAPID_REVIEW_COMPLETE", _M, "the partnership's first look at what happened"),
    ("CSPR_DECISION", _M, "a decision on a practice review"),
    ("CSPR_PUBLISHED", _L, "learning published after the event"),
]}
"""The significance of each kind of event (docs/chronology.md lists them). Every code of
``EVENT_TYPES`` has one; a code not in the vocabulary counts as medium (read it)."""


def significance(code: str) -> Significance:
    """The significance of an event code (medium for a code not in the vocabulary)."""
    return EVENT_SIGNIFICANCE.get(code, Significance(_M, "not in the vocabulary: read it"))


HIGH_SIGNIFICANCE: frozenset[str] = frozenset(
    code for code, s in EVENT_SIGNIFICANCE.items() if s.level == _H)
"""The kinds of event the chronology's "significant events" view shows."""
