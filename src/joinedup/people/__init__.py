"""People: the records each agency keeps of a person, versioned; linkage of those records
into persons (``linking.py``, ``linkage/``), the family network around a child
(``network.py``) and finding a person (``directory.py``).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "Conflict",
    "LinkDecision",
    "Member",
    "Person",
    "PersonRecord",
    "PersonSummary",
    "REVIEW_BAND",
    "ROLE_LABELS",
    "Relation",
    "THRESHOLD",
    "children_only",
    "decide",
    "explain_pair",
    "export_persons",
    "is_child",
    "link",
    "network_for",
    "networks_remembered",
    "resolve_person",
    "resolve_record",
    "review_queue",
    "review_queue_count",
    "split_person",
    "summaries",
]

if TYPE_CHECKING:
    from joinedup.people.directory import (
        PersonSummary,
        children_only,
        is_child,
        resolve_person,
        summaries,
    )
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
    from joinedup.people.person_export import export_persons

__getattr__ = public_face.lazy(__name__, __file__)
