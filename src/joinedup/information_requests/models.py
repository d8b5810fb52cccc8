"""Information requests between agencies and professionals meetings, with their history.

A request is kept as one row whose ``status`` moves from sent to received or withdrawn;
every move is also kept as a :class:`RequestChange` (who, when, what, why) so the trail
survives later changes. Whether a request is *overdue* is not stored: it depends on the
date it is looked at, so it is computed (:mod:`joinedup.information_requests.deadlines`).

Each request and meeting points at the chronology events it put there, so a page or an
alert can go from the event back to the request and the other way round.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.agencies.areas import area_label
from joinedup.agencies.models import GSS_CODE, Agency
from joinedup.chronology.models import Event
from joinedup.people.models import Person


class Reason(models.TextChoices):
    """Why a request is sent; closed so alerts can ask "was history requested?"."""

    TRANSFER_IN_HISTORY = "TRANSFER_IN_HISTORY", "history from the previous area"
    RISK_ADULT = "RISK_ADULT", "information about an adult who may pose a risk"
    HEALTH_HISTORY = "HEALTH_HISTORY", "health history"
    CARE_HISTORY = "CARE_HISTORY", "looked-after / leaving-care records"
    OTHER = "OTHER", "something else: see the question"


class RequestStatus(models.TextChoices):
    SENT = "sent", "sent, waiting for a reply"
    RECEIVED = "received", "reply received"
    WITHDRAWN = "withdrawn", "withdrawn"


class InformationRequest(models.Model):
    """One agency asking another agency (or another area) what it knows about a person."""

    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The agency asked, when it is one of the partnership's agencies",
    )
    to_area = models.CharField(
        max_length=9, blank=True, validators=[GSS_CODE],
        help_text="ONS GSS code of the area asked, when the agency is not registered here",
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", help_text="Who the request is about"
    )
    child = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The child whose case the request is for, when that is someone else",
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    question = models.TextField()
    requested_on = models.DateField()
    due_working_days = models.PositiveSmallIntegerField()
    due_on = models.DateField(help_text="requested_on plus due_working_days working days")
    status = models.CharField(max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.SENT)
    response = models.TextField(blank=True)
    received_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    sent_event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    received_event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="request_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_agency__isnull=False) | ~models.Q(to_area=""),
                name="request_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Information request {self.pk} from {self.from_agency_id} ({self.status})"

    @property
    def recipient(self) -> str:
        """The agency code asked, or the area code when no agency is registered for it."""
        return self.to_agency.code if self.to_agency is not None else self.to_area

    @property
    def to_area_label(self) -> str:
        """The area asked as people read it: "Manchester (E08000003)" ("" for an agency)."""
        return area_label(self.to_area) if self.to_area else ""

    @property
    def recipient_label(self) -> str:
        """Who was asked, by name: the agency's, or the area's (with its code)."""
        return self.to_agency.name if self.to_agency is not None else self.to_area_label


class RequestChange(models.Model):
    """One step in a request's life, kept for good: who did what, when, and why."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE,
                                related_name="changes")
    at = models.DateTimeField(default=timezone.now, help_text="When it was entered")
    on = models.DateField(help_text="The date it happened (may be earlier than ``at``)")
    who = models.CharField(max_length=150)
    what = models.CharField(max_length=10, choices=RequestStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "at", "id"]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "planned"
    HELD = "held", "held"
    CANCELLED = "cancelled", "cancelled"


class ProfessionalsMeeting(models.Model):
    """A multi-agency professionals meeting about one child, its decisions and actions.

    A meeting may be planned first (``status`` planned: ``held_on`` is the day it is planned
    for, ``invited`` the agencies asked to come, ``agenda`` what it is to look at) and
    recorded as held later, or recorded once it has been held."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+",
        help_text="The chair's agency: the meeting is recorded on the chronology as its event",
    )
    status = models.CharField(max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.HELD)
    held_on = models.DateField(help_text="The day it was held, or is planned for")
    attending = models.ManyToManyField(Agency, related_name="+")
    invited = models.ManyToManyField(Agency, related_name="+",
                                     help_text="The agencies asked to come, when planned")
    agenda = models.JSONField(default=dict, blank=True,
                              help_text="What a planned meeting is to look at: alert and "
                                        "event ids, and the organiser's purpose")
    chaired_by = models.CharField(max_length=200, blank=True)
    decisions = models.TextField(blank=True)
    planned_by = models.CharField(max_length=150, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["child", "held_on"], name="meeting_child_held")]

    def __str__(self) -> str:
        return f"Professionals meeting {self.pk} on {self.held_on}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "open"
    DONE = "done", "done"
    CANCELLED = "cancelled", "cancelled"


class MeetingAction(models.Model):
    """Something a meeting agreed someone will do by a date; tracked until done."""

    meeting = models.ForeignKey(ProfessionalsMeeting, on_delete=models.CASCADE,
                                related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A person or a team")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    done_on = models.DateField(null=True, blank=True)
    updated_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "due_on", "id"]

    def __str__(self) -> str:
        return f"Action {self.pk} ({self.status}): {self.description[:40]}"
