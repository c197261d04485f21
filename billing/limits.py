"""Plan limits: generations per minute, reads per minute, concurrency and daily caps.

Per-minute windows use django-ratelimit on the shared cache (Redis in production:
an atomic ``INCR``; the embedded locmem cache is per process). Concurrency and the
daily cap are counted in the database, under the account's balance-row lock, in
`generations.services.generation_create`. Limits apply per account and mode, so
test traffic never uses up live capacity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_ratelimit.core import get_usage

GENERATE_GROUP = "doitong.generate"
READS_GROUP = "doitong.reads"


class RateLimited(Exception):
    """A plan limit was hit (code RATE_LIMIT, HTTP 429).

    ``limit`` names it: requests_per_minute, concurrent, daily or reads_per_minute.
    ``retry_after`` is in whole seconds.
    """

    code = "RATE_LIMIT"

    def __init__(self, *, limit: str, allowed: int, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.limit = limit
        self.allowed = allowed
        self.retry_after = max(1, retry_after)


@dataclass(frozen=True)
class Window:
    """One rate-limit window: ``limit`` per window, ``remaining``, ``reset`` seconds."""

    name: str
    limit: int
    remaining: int
    reset: int
    exceeded: bool


class _Subject:
    """What django-ratelimit needs from a "request": a key and a rate."""

    def __init__(self, key: str, rate: str) -> None:
        self.key = key
        self.rate = rate
        self.method = "POST"


def _key(group: str, subject: Any) -> str:
    return subject.key


def _rate(group: str, subject: Any) -> str:
    return subject.rate


def _window(name: str, group: str, key: str, per_minute: int, increment: bool) -> Window:
    usage = get_usage(
        _Subject(key, f"{per_minute}/m"), group=group, key=_key, rate=_rate, increment=increment
    )
    if usage is None:  # RATELIMIT_ENABLE = False
        return Window(name, per_minute, per_minute, 60, False)
    return Window(
        name=name,
        limit=usage["limit"],
        remaining=max(0, usage["limit"] - usage["count"]),
        reset=max(0, int(usage["time_left"])),
        exceeded=usage["should_limit"],
    )


def generation_window(*, account_id: int, mode: str, per_minute: int, increment: bool) -> Window:
    """The account's generation-request window; counts one request when ``increment``."""
    return _window(
        "requests_per_minute", GENERATE_GROUP, f"{account_id}:{mode}", per_minute, increment
    )


def reads_window(*, api_key_id: int, per_minute: int, increment: bool) -> Window:
    """The key's status-read window (generation, generations, providers, me)."""
    return _window("reads_per_minute", READS_GROUP, f"key:{api_key_id}", per_minute, increment)


def check_window(window: Window) -> None:
    """Raise `RateLimited` when ``window`` is over its limit."""
    if window.exceeded:
        what = "generation requests" if window.name == "requests_per_minute" else "reads"
        raise RateLimited(
            limit=window.name,
            allowed=window.limit,
            retry_after=window.reset,
            message=(
                f"Your plan allows {window.limit} {what} per minute. "
                f"Retry in {max(1, window.reset)} seconds."
            ),
        )


def start_of_utc_day(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def seconds_until_utc_midnight(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return math.ceil((start_of_utc_day(now) + timedelta(days=1) - now).total_seconds())
