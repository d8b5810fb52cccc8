"""The audit trail: append-only, each row chained to the one before by its hash.

Every entry is numbered 1, 2, 3, ... with no gaps (its ``id``). Its ``hash`` is SHA-256 over
a canonical serialisation of its fields (:func:`canonical`) followed by the previous entry's
hash, which it also stores as ``prev_hash``; the first entry's previous hash is empty. The
head row (``AuditHead``) holds the last number and hash. So:

- an edited row no longer matches its own hash;
- a deleted row leaves a gap in the numbers (or, at the end, a shortfall against the head);
- rows moved to other numbers carry hashes made for the numbers they were written with,
  and their previous hashes point at the entries they really followed.

Writers take the head row under a lock (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
the whole write transaction holds the database's write lock, joinedup opens it IMMEDIATE),
so two writers can never take the same number or chain from the same previous row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.access.models import AuditAction, AuditEntry, AuditHead
from joinedup.errors import ActionError

LOOKING = (AuditAction.VIEW_CHILD, AuditAction.VIEW_CHRONOLOGY, AuditAction.EXPORT,
           AuditAction.DOWNLOAD, AuditAction.BREAK_GLASS, AuditAction.ACCESS_REFUSED,
           AuditAction.VIEW_IDENTIFIERS)
"""The actions that are a look at a child's record (for "who looked at this child"),
a data steward's look at the identifiers of the child or their family included."""


def actor_name(actor: Any) -> str:
    """A user's name, or the text given (a command-line user, "system")."""
    if isinstance(actor, str):
        return actor.strip() or "unknown"
    return str(getattr(actor, "username", None) or actor)


