"""The family network of every child at once, in SQL: the same roles as
:class:`joinedup.people.network.RelationIndex` works out for one child (the module
docstring there says which), for the rules' snapshot (``alerts/snapshot.py``), which runs
it over the relationships in one statement rather than building thousands of networks in
Python."""

from __future__ import annotations


def _yes(key: str) -> str:
    return f"lower(trim(coalesce(json_extract_string(details, '$.{key}'), ''))) IN " \
        "('true', 'yes', '1')"


NETWORK_SQL = f"""
WITH rel AS (SELECT * FROM relation WHERE person_id <> related_id),
direct AS (
  SELECT related_id AS child_id, person_id, CASE relationship
           WHEN 'MOTHER_OF' THEN 'MOTHER' WHEN 'FATHER_OF' THEN 'FATHER'
           WHEN 'GRANDPARENT_OF' THEN 'GRANDPARENT'
           WHEN 'CARER_OF' THEN CASE WHEN {_yes("foster")} THEN 'FOSTER_CARER'
                                     ELSE 'KINSHIP_CARER' END
           WHEN 'SIBLING_OF' THEN 'SIBLING'
           WHEN 'HOUSEHOLD_MEMBER_OF' THEN CASE WHEN {_yes("regular_visitor")}
                THEN 'REGULAR_VISITOR' ELSE 'ADULT_HOUSEHOLD_MEMBER' END END AS role
    FROM rel JOIN child ON child.child_id = rel.related_id
  UNION ALL
  SELECT person_id, related_id, CASE relationship WHEN 'SIBLING_OF' THEN 'SIBLING'
           ELSE 'ADULT_HOUSEHOLD_MEMBER' END
    FROM rel JOIN child ON child.child_id = rel.person_id
   WHERE relationship IN ('SIBLING_OF', 'HOUSEHOLD_MEMBER_OF')),
parent AS (SELECT DISTINCT child_id, person_id AS parent_id FROM direct
            WHERE role IN ('MOTHER', 'FATHER')),
touching AS (  -- each relationship of each parent (two hash joins, not an OR join)
  SELECT p.child_id, p.parent_id, r.* FROM parent p JOIN rel r ON r.person_id = p.parent_id
  UNION ALL
  SELECT p.child_id, p.parent_id, r.* FROM parent p JOIN rel r ON r.related_id = p.parent_id),
via AS (
  SELECT r.child_id,
         CASE WHEN r.person_id = r.parent_id THEN r.related_id ELSE r.person_id END AS other,
         CASE
           WHEN r.person_id = r.parent_id AND r.relationship IN ('MOTHER_OF', 'FATHER_OF')
             THEN 'SIBLING'
           WHEN r.relationship = 'PARTNER_OF' THEN 'PARTNER_OF_PARENT'
           WHEN r.relationship = 'EX_PARTNER_OF' THEN 'EX_PARTNER'
           WHEN r.relationship = 'SIBLING_OF' THEN 'OTHER_RELATIVE'
           WHEN r.relationship = 'HOUSEHOLD_MEMBER_OF' AND r.related_id = r.parent_id
             THEN CASE WHEN {_yes("regular_visitor")} THEN 'REGULAR_VISITOR'
                       ELSE 'ADULT_HOUSEHOLD_MEMBER' END
           WHEN r.relationship IN ('MOTHER_OF', 'FATHER_OF') AND r.related_id = r.parent_id
             THEN 'GRANDPARENT'
         END AS role
    FROM touching r
   WHERE r.child_id <> r.person_id AND r.child_id <> r.related_id)
SELECT DISTINCT child_id, person_id, role FROM (
  SELECT child_id, person_id, role FROM direct
  UNION ALL SELECT child_id, other, role FROM via
  UNION ALL SELECT child_id, child_id, 'CHILD_SUBJECT' FROM child)
 WHERE role IS NOT NULL AND (person_id <> child_id OR role = 'CHILD_SUBJECT')
"""  # noqa: S608 - built once at import from our own literal keys (_yes)
"""The same roles as :class:`joinedup.people.network.RelationIndex`, in SQL, for every
child at once (the rules' snapshot, ``alerts/snapshot.py``): over a table
``relation(agency, relationship, person_id, related_id, details)`` and a table
``child(child_id, ...)``, one row per (child, person, role).
``tests/alerts/test_snapshot.py`` checks that both give the same roles."""
