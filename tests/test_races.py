"""Money and limits under real concurrency: PostgreSQL and Redis (skipped on SQLite).

Each test starts its calls together behind a barrier, in threads with their own
database connections, with ``transaction=True`` so every call commits for real.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from django.conf import settings
from django.db import connection

from billing.credits import (
    balance_get,
    credits_capture,
    credits_change,
    credits_release,
    ledger_mismatches,
)
from billing.keys import api_key_create
from billing.models import LedgerEntry
from generations.models import Generation
from tests.concurrency import post_graphql, run_together
from tests.ratelimit_child import count_allowed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="races need PostgreSQL (SQLite serialises every write and hides them)",
    ),
]

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id creditCost } }"
IMAGE = {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}


def _roomy(account):
    account.requests_per_minute_override = 10_000
    account.concurrent_override = 10_000
    account.save()
    return account


def test_fifty_concurrent_generates_on_a_balance_for_ten_charge_exactly_ten(account):
    # Given a test balance worth exactly 10 flux-dev jobs (50 credits each)
    _roomy(account)
    balance = balance_get(account=account, mode="test")
    credits_change(
        account=account, mode="test", amount=500 - balance, reason="set", kind="adjustment"
    )
    key = api_key_create(account=account, mode="test")[1]
    # When 50 generate calls arrive together
    results = run_together(50, lambda i: post_graphql(key, GENERATE, {"input": IMAGE}))
    # Then exactly 10 succeed and 40 are refused for credits
    codes = [
        body["errors"][0]["extensions"]["code"] if "errors" in body else "OK" for _, body in results
    ]
    assert codes.count("OK") == 10, codes
    assert codes.count("INSUFFICIENT_CREDITS") == 40
    assert balance_get(account=account, mode="test") == 0
    assert Generation.objects.count() == 10
    assert ledger_mismatches() == []


def test_a_hundred_concurrent_calls_with_one_idempotency_key_make_one_generation(account):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        if int(cursor.fetchone()[0]) < 150:
            pytest.skip("needs max_connections >= 150 (.ci/run raises it)")
    _roomy(account)
    key = api_key_create(account=account, mode="test")[1]
    results = run_together(
        100, lambda i: post_graphql(key, GENERATE, {"input": IMAGE}, IDEMPOTENCY_KEY="same-key")
    )
    ok = [body["data"]["generate"]["id"] for status, body in results if status == 200]
    others = [status for status, _ in results if status != 200]
    assert len(set(ok)) == 1, ok
    assert set(others) <= {409}, others
    assert Generation.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="hold").count() == 1


def test_free_runs_exactly_one_of_five_simultaneous_jobs(free_account):
    key = api_key_create(account=free_account, mode="test")[1]
    results = run_together(5, lambda i: post_graphql(key, GENERATE, {"input": IMAGE}))
    limits = [
        body["errors"][0]["extensions"].get("limit") for _, body in results if "errors" in body
    ]
    assert Generation.objects.count() == 1
    assert limits == ["concurrent"] * 4


def test_a_settlement_raced_against_itself_settles_once(account, gql):
    gen_id = gql(GENERATE, {"input": IMAGE}).data["generate"]["id"]
    before = balance_get(account=account, mode="test")
    outcomes = run_together(
        8,
        lambda i: (
            credits_capture(account=account, mode="test", generation_id=gen_id)
            if i % 2
            else credits_release(account=account, mode="test", generation_id=gen_id, reason="race")
        ),
    )
    assert outcomes.count(True) == 1, outcomes
    settles = LedgerEntry.objects.filter(generation_id=gen_id).exclude(kind="hold")
    assert settles.count() == 1
    expected = before + 50 if settles.get().kind == "release" else before
    assert balance_get(account=account, mode="test") == expected
    assert ledger_mismatches() == []


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="a cross-process counter needs the shared Redis cache",
)
def test_the_per_minute_limit_holds_across_processes(account):
    # Given N = 30 allowed per minute, and 4 processes sending N + 1 requests in all
    per_minute, calls = 30, [8, 8, 8, 7]
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = [
        context.Process(
            target=count_allowed, args=(account.pk + 10_000, per_minute, n, start, results)
        )
        for n in calls
    ]
    for process in processes:
        process.start()
    time.sleep(3)  # let each child import Django before the start signal
    start.set()
    allowed = sum(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    # Then exactly N are allowed
    assert allowed == per_minute
