"""Provider health: a circuit breaker kept in the shared cache.

Each transient failure (429, 5xx, timeout) of a provider counts within a
``WINDOW_SECONDS`` window. After ``THRESHOLD`` failures the provider cools down
for ``COOLDOWN_SECONDS``: auto-selection skips it, then tries it again. A success
clears the count. Status: ``healthy``, ``degraded`` (failures, not yet cooling)
or ``cooling_down``.
"""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 300
THRESHOLD = 3
COOLDOWN_SECONDS = 120

HEALTHY, DEGRADED, COOLING_DOWN = "healthy", "degraded", "cooling_down"


def _failures_key(provider_id: str) -> str:
    return f"doitong:health:failures:{provider_id}"


def _cooldown_key(provider_id: str) -> str:
    return f"doitong:health:cooldown:{provider_id}"


def record_failure(provider_id: str) -> str:
    """Count one transient failure; returns the provider's status afterwards."""
    key = _failures_key(provider_id)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        failures = 1
    if failures >= THRESHOLD:
        cache.set(_cooldown_key(provider_id), time.time() + COOLDOWN_SECONDS, COOLDOWN_SECONDS)
        cache.delete(key)
        return COOLING_DOWN
    return DEGRADED


def record_success(provider_id: str) -> None:
    """A finished job: the provider is healthy again."""
    cache.delete_many([_failures_key(provider_id), _cooldown_key(provider_id)])


def status(provider_id: str) -> str:
    values = cache.get_many([_failures_key(provider_id), _cooldown_key(provider_id)])
    if values.get(_cooldown_key(provider_id)):
        return COOLING_DOWN
    return DEGRADED if values.get(_failures_key(provider_id)) else HEALTHY


def statuses(provider_ids: list[str]) -> dict[str, str]:
    """Status of many providers in one cache round trip."""
    keys = {pid: (_failures_key(pid), _cooldown_key(pid)) for pid in provider_ids}
    values = cache.get_many([k for pair in keys.values() for k in pair])
    return {
        pid: COOLING_DOWN if values.get(cool) else DEGRADED if values.get(fail) else HEALTHY
        for pid, (fail, cool) in keys.items()
    }


def cooling_down_until(provider_id: str) -> float | None:
    """Unix time when the cool-down ends, or None."""
    value = cache.get(_cooldown_key(provider_id))
    return float(value) if value else None
