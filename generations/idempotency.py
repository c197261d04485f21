"""``Idempotency-Key`` on mutations: same key and body replays; other body is refused.

- Keys are scoped per account, at most 255 printable characters, kept 24 hours.
- The first request inserts a record (a unique constraint on account + key), runs,
  and stores its response — errors included, except RATE_LIMIT, which means the
  request was not executed and may be retried with the same key.
- A concurrent duplicate waits for the first to finish (up to ``WAIT_SECONDS``) and
  gets the same response; if the first is still running then, it gets 409
  IDEMPOTENCY_KEY_IN_PROGRESS and may retry.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.models import Account
from generations.models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
RETENTION = timedelta(hours=24)
WAIT_SECONDS = 10.0
# A record still running after this long is taken over (its request crashed).
STALE_AFTER = timedelta(minutes=5)

Outcome = Literal["new", "replay", "mismatch", "in_progress"]


@dataclass
class Claim:
    outcome: Outcome
    record: IdempotencyRecord | None


def fingerprint(query: str | None, variables: Any, operation_name: str | None) -> str:
    """SHA-256 of the request's query, variables and operation name (canonical JSON)."""
    canonical = json.dumps(
        {"query": query or "", "variables": variables or {}, "operationName": operation_name},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_claim(*, account: Account, key: str, digest: str) -> Claim:
    """Claim ``key`` for this request, or say how it was used before."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(
        account=account, key=key, created_at__lt=now - RETENTION
    ).delete()
    IdempotencyRecord.objects.filter(
        account=account, key=key, completed_at__isnull=True, created_at__lt=now - STALE_AFTER
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(account=account, key=key, fingerprint=digest)
        return Claim("new", record)
    except IntegrityError:
        pass
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        record = IdempotencyRecord.objects.filter(account=account, key=key).first()
        if record is None:  # the first request gave the key up; try again
            return idempotency_claim(account=account, key=key, digest=digest)
        if record.fingerprint != digest:
            return Claim("mismatch", record)
        if record.completed_at is not None:
            return Claim("replay", record)
        if time.monotonic() >= deadline:
            return Claim("in_progress", record)
        time.sleep(0.05)


def idempotency_store(*, record: IdempotencyRecord, status: int, body: str) -> None:
    """Keep the response of the request that claimed the key."""
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        response_status=status, response_body=body, completed_at=timezone.now()
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Give the key back (the request was not executed, e.g. RATE_LIMIT)."""
    IdempotencyRecord.objects.filter(pk=record.pk, completed_at__isnull=True).delete()


def idempotency_purge() -> int:
    """Delete records older than 24 hours; returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - RETENTION
    ).delete()
    return deleted
