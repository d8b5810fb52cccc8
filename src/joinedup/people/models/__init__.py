"""People: agencies' person records and relationships, and the persons linkage makes of them."""

from joinedup.people.models.linkage import (
    LinkDecision,
    LinkModel,
    LinkRun,
    PairDeferral,
    PairScore,
    Person,
    PersonChange,
)
from joinedup.people.models.records import PersonRecord, PersonRecordVersion, RelationshipRecord

__all__ = [
    "LinkDecision",
    "LinkModel",
    "LinkRun",
    "PairDeferral",
    "PairScore",
    "Person",
    "PersonChange",
    "PersonRecord",
    "PersonRecordVersion",
    "RelationshipRecord",
]
