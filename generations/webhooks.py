"""Webhooks: Standard Webhooks signatures, a retry schedule of about three days, a log.

- **Events:** ``generation.completed``, ``generation.failed``, ``generation.cancelled``.
  The `WebhookDelivery` row is written in the same transaction as the final state
  (an outbox), and the delivery task is enqueued on commit.
- **Body:** ``{"type", "timestamp", "data": <Generation as in GraphQL>}``, serialised
  once; the stored bytes are the bytes signed and sent on every attempt.
- **Headers:** ``webhook-id`` (the delivery id, the same on every retry),
  ``webhook-timestamp`` (Unix seconds, fresh per attempt) and ``webhook-signature``
  (``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``; during the 24 hours
  after a rotation, the old secret's signature follows, space-separated).
- **Attempts:** a 2xx within 15 s is success; anything else (3xx included — no
  redirect is followed) is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h and
  24 h, with jitter, honouring ``Retry-After``; then the delivery is exhausted.
  410 Gone disables the endpoint for the account.

Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from billing.models import Account
from generations.models import (
    DeliveryStatus,
    Generation,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from generations.selectors import output_url
from providers.base import InvalidInput
from providers.ssrf import UnsafeURL, check_url

EVENTS = {
    "COMPLETED": "generation.completed",
    "FAILED": "generation.failed",
    "CANCELLED": "generation.cancelled",
}
# Seconds to wait after attempt n (1-based) fails; after the last, the delivery is exhausted.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000, 86400)
JITTER = 0.1
SUCCESS_WITHIN_SECONDS = 15.0
SNIPPET_BYTES = 1024
ROTATION_OVERLAP = timedelta(hours=24)
# The GenerationMetadata fields of the GraphQL type, in order.
METADATA_FIELDS = (
    "width",
    "height",
    "duration",
    "format",
    "resolution",
    "fps",
    "sampleRate",
    "bytes",
)


# --- secrets -------------------------------------------------------------------


def new_secret() -> str:
    """``whsec_`` + base64 of 32 random bytes (the Standard Webhooks format)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_secret_rotate(*, account: Account) -> str:
    """Give the account a new secret; the old one keeps signing for 24 hours."""
    now = timezone.now()
    previous = account.webhook_secret
    account.webhook_secret = new_secret()
    account.webhook_secret_previous = previous
    account.webhook_secret_previous_until = now + ROTATION_OVERLAP if previous else None
    account.save(
        update_fields=["webhook_secret", "webhook_secret_previous", "webhook_secret_previous_until"]
    )
    return account.webhook_secret


def signing_secrets(account: Account, now: datetime | None = None) -> list[str]:
    """The secrets that sign right now: the current one, then a rotated-out one."""
    now = now or timezone.now()
    found = [account.webhook_secret] if account.webhook_secret else []
    until = account.webhook_secret_previous_until
    if account.webhook_secret_previous and until and until > now:
        found.append(account.webhook_secret_previous)
    return found


def sign(*, msg_id: str, timestamp: int, body: str, secrets_: list[str]) -> str:
    """The ``webhook-signature`` header: one ``v1,…`` per secret, space-separated."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return " ".join(Webhook(secret).sign(msg_id, moment, body) for secret in secrets_)


# --- endpoints -------------------------------------------------------------------


def allow_loopback() -> bool:
    return bool(settings.WEBHOOKS_ALLOW_LOOPBACK)


def check_webhook_url(url: str, *, must_resolve: bool = True) -> None:
    """Raise `InvalidInput` for a webhook URL Doitong will not call."""
    try:
        check_url(url, allow_loopback=allow_loopback(), must_resolve=must_resolve)
    except UnsafeURL as exc:
        raise InvalidInput(f"webhookUrl is not allowed: {exc.message}", field="webhookUrl") from exc


def webhook_endpoint_set(*, account: Account, url: str) -> None:
    """Set (or clear, with "") the account's default endpoint; re-enables it."""
    url = url.strip()
    if url:
        check_webhook_url(url)
        WebhookEndpoint.objects.filter(account=account, url=url).update(
            disabled_at=None, disabled_reason=""
        )
    account.webhook_url = url
    account.save(update_fields=["webhook_url"])


def endpoint_disabled(account: Account, url: str) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(
        account=account, url=url, disabled_at__isnull=False
    ).first()


# --- events -----------------------------------------------------------------------


def generation_payload(generation: Generation) -> dict[str, Any]:
    """The Generation with the GraphQL type's field names and values."""
    error = (
        {"code": generation.error_code, "message": generation.error_message}
        if generation.error_code
        else None
    )
    return {
        "id": generation.id,
        "status": str(generation.status),
        "type": str(generation.type),
        "provider": generation.provider,
        "url": output_url(generation),
        "progress": generation.progress,
        "metadata": (
            {key: generation.metadata.get(key) for key in METADATA_FIELDS}
            if generation.metadata
            else None
        ),
        "creditCost": generation.credit_cost,
        "estimatedTime": generation.estimated_time,
        "error": error,
        "errorCode": generation.error_code or None,
        "attempts": generation.attempts,
        "createdAt": generation.created_at.isoformat(),
        "completedAt": generation.completed_at.isoformat() if generation.completed_at else None,
    }