def canonical(entry_id: int, at: dt.datetime, actor: str, action: str, object_type: str,
              object_id: str, child_id: int | None, reason: str, details: Any,
              prev_hash: str) -> bytes:
    """The bytes an entry's hash is made from: its fields as JSON with sorted keys, no spaces,
    the time in UTC to the microsecond."""
    fields = {
        "id": entry_id,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "child_id": child_id,
        "reason": reason,
        "details": details,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_hash(entry: AuditEntry, *, entry_id: int | None = None) -> str:
    """The hash the entry should carry (as if numbered ``entry_id``, when given)."""
    data = canonical(entry.id if entry_id is None else entry_id, entry.at, entry.actor,
                     entry.action, entry.object_type, entry.object_id, entry.child_id,
                     entry.reason, entry.details, entry.prev_hash)
    return hashlib.sha256(data).hexdigest()


def record(actor: Any, action: str, *, object_type: str = "", object_id: Any = "",
           child_id: int | None = None, reason: str = "",
           details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry to the trail and return it.

    ``actor`` is a user or a name; ``action`` one of :class:`AuditAction`. Runs in its own
    transaction (or a savepoint of the caller's, whose rollback takes the entry with it)."""
    if action not in AuditAction.values:
        raise ActionError(f"{action!r} is not an audit action. Use one of: "
                          f"{', '.join(AuditAction.values)}.")
    # what is stored is what is hashed: round-trip the details through JSON first
    stored_details = json.loads(json.dumps(details or {}, default=str, sort_keys=True))
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead(pk=1)
        entry = AuditEntry(
            id=head.last_id + 1, at=timezone.now(), actor=actor_name(actor), action=action,
            object_type=object_type, object_id=str(object_id), child_id=child_id,
            reason=reason, details=stored_details, prev_hash=head.last_hash)
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_id, head.last_hash = entry.id, entry.hash
        head.save()
    return entry


@dataclass(frozen=True)
class Problem:
    """Something wrong with the trail, at one entry."""

    entry_id: int
    kind: str  # edited, deleted, reordered, chain_broken
    message: str


def _written_as(entry: AuditEntry, depth: int = 0) -> int | None:
    """The number an entry was written with, when it no longer matches its hash where it
    sits: one more than the number of the entry its previous hash points at (followed back
    through other moved entries, a few dozen at most). None: it was edited, not moved."""
    if not entry.prev_hash:
        number: int | None = 0
    else:
        before = AuditEntry.objects.filter(hash=entry.prev_hash).exclude(pk=entry.pk).first()
        if before is None:
            return None
        if entry_hash(before) == before.hash:
            number = before.id
        elif depth < 50:
            number = _written_as(before, depth + 1)
        else:
            number = None
    if number is None or number + 1 == entry.id:
        return None
    return number + 1 if entry_hash(entry, entry_id=number + 1) == entry.hash else None


def verify(batch: int = 5000) -> list[Problem]:
    """Check the whole trail; every problem found, in order (empty: the trail is intact)."""
    problems: list[Problem] = []
    expected_id = 1
    previous: AuditEntry | None = None
    previous_sound = True
    for entry in _in_order(batch):
        gap = entry.id != expected_id
        if gap:
            first_missing, last_missing = expected_id, entry.id - 1
            span = (f"entry {first_missing} is" if first_missing == last_missing
                    else f"entries {first_missing} to {last_missing} are")
            problems.append(Problem(entry.id, "deleted",
                                    f"{span} missing before entry {entry.id}: deleted"))
        sound = entry_hash(entry) == entry.hash
        if not sound:
            moved = _written_as(entry)
            if moved is not None:
                problems.append(Problem(entry.id, "reordered",
                                        f"entry {entry.id} holds what was written as entry "
                                        f"{moved}: entries have been reordered"))
            else:
                problems.append(Problem(entry.id, "edited",
                                        f"entry {entry.id} ({entry.action} by {entry.actor}) "
                                        "does not match its hash: it has been edited"))
        elif not gap and previous_sound and \
                entry.prev_hash != (previous.hash if previous else ""):
            if previous is None:
                problems.append(Problem(entry.id, "chain_broken",
                                        f"entry {entry.id} was chained to an earlier entry, "
                                        "but none is left: the first entries were removed"))
            else:
                problems.append(Problem(previous.id, "chain_broken",
                                        f"entry {previous.id} has been rewritten: entry "
                                        f"{entry.id} was chained to a different entry "
                                        f"{previous.id}"))
        previous, previous_sound = entry, sound
        expected_id = entry.id + 1
    head = AuditHead.objects.filter(pk=1).first()
    last_id, last_hash = (head.last_id, head.last_hash) if head else (0, "")
    if previous is None and last_id:
        problems.append(Problem(1, "deleted", f"all {last_id} entries have been deleted"))
    elif previous is not None and previous.id < last_id:
        problems.append(Problem(previous.id + 1, "deleted",
                                f"entries {previous.id + 1} to {last_id} (the last ones) "
                                "are missing: deleted"))
    elif previous is not None and (previous.id > last_id or previous.hash != last_hash):
        problems.append(Problem(previous.id, "edited",
                                f"entry {previous.id} is not the last entry written "
                                f"(entry {last_id}): entries were added outside joinedup"))
    return problems


def _in_order(batch: int) -> Iterator[AuditEntry]:
    """Every entry by number, a batch at a time (keyset paging, constant memory)."""
    after = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=after).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def count() -> int:
    return AuditEntry.objects.count()


def entries(child_id: int | None = None, actor: str | None = None,
            action: str | None = None) -> QuerySet[AuditEntry]:
    """Entries, newest first, about one child and by one actor when given."""
    query = AuditEntry.objects.all()
    if child_id is not None:
        query = query.filter(child_id=child_id)
    if actor:
        query = query.filter(actor=actor)
    if action:
        query = query.filter(action=action)
    return query.order_by("-id")


def who_looked_at(child_id: int) -> QuerySet[AuditEntry]:
    """For auditors: every look at one child's record, newest first, with who and why."""
    return entries(child_id).filter(action__in=LOOKING)


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor,
            "action": entry.action, "object_type": entry.object_type,
            "object_id": entry.object_id, "child_id": entry.child_id, "reason": entry.reason,
            "details": entry.details, "prev_hash": entry.prev_hash, "hash": entry.hash}
