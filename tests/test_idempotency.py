"""Idempotency-Key on mutations: replay, mismatch, scope, lifetime."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from billing.keys import api_key_create
from billing.models import LedgerEntry
from billing.tests.factories import AccountFactory
from generations.idempotency import idempotency_purge
from generations.models import Generation, IdempotencyRecord

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id creditCost } }"
IMAGE = {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}


def _send(gql, key="key-1", input_=None, api_key=None):
    return gql(GENERATE, {"input": input_ or IMAGE}, key=api_key, IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replays_the_first_response(gql):
    first = _send(gql)
    again = _send(gql)
    assert again.json == first.json
    assert again.response["Idempotent-Replayed"] == "true"
    assert not first.response.has_header("Idempotent-Replayed")
    assert Generation.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="hold").count() == 1


def test_errors_are_replayed_too(gql):
    bad = {"type": "IMAGE", "provider": "nope", "input": {"text": "x"}}
    first = _send(gql, input_=bad)
    again = _send(gql, input_=bad)
    assert first.codes == again.codes == ["INVALID_INPUT"]
    assert again.response["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_refused_without_side_effects(gql):
    _send(gql)
    other = _send(gql, input_={**IMAGE, "input": {"text": "something else"}})
    assert other.status_code == 422 and other.codes == ["IDEMPOTENCY_KEY_REUSED"]
    assert Generation.objects.count() == 1


def test_keys_are_scoped_per_account(gql):
    other_key = api_key_create(account=AccountFactory(plan="enterprise"), mode="test")[1]
    mine = _send(gql)
    theirs = _send(gql, key="key-1", api_key=other_key)
    assert mine.data["generate"]["id"] != theirs.data["generate"]["id"]
    assert not theirs.response.has_header("Idempotent-Replayed")


def test_a_malformed_key_is_refused(gql):
    for bad in ("x" * 256, "has space"):
        response = _send(gql, key=bad)
        assert response.codes == ["INVALID_INPUT"]
    assert Generation.objects.count() == 0


def test_keys_expire_after_24_hours_and_are_purged(gql):
    _send(gql)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    fresh = _send(gql)
    assert not fresh.response.has_header("Idempotent-Replayed")
    assert Generation.objects.count() == 2
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_purge() == 1 and not IdempotencyRecord.objects.exists()


def test_a_rate_limited_request_is_not_stored(gql, account):
    account.requests_per_minute_override = 1
    account.save()
    assert not _send(gql, key="a").errors
    limited = _send(gql, key="b")
    assert limited.status_code == 429
    assert not IdempotencyRecord.objects.filter(key="b").exists()


def test_queries_ignore_the_header(gql):
    response = gql("{ me { email } }", IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 200 and not IdempotencyRecord.objects.exists()
