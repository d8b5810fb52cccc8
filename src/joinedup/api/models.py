"""API keys of agency systems, and the idempotency keys of the returns they sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    SUBMIT = "submit", "Send returns and read what happened to them"
    READ = "read", "Read what happened to the agency's returns"


class ApiCredential(models.Model):
    """One API key of one agency's system.

    The key itself (``jup_<prefix>_<secret>``) is shown once, when it is made; only its
    SHA-256 is kept. ``prefix`` finds the row; the hash is compared in constant time. The
    rate window (``window_started_at``, ``window_requests``) counts this key's requests in
    the current minute, in the database so that every server process shares it.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT,
                               related_name="api_credentials")
    name = models.CharField(max_length=200, help_text="What the key is for, e.g. 'Mosaic'")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole key, hex")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_requests = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agency__code", "created_at", "id"]

    def __str__(self) -> str:
        return f"API key {self.prefix} ({self.agency.code}, {self.scope}): {self.name}"


class IdempotencyKey(models.Model):
    """A submission's ``Idempotency-Key``, remembered per API key with the answer given.

    Written in the same transaction as the return it loaded, so either both are stored or
    neither; the unique constraint means two requests racing with the same key can never
    both load (the second waits for the first, then gets its answer)."""

    credential = models.ForeignKey(ApiCredential, on_delete=models.CASCADE,
                                   related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64,
                                   help_text="SHA-256 of what was sent (format, name, content)")
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    submission = models.ForeignKey("agencies.Submission", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "key"],
                                    name="idempotency_key_once_per_credential"),
        ]
