"""Practice reviews: from a serious incident to the learning (docs/reviews.md).

A Review opens when the local authority becomes aware of a serious incident. Its statutory
clocks are Steps with due dates in working days (serious incident notification in 5, rapid
review in 15, agency summaries inside that timetable, publication of a local review in 6
months). Findings carry the narrative and themes; Actions the recommendations with owners.
The review is known outside the panel only by its pseudonym ("Baby S"): everything that can
be published is written with it, never with the family's names.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Theme(models.Model):
    """A learning theme from the partnership's taxonomy (extendable)."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class ReviewStatus(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    DECIDED = "decided", "Decision made"
    CSPR = "cspr", "Local review in progress"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class Decision(models.TextChoices):
    LOCAL_CSPR = "local_cspr", "Local child safeguarding practice review"
    OTHER_LEARNING = "other_learning", "Other learning (no local review)"
    NATIONAL_REVIEW = "national_review", "Referred for a national review"


class Review(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reviews")
    pseudonym = models.CharField(max_length=60, help_text='How the child is named, e.g. "Baby S"')
    incident_on = models.DateField(help_text="When the serious incident happened")
    aware_on = models.DateField(help_text="When the local authority became aware")
    what_happened = models.TextField(help_text="Pseudonymised summary of the incident")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices,
                              default=ReviewStatus.RAPID_REVIEW)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    criteria = models.JSONField(default=dict, help_text="Regulation 11 criteria a-d: reasons")
    decision_reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    opened_by = models.CharField(max_length=150)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True,
                                 help_text="When the review was closed: its panel's access to "
                                           "the child's record ends after a grace period")

    class Meta:
        ordering = ["-aware_on", "id"]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.pseudonym})"


class StepStatus(models.TextChoices):
    DUE = "due", "Due"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "Not needed"


class Step(models.Model):
    """One step of the review's timetable with its statutory or planned due date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=40, help_text="e.g. SIN, RAPID_REVIEW, AGENCY_SUMMARY, "
                                                     "PANEL_MEETING, SENT_TO_PANEL, PUBLICATION")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="For an agency summary")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=StepStatus.choices,
                              default=StepStatus.DUE)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="e.g. the agency's summary, or minutes")
    recorded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["review", "due_on", "id"]


class Finding(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    narrative = models.TextField(help_text="Written with the pseudonym, never names")
    remember = models.TextField(
        blank=True, help_text="What practitioners should remember from it, one point a line, "
                              "for the briefing's \"Things to remember\"; written with the "
                              "pseudonym, never names")
    themes = models.ManyToManyField(Theme, related_name="findings", blank=True)
    evidence = models.ManyToManyField("chronology.Event", related_name="+", blank=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"],
                                               name="finding_number_once")]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ReviewAction(models.Model):
    """A recommended action from a review, with an owner and a due date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    owner_agency = models.ForeignKey("agencies.Agency", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "due_on", "id"]


class ReviewEvent(models.Model):
    """Every change to a review, with who and when (the review's own history)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    who = models.CharField(max_length=150)
    what = models.CharField(max_length=40)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "at", "id"]
