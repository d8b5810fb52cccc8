"""7-minute briefings, their history, guard overrides and the learning activities that use
them (docs/briefings.md).

A Briefing belongs to a review and always has seven numbered parts; each part has a label
(from the partnership's defaults, changeable per briefing) and text. Nothing is deleted:
every change is a BriefingEvent, and every time someone publishes or renders past the
de-identification guard the override is kept with who, when, why and what it let through.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Briefing(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT,
                               related_name="briefings")
    title = models.CharField(max_length=200)
    reflection_questions = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=BriefingStatus.choices,
                              default=BriefingStatus.DRAFT)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_by = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Briefing {self.pk} ({self.title})"


class BriefingPart(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["briefing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "number"], name="briefing_part_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=7),
                                   name="briefing_part_one_to_seven"),
        ]


class BriefingEvent(models.Model):
    """Every change to a briefing (composed, part edited, published...), with who and when."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    who = models.CharField(max_length=150)
    what = models.CharField(max_length=40)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["briefing", "at", "id"]


class GuardOverride(models.Model):
    """Someone published or rendered a briefing although the guard found identifiers."""

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="overrides")
    at = models.DateTimeField(default=timezone.now)
    who = models.CharField(max_length=150)
    reason = models.TextField()
    action = models.CharField(max_length=40, help_text="publish, or render as FORMAT")
    problems = models.JSONField(default=list, help_text="What the guard found and was overridden")

    class Meta:
        ordering = ["briefing", "at", "id"]


class LearningActivity(models.Model):
    """One use of a briefing: a team meeting, supervision group or learning circle."""

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="activities")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.CharField(max_length=200)
    held_on = models.DateField()
    attendees = models.PositiveIntegerField()
    facilitator = models.CharField(max_length=200)
    reflections = models.TextField(blank=True)
    changes = models.TextField(blank=True, help_text="What the team will change")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["briefing", "held_on", "id"]
        verbose_name_plural = "learning activities"
