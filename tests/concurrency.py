"""Running calls at the same moment: threads behind a barrier, each with its own DB connection."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client


def run_together(count: int, call: Callable[[int], Any]) -> list[Any]:
    """Start ``count`` threads, release them at once, and collect ``call(i)`` results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = call(index)
        except Exception as exc:  # surfaced by the caller's assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post_graphql(key: str, query: str, variables: dict | None = None, **headers: str) -> tuple:
    """(status, decoded body) of one /graphql POST made with a fresh test client."""
    extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
    response = Client().post(
        "/graphql",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **extra,
    )
    return response.status_code, json.loads(response.content)
