"""People: the records each agency keeps of a person, versioned; linkage of those records
into persons (``linking.py``, ``linkage/``), the family network around a child
(``network.py``) and finding a person (``directory.py``).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "CONFLICTING_NHS_NUMBER",
    "SCORE_BANDS",
    "AgencyCoverage",
    "Conflict",
    "FamilyEvidence",
    "LinkDecision",
    "Member",
    "NhsConflict",
    "Person",
    "PersonRecord",
    "PersonSummary",
    "REVIEW_BAND",
    "ROLE_LABELS",
    "Relation",
    "ReviewFilters",
    "THRESHOLD",
    "WorkQueue",
    "children_only",
    "decide",
    "defer_pair",
    "explain_family",
    "explain_pair",
    "export_persons",
    "is_child",
    "link",
    "network_for",
    "networks_remembered",
    "next_pair",
    "nhs_conflicts",
    "nhs_coverage",
    "resolve_person",
    "resolve_record",
    "review_queue",
    "review_queue_count",
    "split_person",
    "summaries",
    "work_queue",
]

if TYPE_CHECKING:
    from joinedup.people.consistent_identifier import (
        AgencyCoverage,
        NhsConflict,
        nhs_conflicts,
        nhs_coverage,
    )
    from joinedup.people.directory import (
        PersonSummary,
        children_only,
        is_child,
        resolve_person,
        summaries,
    )
    from joinedup.people.family_links import FamilyEvidence, explain_family
    from joinedup.people.linking import (
        REVIEW_BAND,
        THRESHOLD,
        decide,
        explain_pair,
        link,
        resolve_record,
        review_queue,
        review_queue_count,
        split_person,
    )
    from joinedup.people.models import LinkDecision, Person, PersonRecord
    from joinedup.people.network import (
        ROLE_LABELS,
        Conflict,
        Member,
        Relation,
        network_for,
        networks_remembered,
    )
    from joinedup.people.pair_review import (
        CONFLICTING_NHS_NUMBER,
        SCORE_BANDS,
        ReviewFilters,
        WorkQueue,
        defer_pair,
        next_pair,
        work_queue,
    )
    from joinedup.people.person_export import export_persons

__getattr__ = public_face.lazy(__name__, __file__)
