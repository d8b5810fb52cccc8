"""Memberships, roles, allocations, review panels, sealed records, break-glass and the audit.

Users are Django's own (``django.contrib.auth``). What joinedup adds is which agency a user
works for, their teams and roles, and the relationships that let them open a child's record
(``policy.py``). The audit trail (``AuditEntry``) is append-only: the model refuses to change
or delete a stored row, and every row carries the hash of the one before (``audit.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.access.roles import Role
from joinedup.errors import ActionError


class Team(models.Model):
    """A team inside an agency, e.g. "Stockport South health visiting"."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"],
                                               name="team_name_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.code})"


class Membership(models.Model):
    """The agency a user works for, and their teams there."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT,
                               related_name="members")
    teams = models.ManyToManyField(Team, related_name="members", blank=True)

    def __str__(self) -> str:
        return f"{self.user} at {self.agency.code}"


class RoleGrant(models.Model):
    """One role held by one user (a user may hold several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_by = models.CharField(max_length=150)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_once")]


class Allocation(models.Model):
    """A worker or a team allocated to a child, from a date and (when it ends) to a date."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="allocations")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    allocated_by = models.CharField(max_length=150)
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["child", "valid_from", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(user__isnull=False, team__isnull=True)
                       | models.Q(user__isnull=True, team__isnull=False)),
            name="allocation_to_a_user_or_a_team")]
        indexes = [models.Index(fields=["user", "child"], name="allocation_user_child"),
                   models.Index(fields=["team", "child"], name="allocation_team_child")]


class ReviewPanelMember(models.Model):
    """A user sitting on the panel of a practice review (and so able to see its child)."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="review_panels")
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "user"],
                                               name="panel_member_once")]


class SealedRecord(models.Model):
    """A child whose record is sealed (e.g. adopted, or at risk from someone in the
    partnership): visible only through allocation or a review panel (docs/access.md)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    sealed_by = models.CharField(max_length=150)
    sealed_at = models.DateTimeField(default=timezone.now)
    unsealed_by = models.CharField(max_length=150, blank=True)
    unsealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sealed_at", "id"]
        constraints = [models.UniqueConstraint(
            fields=["child"], condition=models.Q(unsealed_at__isnull=True),
            name="sealed_once")]


class BreakGlassOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlass(models.Model):
    """Access to one child without a legitimate relationship: a stated reason, until a time,
    reviewed afterwards by a safeguarding lead."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="break_glass")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=BreakGlassOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry")]


class SealedRecordApproval(models.Model):
    """A safeguarding lead's approval for one data steward to see one sealed person's
    identifiers on the data steward's pages (linkage review, rows kept back), until a time.
    Without it a sealed person shows there as "Sealed record" and cannot be split or joined
    (``sealed_approval.py``, docs/access.md)."""

    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="sealed_approvals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="sealed_approvals_given")
    reason = models.TextField()
    approved_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["approved_at", "id"]
        indexes = [models.Index(fields=["steward", "expires_at"],
                                name="sealed_approval_steward")]


class AuditAction(models.TextChoices):
    VIEW_CHILD = "view_child", "Viewed a child's record"
    VIEW_CHRONOLOGY = "view_chronology", "Viewed a chronology"
    ACCESS_REFUSED = "access_refused", "Was refused a child's record"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    CHANGE = "change", "Changed"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    FAILED_SIGN_IN = "failed_sign_in", "Failed to sign in"
    BREAK_GLASS = "break_glass", "Broke the glass"
    BREAK_GLASS_REVIEW = "break_glass_review", "Reviewed a break-glass access"
    PERMISSION_CHANGE = "permission_change", "Changed who may see what"
    VIEW_PAGE = "view_page", "Opened a page"
    VIEW_IDENTIFIERS = "view_identifiers", "Saw identifiers on the data steward's pages"


class _RefusingQuerySet(models.QuerySet["AuditEntry"]):
    """Audit rows are never updated or deleted through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise ActionError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ActionError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise ActionError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    """One line of the audit trail. ``id`` is the sequence number (1, 2, 3, ... with no gaps);
    ``hash`` is SHA-256 over the row's fields and ``prev_hash`` (see ``audit.py``).

    Stored rows cannot be changed or deleted through Django; a database trigger refusing
    UPDATE and DELETE on this table can be added in a deployment (docs/access.md), and
    ``joinedup audit verify`` finds any change made around both."""

    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True,
                                      help_text="A person id; no foreign key, so the trail "
                                                "outlives any change to persons")
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, db_index=True)

    objects = _RefusingQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["child_id", "at"], name="audit_child_at"),
                   models.Index(fields=["actor", "at"], name="audit_actor_at")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ActionError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ActionError("Audit entries cannot be deleted.")


class AuditHead(models.Model):
    """The single row holding the last entry's number and hash. Writers lock it (SELECT ...
    FOR UPDATE on PostgreSQL; SQLite's write lock does the same), so entries are numbered
    one at a time, and a deleted last entry shows as a gap against the head."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
