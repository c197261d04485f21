"""Run in a spawned process by the cross-process rate-limit test (imports Django lazily)."""

from __future__ import annotations

from typing import Any


def count_allowed(account_id: int, per_minute: int, calls: int, start: Any, results: Any) -> None:
    """Wait for ``start``, make ``calls`` counted requests, put how many were allowed."""
    import django

    django.setup()
    from billing.limits import generation_window

    start.wait()
    results.put(
        sum(
            not generation_window(
                account_id=account_id, mode="test", per_minute=per_minute, increment=True
            ).exceeded
            for _ in range(calls)
        )
    )
