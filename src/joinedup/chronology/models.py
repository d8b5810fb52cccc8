"""Events: what happened to whom, when it happened and when it was recorded.

Bitemporal: ``occurred_at`` is when it happened, ``recorded_at`` when the agency recorded
it. A corrected event is a new version; the old one is kept with ``is_current`` false and
``superseded_at`` set, so "what was known on date D" can be answered later.
"""

from __future__ import annotations

from django.db import models

from joinedup.agencies.models import Agency, Submission
from joinedup.people.models import PersonRecord


class Event(models.Model):
    # agency and subject are indexed through the constraints and indexes in Meta
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    source_id = models.CharField(max_length=100, help_text="The agency's own event identifier")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    subject = models.ForeignKey(
        PersonRecord, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    related_person = models.ForeignKey(  # indexed only where set (see Meta)
        PersonRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False,
    )
    event_type = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    occurred_on = models.DateField(help_text="Calendar date in England of occurred_at")
    occurred_time_known = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_on = models.DateField()
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict)
    extra = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=40)
    submission = models.ForeignKey(  # not indexed: no query looks events up by submission
        Submission, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    source_row = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "occurred_at"]),
            models.Index(fields=["related_person"], name="event_related_person",
                         condition=models.Q(related_person__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_id", "version"], name="event_version_once"
            ),
            models.UniqueConstraint(
                fields=["agency", "source_id"],
                condition=models.Q(is_current=True),
                name="event_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.source_id} v{self.version} {self.event_type}"
