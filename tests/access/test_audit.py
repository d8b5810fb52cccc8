"""The audit trail: every record() appends a chained row; any edit, deletion or reordering
made behind Django's back is found by verify(), which names the row."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from joinedup.access import audit
from joinedup.access.models import AuditEntry, AuditHead
from joinedup.errors import ActionError

pytestmark = pytest.mark.postgres


def _five() -> list[AuditEntry]:
    return [audit.record(f"user{i}", "view_child", object_type="person", object_id=i,
                         child_id=100 + i, reason="allocated worker", details={"page": i})
            for i in range(1, 6)]


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_record_appends_a_row_chained_to_the_last(db: None) -> None:
    rows = _five()
    assert [r.id for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == ""
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    third = AuditEntry.objects.get(id=3)
    expected = hashlib.sha256(audit.canonical(
        3, third.at, "user3", "view_child", "person", "3", 103, "allocated worker",
        {"page": 3}, rows[1].hash)).hexdigest()
    assert third.hash == expected
    head = AuditHead.objects.get()
    assert (head.last_id, head.last_hash) == (5, rows[-1].hash)
    assert audit.verify() == []


def test_details_are_stored_as_they_were_hashed(db: None) -> None:
    import datetime as dt

    audit.record("someone", "export", details={"on": dt.date(2025, 5, 21), "n": 1.5})
    assert AuditEntry.objects.get().details == {"on": "2025-05-21", "n": 1.5}
    assert audit.verify() == []


def test_stored_rows_cannot_be_changed_through_django(db: None) -> None:
    entry = _five()[2]
    entry.reason = "nothing to see"
    with pytest.raises(ActionError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ActionError, match="cannot be deleted"):
        entry.delete()
    with pytest.raises(ActionError, match="cannot be changed"):
        AuditEntry.objects.filter(id=3).update(reason="x")
    with pytest.raises(ActionError, match="cannot be deleted"):
        AuditEntry.objects.filter(id=3).delete()
    with pytest.raises(ActionError, match="not an audit action"):
        audit.record("someone", "peeked")
    assert audit.verify() == []


def test_an_edited_row_is_named(db: None) -> None:
    _five()
    _sql("UPDATE access_auditentry SET details = %s WHERE id = 3", '{"page": 99}')
    (problem,) = audit.verify()
    assert (problem.entry_id, problem.kind) == (3, "edited")
    assert "entry 3 (view_child by user3) does not match its hash" in problem.message


def test_an_edited_row_with_its_hash_recomputed_breaks_the_chain(db: None) -> None:
    _five()
    entry = AuditEntry.objects.get(id=2)
    entry.reason = "rewritten"
    _sql("UPDATE access_auditentry SET reason = %s, hash = %s WHERE id = 2", "rewritten",
         audit.entry_hash(entry))
    (problem,) = audit.verify()
    assert (problem.entry_id, problem.kind) == (2, "chain_broken")


def test_a_deleted_middle_row_is_named(db: None) -> None:
    _five()
    _sql("DELETE FROM access_auditentry WHERE id = 3")
    (problem,) = audit.verify()
    assert (problem.entry_id, problem.kind) == (4, "deleted")
    assert problem.message == "entry 3 is missing before entry 4: deleted"


def test_deleted_last_rows_show_against_the_head(db: None) -> None:
    _five()
    _sql("DELETE FROM access_auditentry WHERE id >= 4")
    (problem,) = audit.verify()
    assert (problem.entry_id, problem.kind) == (4, "deleted")
    assert "entries 4 to 5 (the last ones) are missing" in problem.message


def test_swapped_rows_are_named(db: None) -> None:
    _five()
    _sql("UPDATE access_auditentry SET id = -1 WHERE id = 3")
    _sql("UPDATE access_auditentry SET id = 3 WHERE id = 4")
    _sql("UPDATE access_auditentry SET id = 4 WHERE id = -1")
    problems = audit.verify()
    assert [(p.entry_id, p.kind) for p in problems] == [(3, "reordered"), (4, "reordered")]
    assert problems[0].message == \
        "entry 3 holds what was written as entry 4: entries have been reordered"


def test_who_looked_at_a_child(db: None) -> None:
    audit.record("hv.practitioner", "view_child", child_id=7, reason="allocated worker")
    audit.record("data.steward", "change", child_id=7)
    audit.record("school.teacher", "break_glass", child_id=7, reason="Disclosure at school.")
    audit.record("someone", "view_child", child_id=8)
    looked = [(e.actor, e.reason) for e in audit.who_looked_at(7)]
    assert looked == [("school.teacher", "Disclosure at school."),
                      ("hv.practitioner", "allocated worker")]
