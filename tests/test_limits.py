"""Plan limits and the X-RateLimit headers (single-process checks; races are elsewhere)."""

from __future__ import annotations

import pytest

from billing.keys import api_key_create
from billing.models import Plan
from tests.helpers import run_to_completion

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id } }"
CANCEL = "mutation C($id: ID!) { cancelGeneration(id: $id) }"
IMAGE = {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}


@pytest.fixture
def free_key(free_account):
    return api_key_create(account=free_account, mode="test")[1]


def _generate(gql, key):
    return gql(GENERATE, {"input": IMAGE}, key=key)


def test_every_authenticated_response_has_rate_limit_headers(gql):
    for response in (
        gql("{ me { email } }"),
        gql(GENERATE, {"input": IMAGE}),
        gql('{ generation(id: "gen_x") { id } }'),
    ):
        headers = response.response
        assert int(headers["X-RateLimit-Limit"]) > 0
        assert 0 <= int(headers["X-RateLimit-Remaining"]) <= int(headers["X-RateLimit-Limit"])
        assert 0 <= int(headers["X-RateLimit-Reset"]) <= 60


def test_the_generation_window_counts_down(gql, free_key):
    first = _generate(gql, free_key)
    assert first.response["X-RateLimit-Limit"] == "10"
    assert first.response["X-RateLimit-Remaining"] == "9"


def test_free_gets_rate_limit_on_the_eleventh_generation_in_a_minute(gql, free_key):
    # Given ten requests this minute (each cancelled, so concurrency stays free)
    for _ in range(10):
        made = _generate(gql, free_key)
        assert not made.errors, made.json
        gql(CANCEL, {"id": made.data["generate"]["id"]}, key=free_key)
    # When an eleventh arrives
    limited = _generate(gql, free_key)
    # Then it is refused with 429, Retry-After and which limit was hit
    assert limited.status_code == 429
    assert limited.codes == ["RATE_LIMIT"]
    extensions = limited.errors[0]["extensions"]
    assert extensions["limit"] == "requests_per_minute" and extensions["retryAfter"] >= 1
    assert int(limited.response["Retry-After"]) >= 1
    assert limited.response["X-RateLimit-Remaining"] == "0"


def test_free_runs_one_generation_at_a_time(gql, free_key):
    first = _generate(gql, free_key).data["generate"]["id"]
    second = _generate(gql, free_key)
    assert second.status_code == 429 and second.codes == ["RATE_LIMIT"]
    assert second.errors[0]["extensions"]["limit"] == "concurrent"
    run_to_completion(first)
    assert not _generate(gql, free_key).errors


def test_the_daily_cap_is_per_utc_day(gql, free_account, free_key):
    free_account.daily_override = 2
    free_account.concurrent_override = 10
    free_account.save()
    assert not _generate(gql, free_key).errors
    assert not _generate(gql, free_key).errors
    third = _generate(gql, free_key)
    assert third.codes == ["RATE_LIMIT"]
    extensions = third.errors[0]["extensions"]
    assert extensions["limit"] == "daily" and 0 < extensions["retryAfter"] <= 86400


def test_enterprise_overrides_apply_and_the_daily_cap_is_unlimited(gql, account, test_key):
    assert account.plan.daily is None
    account.requests_per_minute_override = 3
    account.save()
    for _ in range(3):
        assert not gql(GENERATE, {"input": IMAGE}).errors
    assert gql(GENERATE, {"input": IMAGE}).errors[0]["extensions"]["limit"] == (
        "requests_per_minute"
    )


def test_test_and_live_traffic_have_separate_concurrency(gql, free_account, free_key):
    from billing.credits import credits_change

    credits_change(account=free_account, mode="live", amount=1000, reason="grant")
    assert not _generate(gql, free_key).errors
    assert _generate(gql, free_key).codes == ["RATE_LIMIT"]
    # a live request is not blocked by the test job (it fails later for want of credentials)
    live_key = api_key_create(account=free_account, mode="live")[1]
    assert _generate(gql, live_key).codes == ["PROVIDER_UNAVAILABLE"]


def test_polling_every_two_seconds_works_on_free(gql, free_key):
    gen_id = _generate(gql, free_key).data["generate"]["id"]
    query = "query S($id: ID!) { generation(id: $id) { status progress url } }"
    for _ in range(30):  # a minute of the seeds' client polling every 2 s
        response = gql(query, {"id": gen_id}, key=free_key)
        assert response.status_code == 200 and not response.errors
    assert int(response.response["X-RateLimit-Remaining"]) >= 500


def test_reads_have_their_own_per_key_limit(gql, free_key):
    Plan.objects.filter(slug="free").update(reads_per_minute=5)
    for _ in range(5):
        assert gql("{ me { email } }", key=free_key).status_code == 200
    limited = gql("{ me { email } }", key=free_key)
    assert limited.status_code == 429 and limited.codes == ["RATE_LIMIT"]
    assert limited.errors[0]["extensions"]["limit"] == "reads_per_minute"
    assert int(limited.response["Retry-After"]) >= 1
    # generation requests are a separate budget
    assert not _generate(gql, free_key).errors
