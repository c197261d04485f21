"""Plans, accounts, API keys and the credit ledger.

Credits are whole numbers. `LedgerEntry` rows are append-only; `CreditBalance`
is a cache of the ledger sum per account and mode, changed only in the same
transaction as its ledger row and guarded by ``CHECK (balance >= 0)``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Mode(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test"


class Plan(models.Model):
    """A subscription plan and its limits. ``None`` means unlimited."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=64)
    requests_per_minute = models.PositiveIntegerField(help_text="Generation requests per minute.")
    concurrent = models.PositiveIntegerField(help_text="Generations QUEUED or PROCESSING at once.")
    daily = models.PositiveIntegerField(
        null=True, blank=True, help_text="Generation requests per UTC day; empty = unlimited."
    )
    reads_per_minute = models.PositiveIntegerField(
        default=600, help_text="Status reads (generation, generations, providers, me) per minute."
    )
    custom = models.BooleanField(default=False, help_text="Limits are set per account.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("sort_order",)

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """One per user. Enterprise accounts may override the plan's limits."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="accounts")
    requests_per_minute_override = models.PositiveIntegerField(null=True, blank=True)
    concurrent_override = models.PositiveIntegerField(null=True, blank=True)
    daily_override = models.PositiveIntegerField(null=True, blank=True)
    webhook_url = models.URLField(
        max_length=2048, blank=True, help_text="Default endpoint for generation events."
    )
    webhook_secret = models.CharField(max_length=80, blank=True, help_text="whsec_… signing key.")
    webhook_secret_previous = models.CharField(max_length=80, blank=True)
    webhook_secret_previous_until = models.DateTimeField(
        null=True, blank=True, help_text="The previous secret signs too until then (24 h)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.plan})"


class APIKey(models.Model):
    """An API key. Only ``prefix`` (for lookup) and a SHA-256 digest are stored."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    mode = models.CharField(max_length=4, choices=Mode.choices)
    prefix = models.CharField(max_length=32, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CreditBalance(models.Model):
    """The cached balance of one account in one mode (credits)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="balances")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    balance = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("account", "mode"), name="balance_unique_account_mode"),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="balance_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.mode}: {self.balance}"


class LedgerKind(models.TextChoices):
    GRANT = "grant", "Grant"
    HOLD = "hold", "Hold"
    CAPTURE = "capture", "Capture"
    RELEASE = "release", "Release"
    ADJUSTMENT = "adjustment", "Adjustment"
    REFUND = "refund", "Refund"


class LedgerEntry(models.Model):
    """One append-only movement of credits (signed ``amount``).

    A hold is negative; a release or refund gives it back; a capture is a zero
    marker that makes the hold final. Settlement rows share the idempotency key
    ``settle:<generation id>``, so a hold is settled exactly once.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="ledger")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount = models.BigIntegerField()
    reason = models.CharField(max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The staff user; empty for the system.",
    )
    generation_id = models.CharField(max_length=40, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=("account", "mode"), name="ledger_account_mode")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+d} ({self.mode})"
