"""Agencies and the returns they send (submissions): who sent what, which every record cites.

The tables keep the names they had when these models lived in ``joinedup.ingest``
(``ingest_agency``, ``ingest_submission``; decision 0010), so moving them changed no data.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from joinedup.vocabulary import AGENCY_KINDS

AGENCY_KIND_CHOICES = [(code, term.label) for code, term in AGENCY_KINDS.items()]

GSS_CODE = RegexValidator(
    r"^[EWSN]\d{8}$", "An area is an ONS GSS code: a letter and eight digits, e.g. E08000007."
)
AGENCY_CODE = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,31}$",
    "An agency code is up to 32 capital letters, digits, '_' or '-', e.g. HV or CSC_PREV.",
)


class Agency(models.Model):
    """An organisation that sends returns: a council service, a health trust, police..."""

    code = models.CharField(max_length=32, unique=True, validators=[AGENCY_CODE])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=AGENCY_KIND_CHOICES)
    area_code = models.CharField(max_length=9, validators=[GSS_CODE])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ingest_agency"
        ordering = ["code"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class Submission(models.Model):
    """One return received from one agency: a file, a folder or an API document.

    The SHA-256 of the content is unique per agency, so the same return sent twice is
    recognised and changes nothing.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="submissions")
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.CharField(max_length=150)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, help_text="Per table: read, new, corrected, ...")

    class Meta:
        db_table = "ingest_submission"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "sha256"], name="submission_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"Submission {self.pk} from {self.agency.code}: {self.file_name}"
