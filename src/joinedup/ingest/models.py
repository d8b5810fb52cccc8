"""What a return's check kept back: the rows quarantined and the warnings on rows that loaded.

The agencies and the returns they sent (``Submission``) are in :mod:`joinedup.agencies`.
"""

from __future__ import annotations

from django.db import models

from joinedup.agencies.models import Submission


class QuarantinedRow(models.Model):
    """A row that could not be used, kept with every reason and its raw values."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="quarantine")
    table = models.CharField(max_length=20)
    row_number = models.PositiveIntegerField()
    location = models.CharField(max_length=500, blank=True)
    column = models.CharField(max_length=100, blank=True, help_text="Column of the first problem")
    reason = models.TextField(help_text="Every problem with this row, one per line")
    fix = models.TextField(blank=True)
    problems = models.JSONField(default=list)
    raw = models.JSONField(default=dict)

    class Meta:
        ordering = ["submission", "table", "row_number"]


class RowWarning(models.Model):
    """A row that loaded without one optional field; the raw value is kept here."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="row_warnings"
    )
    table = models.CharField(max_length=20)
    row_number = models.PositiveIntegerField()
    location = models.CharField(max_length=500, blank=True)
    column = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    fix = models.TextField(blank=True)
    raw_value = models.TextField(blank=True, null=True)

    class Meta:
        ordering = ["submission", "table", "row_number"]
