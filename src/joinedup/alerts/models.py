"""Alerts: the stored firings of the rules, with their evidence and what people did.

An alert is history, not a live light: it records the day its rule became true for a child
(``fired_on``), the window the rule looked at, the events behind it and the explanation,
source and recommended action as they read when it was raised, and its priority: its rule's
tier in the catalogue in force at the last run (``priority.py``). It is identified by its
rule, child and key (the event or day that set it off), so running the rules again never
duplicates it; new evidence updates it and is noted in its history.

Lifecycle: open → acknowledged → actioned (by an information request or a professionals
meeting, or by a recorded event that meets the rule's action, recognised by a run:
``recognition.py``) or dismissed (a reason is required). Every change is an AlertChange
row saying who, when and why.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.alerts.priority import Priority


class AlertRun(models.Model):
    """One evaluation of the catalogue (``joinedup alerts run``)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    who = models.CharField(max_length=150)
    as_of = models.DateField(null=True, blank=True)
    known_by = models.DateField(null=True, blank=True)
    rules_digest = models.CharField(max_length=64, help_text="SHA-256 of the rules in force")
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTIONED = "actioned", "Actioned"
    DISMISSED = "dismissed", "Dismissed"


class Alert(models.Model):
    rule = models.CharField(max_length=40)
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="alerts")
    key = models.CharField(max_length=120, help_text="What set it off: an event or a day")
    fired_on = models.DateField(help_text="The day the rule became true")
    window_start = models.DateField()
    window_end = models.DateField()
    title = models.CharField(max_length=200)
    explanation = models.TextField()
    recommended_action = models.TextField()
    source = models.TextField(help_text="The published learning behind the rule")
    status = models.CharField(max_length=12, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    priority = models.CharField(max_length=8, choices=Priority.choices,
                                default=Priority.ROUTINE,
                                help_text="How soon it asks for action: its rule's tier")
    evidence = models.ManyToManyField("chronology.Event", related_name="alerts")
    request = models.ForeignKey("information_requests.InformationRequest", null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="alerts")
    meeting = models.ForeignKey("information_requests.ProfessionalsMeeting", null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="alerts")
    actioned_by = models.ForeignKey(
        "chronology.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The recorded event a run recognised as meeting the recommended action")
    first_run = models.ForeignKey(AlertRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(AlertRun, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fired_on", "rule", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "child", "key"],
                                               name="alert_once")]
        indexes = [models.Index(fields=["status", "fired_on"]),
                   models.Index(fields=["status", "priority", "fired_on"]),
                   models.Index(fields=["child", "fired_on"])]

    def __str__(self) -> str:
        return f"{self.rule} on person {self.child_id} ({self.fired_on})"


class AlertChange(models.Model):
    """One thing that happened to an alert: raised, updated, acknowledged, actioned..."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    who = models.CharField(max_length=150)
    kind = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    run = models.ForeignKey(AlertRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")

    class Meta:
        ordering = ["alert", "at", "id"]
