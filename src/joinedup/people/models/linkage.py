"""What linkage makes and remembers: persons, runs, pair scores, decisions and changes.

A Person is one real individual as far as joinedup can tell: a group of agencies' person
records. Person ids are stable across runs (see ``people/linkage/clustering.py``); every
merge, split, creation and retirement is kept as a PersonChange, and every steward's
decision as a LinkDecision that all later runs respect.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LinkModel(models.Model):
    """A trained linkage model (Splink JSON), re-used until retrained."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.CharField(max_length=150)
    seed = models.IntegerField()
    records = models.PositiveIntegerField(help_text="Person records it was trained on")
    last_submission = models.PositiveIntegerField(
        null=True, help_text="Highest submission id included in the training data"
    )
    labels = models.PositiveIntegerField(default=0, help_text="Steward decisions used")
    model = models.JSONField()

    class Meta:
        ordering = ["-version"]


class LinkRun(models.Model):
    """One run of `joinedup link`."""

    KINDS = [("full", "Full"), ("incremental", "Incremental")]

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    who = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=KINDS)
    link_model = models.ForeignKey(LinkModel, on_delete=models.PROTECT, related_name="runs")
    threshold = models.FloatField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]


class Person(models.Model):
    """A person: the stable id that other stages (chronology, alerts) refer to."""

    id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_run = models.ForeignKey(
        LinkRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Person {self.id}"


class PairScore(models.Model):
    """The latest score of one candidate pair of records (a < b)."""

    record_a = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="scores")

    reasons: set[str]
    """Not stored: why a steward should look closely at a pair in the review queue (given
    by ``linking.review_queue``; the names are ``family_links.REASONS``)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="pair_scored_once")
        ]
        indexes = [models.Index(fields=["match_probability"])]


class LinkDecision(models.Model):
    """A data steward's ruling on a pair: these records must, or cannot, be one person."""

    MUST_LINK = "must_link"
    CANNOT_LINK = "cannot_link"
    DECISIONS = [(MUST_LINK, "Same person (confirmed)"), (CANNOT_LINK, "Different people")]

    record_a = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=12, choices=DECISIONS)
    who = models.CharField(max_length=150)
    why = models.TextField()
    decided_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_a", "record_b"], condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_decision_per_pair",
            )
        ]


class PairDeferral(models.Model):
    """A data steward was not sure about a pair: it moves to the end of the review queue,
    set aside, until someone decides it. Kept with who and when; the latest one counts."""

    record_a = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    who = models.CharField(max_length=150)
    deferred_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="What the steward was unsure of, if said")

    class Meta:
        ordering = ["deferred_at", "id"]
        indexes = [models.Index(fields=["record_a", "record_b"])]


class PersonChange(models.Model):
    """A person created, merged, split, retired, or gaining or losing records."""

    at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(LinkRun, null=True, on_delete=models.SET_NULL, related_name="changes")
    who = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    person_id = models.BigIntegerField(db_index=True)
    other_person_ids = models.JSONField(default=list)
    record_ids = models.JSONField(default=list)
    explanation = models.TextField()

    class Meta:
        ordering = ["at", "id"]
