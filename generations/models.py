"""The Generation: one client request, from QUEUED to a final state."""

from __future__ import annotations

import secrets
import string

from django.db import models

from billing.models import Account, APIKey, Mode

_ALPHABET = string.ascii_lowercase + string.digits


def new_generation_id() -> str:
    """``gen_`` + 24 random base-36 characters (≈124 bits), unguessable."""
    return "gen_" + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class Status(models.TextChoices):
    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


ACTIVE_STATUSES = (Status.QUEUED, Status.PROCESSING)
FINAL_STATUSES = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


class Type(models.TextChoices):
    VIDEO = "VIDEO"
    IMAGE = "IMAGE"
    AUDIO = "AUDIO"
    AVATAR = "AVATAR"


def output_path(instance: Generation, filename: str) -> str:
    return f"generations/{instance.created_at:%Y/%m/%d}/{instance.id}/{filename}"


class Generation(models.Model):
    """A generation job.

    - ``credit_cost``: credits held at submission (whole credits).
    - ``estimated_time``: seconds, from the catalogue.
    - ``progress``: 0–100.
    - ``provider_job``: the adapter's opaque handle (vendor task id, polling URL…).
    - ``attempts``: one dict per provider tried, for staff and the client.
    - ``metadata``: width/height (pixels), duration (seconds), format, bytes….
    """

    id = models.CharField(primary_key=True, max_length=40, default=new_generation_id)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="generations")
    api_key = models.ForeignKey(
        APIKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=4, choices=Mode.choices)
    type = models.CharField(max_length=8, choices=Type.choices)
    provider = models.CharField(max_length=64)
    auto_selected = models.BooleanField(default=False)
    priority = models.CharField(max_length=16, default="BALANCED")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    input = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    webhook_url = models.URLField(max_length=2048, blank=True)
    credit_cost = models.PositiveIntegerField()
    estimated_time = models.PositiveIntegerField(null=True, blank=True)
    output = models.FileField(upload_to=output_path, max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    provider_job_id = models.CharField(max_length=255, blank=True)
    provider_job = models.JSONField(default=dict, blank=True)
    attempts = models.JSONField(default=list, blank=True)
    routing = models.JSONField(
        default=dict,
        blank=True,
        help_text="Fallback plan: the client's own options and the candidates left, best first.",
    )
    poll_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("account", "-created_at", "-id"), name="gen_account_recent"),
            models.Index(fields=("account", "mode", "status"), name="gen_account_mode_status"),
            models.Index(fields=("account", "mode", "created_at"), name="gen_account_mode_day"),
            models.Index(fields=("status", "updated_at"), name="gen_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.type} {self.provider} {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class IdempotencyRecord(models.Model):
    """A mutation sent with an ``Idempotency-Key``: its fingerprint and stored response.

    Scoped per account, kept 24 hours. ``completed_at`` is empty while the first
    request is still running.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("account", "key"), name="idempotency_account_key")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.key}"


class WebhookEndpoint(models.Model):
    """A URL an account's events go to; a 410 Gone answer disables it."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2048)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("account", "url"), name="webhook_endpoint_unique")
        ]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    EXHAUSTED = "exhausted"
    DISABLED = "disabled"


def new_message_id() -> str:
    return "msg_" + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class WebhookDelivery(models.Model):
    """One event for one endpoint. ``id`` is the ``webhook-id`` header, kept across retries.

    ``payload`` holds the exact bytes (UTF-8 JSON) that are signed and sent.
    """

    id = models.CharField(primary_key=True, max_length=40, default=new_message_id)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    generation = models.ForeignKey(
        Generation, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.CharField(max_length=40)
    url = models.URLField(max_length=2048)
    payload = models.TextField()
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=("status", "next_attempt_at"), name="webhook_due"),
            models.Index(fields=("account", "-created_at"), name="webhook_account_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.event} → {self.url}"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery: when, status, duration (ms), ≤1 KB of response."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_snippet = models.CharField(max_length=1024, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(fields=("delivery", "number"), name="webhook_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"
