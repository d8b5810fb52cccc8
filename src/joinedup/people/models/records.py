"""What each agency holds about a person, and the relationships each agency records.

A PersonRecord is one agency's view of one person (``agency`` + the agency's own
``source_id``); linking records of the same person across agencies is the job of the
linkage stage. Corrections never overwrite: every version is kept in
PersonRecordVersion, and RelationshipRecord rows are versioned in place.
"""

from __future__ import annotations

from django.db import models

from joinedup.agencies.models import Agency, Submission
from joinedup.people.names import record_name


class PersonRecord(models.Model):
    agency = models.ForeignKey(  # indexed through the unique constraint
        Agency, on_delete=models.PROTECT, related_name="person_records", db_index=False
    )
    source_id = models.CharField(max_length=100, help_text="The agency's own identifier")
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    other_names = models.JSONField(default=list, help_text="Aliases, former or maiden names")
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_text = models.CharField(
        max_length=100, blank=True,
        help_text="The date of birth as written, when it could not be read as a date "
                  "(blank when it was): compared by linkage, never used as a date")
    sex = models.CharField(max_length=1, blank=True)
    nhs_number = models.CharField(
        max_length=10, blank=True, db_index=True,
        help_text="Indexed: linkage reads the other records holding a record's number")
    nhs_number_text = models.CharField(
        max_length=100, blank=True,
        help_text="The NHS number as written, when it was not a valid NHS number (blank "
                  "when it was): compared by linkage, never used as an NHS number")
    postcode = models.CharField(
        max_length=8, blank=True, db_index=True,
        help_text="Indexed: the review queue reads the other records at a pair's postcode")
    address = models.TextField(blank=True)
    uprn = models.CharField(
        max_length=12, blank=True,
        help_text="Unique Property Reference Number of the address (digits, blank if not "
                  "sent): compared by linkage")
    flags = models.JSONField(default=list)
    extra = models.JSONField(default=dict, help_text="Columns outside the contract, kept as sent")
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=40)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", help_text="Latest version's"
    )
    source_row = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="records", help_text="The person this record belongs to, after linkage",
    )
    linked_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version last scored by linkage (None: not yet)"
    )
    pseudonymised_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the retention schedule removed this person's identifying details "
                  "(docs/retention.md); the ids stay, so chronologies keep their shape",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "source_id"], name="person_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.source_id}"

    @property
    def display_name(self) -> str:
        """The record's name as pages show it, e.g. "Dean (no family name recorded)"."""
        return record_name(self.given_name, self.family_name, self.other_names,
                           self.agency.code, self.source_id)


class PersonRecordVersion(models.Model):
    """Every version of a person record as received, including the current one."""

    person_record = models.ForeignKey(
        PersonRecord, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=40)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person_record", "version"]
        constraints = [
            models.UniqueConstraint(fields=["person_record", "version"], name="person_version_once")
        ]


class RelationshipRecord(models.Model):
    """One agency's statement that two of its people are related. Versioned in place."""

    agency = models.ForeignKey(  # indexed through the unique constraints
        Agency, on_delete=models.PROTECT, related_name="relationships", db_index=False
    )
    source_key = models.CharField(max_length=250, help_text="person_id|related_person_id|type")
    person = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    related_person = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=30)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    details = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    content_hash = models.CharField(max_length=40)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    source_row = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_key", "version"], name="relationship_version_once"
            ),
            models.UniqueConstraint(
                fields=["agency", "source_key"],
                condition=models.Q(is_current=True),
                name="relationship_one_current",
            ),
        ]