def webhook_event_record(*, generation_id: str) -> WebhookDelivery | None:
    """Write the delivery of a generation's final state, inside the caller's transaction.

    Returns None when there is no endpoint (neither ``webhookUrl`` nor a default), the
    endpoint is disabled, or the generation is not final.
    """
    generation = Generation.objects.select_related("account").get(id=generation_id)
    event = EVENTS.get(str(generation.status))
    url = generation.webhook_url or generation.account.webhook_url
    if event is None or not url or endpoint_disabled(generation.account, url):
        return None
    body = {
        "type": event,
        "timestamp": timezone.now().isoformat(),
        "data": generation_payload(generation),
    }
    delivery = WebhookDelivery.objects.create(
        account=generation.account,
        generation=generation,
        event=event,
        url=url,
        payload=json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(delivery.id, 0))
    return delivery


def _enqueue(delivery_id: str, attempt: int, countdown: float = 0) -> None:
    from generations.tasks import webhook_deliver

    webhook_deliver.apply_async(args=(delivery_id, attempt), countdown=countdown)


def webhook_redeliver(*, delivery: WebhookDelivery) -> None:
    """Send again now: same ``webhook-id`` and body, a new timestamp and signature."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), completed_at=None
    )
    WebhookEndpoint.objects.filter(account=delivery.account, url=delivery.url).update(
        disabled_at=None, disabled_reason=""
    )
    attempt = WebhookDelivery.objects.get(pk=delivery.pk).attempt_count
    transaction.on_commit(lambda: _enqueue(delivery.id, attempt))


def deliveries_recent(*, account: Account, limit: int = 20) -> QuerySet[WebhookDelivery]:
    """The account's latest deliveries with their attempts (two queries)."""
    return (
        WebhookDelivery.objects.filter(account=account)
        .prefetch_related("attempts")
        .order_by("-created_at")[:limit]
    )


# --- attempts -----------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    duration_ms: int
    snippet: str
    error: str
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


def next_delay(attempt: int, retry_after: float | None = None) -> float | None:
    """Seconds before attempt ``attempt + 1`` (jittered), or None when none is left."""
    if attempt > len(RETRY_SCHEDULE):
        return None
    base = RETRY_SCHEDULE[attempt - 1]
    delay = base * random.uniform(1 - JITTER, 1 + JITTER)
    if retry_after:
        delay = max(delay, min(retry_after, RETRY_SCHEDULE[-1]))
    return delay


def post(delivery: WebhookDelivery, account: Account) -> AttemptResult:
    """One signed POST of the stored body. Never follows redirects."""
    from providers.ssrf import safe_session

    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": delivery.id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            msg_id=delivery.id,
            timestamp=timestamp,
            body=delivery.payload,
            secrets_=signing_secrets(account),
        ),
    }
    started = time.monotonic()
    try:
        check_url(delivery.url, allow_loopback=allow_loopback())
        with safe_session(
            allow_loopback=allow_loopback(), read_timeout=SUCCESS_WITHIN_SECONDS
        ) as session:
            response = session.post(
                delivery.url, data=delivery.payload.encode(), headers=headers, stream=True
            )
            snippet = response.raw.read(SNIPPET_BYTES, decode_content=True) or b""
            response.close()
    except UnsafeURL as exc:
        return AttemptResult(None, _ms(started), "", f"Blocked: {exc.message}")
    except Exception as exc:  # timeouts, refused connections, TLS errors, blocked IPs
        return AttemptResult(None, _ms(started), "", f"{exc.__class__.__name__}: {exc}"[:500])
    elapsed = time.monotonic() - started
    error = ""
    if 300 <= response.status_code < 400:
        error = f"Redirect ({response.status_code}) not followed."
    elif elapsed > SUCCESS_WITHIN_SECONDS and response.status_code < 300:
        error = f"Answered after {elapsed:.1f} s; the limit is {SUCCESS_WITHIN_SECONDS:.0f} s."
    retry_after = response.headers.get("Retry-After")
    return AttemptResult(
        response.status_code,
        int(elapsed * 1000),
        snippet.decode("utf-8", "replace")[:SNIPPET_BYTES],
        error,
        float(retry_after) if retry_after and retry_after.isdigit() else None,
    )


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def webhook_attempt(delivery_id: str, attempt: int) -> float | None:
    """Make attempt ``attempt + 1`` if it is still due; seconds until the next, or None.

    The attempt is claimed with a conditional UPDATE on ``attempt_count``, so a
    duplicated task sends nothing.
    """
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempt_count=attempt
    ).update(attempt_count=attempt + 1, next_attempt_at=None)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("account").get(pk=delivery_id)
    number = attempt + 1
    now = timezone.now()
    result = post(delivery, delivery.account)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        attempted_at=now,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        response_snippet=result.snippet,
        error=result.error,
    )
    if result.ok:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.SUCCEEDED, completed_at=timezone.now()
        )
        return None
    if result.status_code == 410:
        _disable(delivery, "The endpoint answered 410 Gone.")
        return None
    delay = next_delay(number, result.retry_after)
    if delay is None:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.EXHAUSTED, completed_at=timezone.now()
        )
        return None
    WebhookDelivery.objects.filter(pk=delivery_id, attempt_count=number).update(
        next_attempt_at=timezone.now() + timedelta(seconds=delay)
    )
    return delay


def _disable(delivery: WebhookDelivery, reason: str) -> None:
    now = timezone.now()
    WebhookEndpoint.objects.update_or_create(
        account=delivery.account,
        url=delivery.url,
        defaults={"disabled_at": now, "disabled_reason": reason},
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DISABLED, completed_at=now
    )


def deliveries_due(limit: int = 200) -> list[tuple[str, int]]:
    """Pending deliveries whose next attempt is due: (id, attempts so far)."""
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("id", "attempt_count")[:limit]
    )
