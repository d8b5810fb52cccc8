"""The practitioners of an SSD extract: ``ssd_professionals`` and ``ssd_involvements``.

Each event read from the SSD carries the practitioner behind it in the optional event
columns ``worker_name``, ``worker_role`` and ``lead_professional``
(:mod:`joinedup.ingest.worker_fields`), which feed the child's current picture:

- the worker the table itself names (``cina_assessment_worker_id``,
  ``cinp_cin_plan_worker_id``, ...), looked up in ``ssd_professionals``;
- otherwise the worker involved with the child on the event's date, from
  ``ssd_involvements`` (started on or before that day, not ended before it; the latest
  start wins).

``worker_role`` is the involvement's role (``invo_professional_role_id``), else the job
title (``prof_professional_job_title``). ``lead_professional`` is ``yes`` only when the
involvement's role says the worker is the child's *allocated* worker (the allocated social
worker leads for a child in need or on a plan); otherwise it is left empty, never guessed
as ``no``. The SSD holds no telephone or email for a worker, so ``worker_contact`` is not
filled. Both tables are small and are held in memory while the extract is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.ingest.formats.ssd_tables import SsdTables, day


@dataclass(frozen=True)
class Professional:
    name: str
    job_title: str
    team: str


@dataclass(frozen=True)
class Involvement:
    professional_id: str
    role: str
    team: str
    start: str
    end: str


class Workers:
    """Who worked with each child, for the worker columns of its events."""

    def __init__(self) -> None:
        self.professionals: dict[str, Professional] = {}
        self.involvements: dict[str, list[Involvement]] = {}

    @classmethod
    def read(cls, tables: SsdTables) -> Workers:
        workers = cls()
        for _line, row in tables.rows("ssd_professionals"):
            pid = row.get("prof_professional_id", "")
            if pid:
                workers.professionals[pid] = Professional(
                    row.get("prof_professional_name", ""),
                    row.get("prof_professional_job_title", ""),
                    row.get("prof_professional_department", ""))
        for _line, row in tables.rows("ssd_involvements"):
            person, professional = row.get("invo_person_id", ""), row.get(
                "invo_professional_id", "")
            if person and professional:
                workers.involvements.setdefault(person, []).append(Involvement(
                    professional, row.get("invo_professional_role_id", ""),
                    row.get("invo_professional_team", ""),
                    day(row.get("invo_involvement_start_date", "")),
                    day(row.get("invo_involvement_end_date", ""))))
        return workers

    def fields(self, person: str, when: str, worker_id: str = "") -> dict[str, str]:
        """The worker columns for an event of ``person`` on ``when`` (YYYY-MM-DD)."""
        involvement = self._involved(person, when)
        if worker_id and involvement is not None and involvement.professional_id != worker_id:
            involvement = None  # the table names another worker: not this involvement's
        professional_id = worker_id or (involvement.professional_id if involvement else "")
        if not professional_id:
            return {}
        known = self.professionals.get(professional_id)
        out = {"worker_id": professional_id}
        if known is not None and known.name:
            out["worker_name"] = known.name
        role = (involvement.role if involvement else "") or (known.job_title if known else "")
        if role:
            out["worker_role"] = role
        team = (involvement.team if involvement else "") or (known.team if known else "")
        if team:
            out["worker_team"] = team
        if involvement is not None and "allocated" in involvement.role.lower():
            out["lead_professional"] = "yes"
        return out

    def _involved(self, person: str, when: str) -> Involvement | None:
        found = [i for i in self.involvements.get(person, ())
                 if (not i.start or i.start <= when) and (not i.end or i.end >= when)]
        return max(found, key=lambda i: i.start, default=None)
