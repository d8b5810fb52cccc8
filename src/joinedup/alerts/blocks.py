"""The named building blocks every rule shares, defined once.

- **concern event**: an event type in :data:`joinedup.vocabulary.CONCERN_EVENT_TYPES`;
- **risk adult**: a person with a risk flag (MAPPA level, sex offender registration,
  violent or sexual offending, domestic abuse perpetrator), or the subject of a sex offender
  registration or MAPPA event, or the perpetrator (related person) of a domestic abuse
  incident: a risk adult from the earliest of those dates (from always, for a flag);
- **child under N months**: unborn (up to 40 weeks before the date of birth) or younger than
  N calendar months on the day;
- **in household** and the other groups of roles: :data:`ROLE_GROUPS`, over the roles of
  the family network (``people/network.py``);
- **on a plan**: between a child in need or child protection plan start and its end.

The SQL here runs on the snapshot's tables (``snapshot.py``); the compiler refers to these
views and macros by name instead of repeating their definitions in every rule.
"""

from __future__ import annotations

from joinedup.alerts.dialects import DUCKDB, Dialect
from joinedup.people.network import CARER_ROLES
from joinedup.vocabulary import CONCERN_EVENT_TYPES

RISK_FLAGS = ("MAPPA_1", "MAPPA_2", "MAPPA_3", "SEX_OFFENDER_REGISTERED", "VIOLENT_OFFENDER",
              "SEXUAL_OFFENDER", "DA_PERPETRATOR")
RISK_EVENT_TYPES = ("SEX_OFFENDER_REGISTERED", "MAPPA_LEVEL")
RISK_ROLES = ("FATHER", "PARTNER_OF_PARENT", "EX_PARTNER", "ADULT_HOUSEHOLD_MEMBER",
              "REGULAR_VISITOR")
"""Roles in which a risk adult matters to a child: the men (and women) around the baby."""

_ADULT_ROLES = ("MOTHER", "FATHER", "PARTNER_OF_PARENT", "EX_PARTNER",
                "ADULT_HOUSEHOLD_MEMBER", "REGULAR_VISITOR", "GRANDPARENT", "OTHER_RELATIVE",
                "KINSHIP_CARER", "FOSTER_CARER")
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "child": ("CHILD_SUBJECT",),
    "parent": ("MOTHER", "FATHER"),
    "carer": tuple(sorted(CARER_ROLES)),
    "household": tuple(sorted(CARER_ROLES | {"REGULAR_VISITOR"})),
    "case": ("CHILD_SUBJECT", *sorted(CARER_ROLES)),
    "adult": _ADULT_ROLES,
    "risk_adult": RISK_ROLES,
    "anyone": ("CHILD_SUBJECT", "SIBLING", *_ADULT_ROLES),
}
"""``whose`` in a selector: which roles in the child's network an event's subject may have."""

BLOCK_TYPES: dict[str, tuple[str, ...]] = {"concern": tuple(sorted(CONCERN_EVENT_TYPES))}

PLAN_KINDS = (("CIN_PLAN_START", "CIN_PLAN_END"), ("CP_PLAN_START", "CP_PLAN_END"))
UNBORN_DAYS = 280
"""Forty weeks: how long before the date of birth a child counts as unborn."""
NEVER = -10**8
"""The day number used as "since always" (a risk flag has no date)."""


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    """A SQL list of string literals; values are checked codes, quotes doubled anyway."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def views() -> list[str]:
    """Statements creating the shared views over the snapshot tables (the same SQL in
    DuckDB and Spark SQL: Spark reads the outer row only in a subquery's WHERE)."""
    plan_rows = " UNION ALL ".join(
        f"""SELECT n.child_id, s.occ AS start_occ,
               (SELECT min(t.occ) FROM event t JOIN network tn ON tn.person_id = t.person_id
                 AND tn.role = 'CHILD_SUBJECT'
                WHERE tn.child_id = n.child_id AND t.event_type = '{end}'
                  AND t.occ >= s.occ) AS end_occ
            FROM event s JOIN network n ON n.person_id = s.person_id AND n.role = 'CHILD_SUBJECT'
            WHERE s.event_type = '{start}'"""  # noqa: S608 - event codes from PLAN_KINDS, our constants
        for start, end in PLAN_KINDS)
    return [
        f"""CREATE OR REPLACE TEMP VIEW risk_adult AS
            SELECT person_id, min(since) AS since FROM (
              SELECT person_id, {NEVER} AS since FROM person_flag
               WHERE flag IN ({sql_list(RISK_FLAGS)})
              UNION ALL SELECT person_id, occ FROM event
               WHERE event_type IN ({sql_list(RISK_EVENT_TYPES)})
              UNION ALL SELECT related_id, occ FROM event
               WHERE event_type = 'DA_INCIDENT' AND related_id IS NOT NULL
            ) GROUP BY person_id""",  # noqa: S608 - our own vocabulary's codes, quoted by sql_list
        f"""CREATE OR REPLACE TEMP VIEW risk_evidence AS
            SELECT person_id, event_pk, occ FROM event
             WHERE event_type IN ({sql_list(RISK_EVENT_TYPES)})
            UNION ALL SELECT related_id, event_pk, occ FROM event
             WHERE event_type = 'DA_INCIDENT' AND related_id IS NOT NULL""",  # noqa: S608 - our own vocabulary's codes, quoted by sql_list
        f"CREATE OR REPLACE TEMP VIEW plan_period AS {plan_rows}",
        """CREATE OR REPLACE TEMP VIEW child_start AS
           SELECT n.child_id, min(e.occ) AS occ FROM event e
             JOIN network n ON n.person_id = e.person_id AND n.role = 'CHILD_SUBJECT'
            GROUP BY n.child_id""",
    ]


def child_under_months(months: int, d: Dialect = DUCKDB, event: str = "e",
                       child: str = "c") -> str:
    return (f"({child}.dob IS NOT NULL AND {event}.occ_date >= "
            f"{d.plus_days(f'{child}.dob', -UNBORN_DAYS)} AND {event}.occ_date < "
            f"{d.plus_months(f'{child}.dob', months)})")


def on_plan(event: str = "e", child: str = "c") -> str:
    return (f"EXISTS (SELECT 1 FROM plan_period pp WHERE pp.child_id = {child}.child_id AND "  # noqa: S608 - aliases are the compiler's literals
            f"pp.start_occ <= {event}.occ AND (pp.end_occ IS NULL OR {event}.occ < pp.end_occ))")
