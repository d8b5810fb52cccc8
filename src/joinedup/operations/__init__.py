"""Running joinedup safely: backups, restores and the retention schedule.

    manifest.py    what a backup holds: counts, migration state, the audit trail's last hash
    postgres.py    finding pg_dump and pg_restore of the server's version, connecting them
    backup.py      `joinedup backup`: a consistent copy of the database while it is in use,
                   and the copy taken before migrations
    restore.py     `joinedup restore`: put a backup in place, then check it against its manifest
    retention_schedule.py  the retention schedule: defaults in retention_schedule.toml,
                   overridable
    person_retention.py    until when each person's identifying details are kept
    retention.py   `joinedup retention run`: what is due, and removing or pseudonymising it

The guide is docs/operations.md; the schedule's defaults are explained in docs/retention.md.

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "before_migrate",
    "manifest",
    "restore_backup",
    "retention",
    "retention_schedule",
    "take_backup",
]

if TYPE_CHECKING:
    from joinedup.operations import manifest, retention, retention_schedule
    from joinedup.operations.backup import before_migrate, take_backup
    from joinedup.operations.restore import restore as restore_backup

__getattr__ = public_face.lazy(__name__, __file__)
