"""Webhooks: signatures, payload, retry schedule, 410, redirects, a real receiver."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from generations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from generations.webhooks import (
    RETRY_SCHEDULE,
    new_secret,
    sign,
    signing_secrets,
    webhook_attempt,
    webhook_redeliver,
    webhook_secret_rotate,
)
from tests.helpers import run_to_completion
from tests.receiver import receiver

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id } }"


def _headers(msg_id: str, timestamp: int, signature: str) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


# --- signature vectors --------------------------------------------------------------


def test_a_valid_signature_verifies_with_the_reference_library():
    secret, now, body = new_secret(), int(time.time()), '{"type":"generation.completed"}'
    signature = sign(msg_id="msg_1", timestamp=now, body=body, secrets_=[secret])
    assert signature.startswith("v1,")
    assert Webhook(secret).verify(body, _headers("msg_1", now, signature)) == json.loads(body)


def test_a_tampered_body_or_a_wrong_secret_fails():
    secret, now, body = new_secret(), int(time.time()), '{"a":1}'
    signature = sign(msg_id="msg_1", timestamp=now, body=body, secrets_=[secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify('{"a":2}', _headers("msg_1", now, signature))
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, _headers("msg_1", now, signature))


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_301_seconds_off_fails(skew):
    secret, body = new_secret(), '{"a":1}'
    then = int(time.time()) + skew
    signature = sign(msg_id="msg_1", timestamp=then, body=body, secrets_=[secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, _headers("msg_1", then, signature))


def test_after_a_rotation_both_secrets_sign_and_either_verifies(account):
    old = account.webhook_secret
    new = webhook_secret_rotate(account=account)
    assert signing_secrets(account) == [new, old]
    now, body = int(time.time()), '{"a":1}'
    signature = sign(msg_id="m", timestamp=now, body=body, secrets_=signing_secrets(account))
    assert len(signature.split(" ")) == 2
    # a receiver that still has only the old secret matches the second signature
    assert Webhook(old).verify(body, _headers("m", now, signature)) == {"a": 1}
    assert Webhook(new).verify(body, _headers("m", now, signature)) == {"a": 1}
    later = datetime.now(tz=UTC) + timedelta(hours=25)
    assert signing_secrets(account, now=later) == [new]


# --- events and payload ---------------------------------------------------------------


@pytest.fixture
def hook(gql, settings, django_capture_on_commit_callbacks):
    """Make a sandbox generation with a webhookUrl and run it; return its delivery."""
    settings.PUBLIC_BASE_URL = "http://testserver"

    def make(url: str, **input_) -> WebhookDelivery:
        input_ = {
            "type": "IMAGE",
            "provider": "flux-dev",
            "input": {"text": "x"},
            "webhookUrl": url,
            **input_,
        }
        gen_id = gql(GENERATE, {"input": input_}).data["generate"]["id"]
        with django_capture_on_commit_callbacks(execute=False):
            run_to_completion(gen_id)
        return WebhookDelivery.objects.get(generation_id=gen_id)

    return make


def test_the_body_carries_the_generation_as_graphql_shows_it(hook, gql):
    delivery = hook("https://hooks.example.com/doitong")
    body = json.loads(delivery.payload)
    assert body["type"] == "generation.completed" and body["timestamp"]
    fields = (
        "id status type provider url progress metadata creditCost estimatedTime error "
        "errorCode attempts createdAt completedAt"
    )
    graphql = gql(
        "query Q($id: ID!) { generation(id: $id) { " + fields + " } }", {"id": body["data"]["id"]}
    ).data["generation"]
    assert body["data"] == graphql


def test_failed_and_cancelled_jobs_send_their_events(hook, gql):
    failed = hook("https://hooks.example.com/x", options={"sandbox": "fail"})
    assert failed.event == "generation.failed"
    assert json.loads(failed.payload)["data"]["errorCode"] == "GENERATION_FAILED"
    gen_id = gql(
        GENERATE,
        {
            "input": {
                "type": "IMAGE",
                "provider": "flux-dev",
                "input": {"text": "x"},
                "webhookUrl": "https://hooks.example.com/x",
            }
        },
    ).data["generate"]["id"]
    gql("mutation C($id: ID!) { cancelGeneration(id: $id) }", {"id": gen_id})
    assert WebhookDelivery.objects.get(generation_id=gen_id).event == "generation.cancelled"


def test_the_accounts_default_endpoint_is_used_without_webhook_url(gql, account):
    account.webhook_url = "https://hooks.example.com/default"
    account.save()
    gen_id = gql(
        GENERATE, {"input": {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}}
    ).data["generate"]["id"]
    run_to_completion(gen_id)
    assert WebhookDelivery.objects.get(generation_id=gen_id).url.endswith("/default")


# --- delivery ------------------------------------------------------------------------------


@pytest.fixture
def loopback(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


def test_a_receiver_on_loopback_gets_a_signed_completed_event(hook, loopback, account):
    with receiver(200) as server:
        delivery = hook(server.url)
        assert webhook_attempt(delivery.id, 0) is None
    headers, body = server.received[0]
    account.refresh_from_db()
    payload = Webhook(account.webhook_secret).verify(
        body.decode(),
        {
            "webhook-id": headers["webhook-id"],
            "webhook-timestamp": headers["webhook-timestamp"],
            "webhook-signature": headers["webhook-signature"],
        },
    )
    assert payload["type"] == "generation.completed"
    assert body.decode() == delivery.payload  # the signed bytes are the sent bytes
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    attempt = delivery.attempts.get()
    assert attempt.status_code == 200 and attempt.response_snippet == '{"ok": true}'


def test_500_twice_then_200_makes_three_attempts_with_one_webhook_id(hook, loopback):
    with receiver(500, 500, 200) as server:
        delivery = hook(server.url)
        delays = [webhook_attempt(delivery.id, n) for n in range(3)]
    assert delays[0] == pytest.approx(RETRY_SCHEDULE[0], rel=0.11)
    assert delays[1] == pytest.approx(RETRY_SCHEDULE[1], rel=0.11)
    assert delays[2] is None
    ids = {headers["webhook-id"] for headers, _ in server.received}
    stamps = [headers["webhook-timestamp"] for headers, _ in server.received]
    assert ids == {delivery.id} and len(stamps) == 3
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery))
    assert [a.status_code for a in attempts] == [500, 500, 200]
    assert all(len(a.response_snippet) <= 1024 for a in attempts)
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "succeeded"


def test_a_duplicated_attempt_sends_nothing(hook, loopback):
    with receiver(500) as server:
        delivery = hook(server.url)
        webhook_attempt(delivery.id, 0)
        assert webhook_attempt(delivery.id, 0) is None
    assert len(server.received) == 1


def test_the_retry_schedule_runs_about_three_days_then_exhausts(hook, loopback, monkeypatch):
    monkeypatch.setattr("generations.webhooks.random.uniform", lambda a, b: 1.0)
    with receiver(503) as server:
        delivery = hook(server.url)
        delays = [webhook_attempt(delivery.id, n) for n in range(len(RETRY_SCHEDULE) + 1)]
    assert delays == [*RETRY_SCHEDULE, None]
    assert sum(RETRY_SCHEDULE) / 3600 == pytest.approx(51.6, abs=0.1)  # about three days of tries
    assert len(server.received) == 9
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "exhausted"


def test_retry_after_is_honoured(hook, loopback):
    with receiver((429, {"Retry-After": "900"})) as server:
        delivery = hook(server.url)
        assert webhook_attempt(delivery.id, 0) == 900
    assert server.received


def test_410_gone_disables_the_endpoint(hook, loopback, gql):
    with receiver(410) as server:
        delivery = hook(server.url)
        assert webhook_attempt(delivery.id, 0) is None
        assert WebhookDelivery.objects.get(pk=delivery.pk).status == "disabled"
        endpoint = WebhookEndpoint.objects.get(url=server.url)
        assert endpoint.disabled_at and "410" in endpoint.disabled_reason
        gen_id = gql(
            GENERATE,
            {
                "input": {
                    "type": "IMAGE",
                    "provider": "flux-dev",
                    "input": {"text": "x"},
                    "webhookUrl": server.url,
                }
            },
        ).data["generate"]["id"]
        run_to_completion(gen_id)
        assert not WebhookDelivery.objects.filter(generation_id=gen_id).exists()


def test_a_redirect_is_a_failure_and_is_not_followed(hook, loopback):
    with receiver((302, {"Location": "http://127.0.0.1:1/private"})) as server:
        delivery = hook(server.url)
        assert webhook_attempt(delivery.id, 0) is not None
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code == 302 and "not followed" in attempt.error
    assert len(server.received) == 1


def test_redelivery_keeps_the_webhook_id_with_a_new_timestamp(
    hook, loopback, django_capture_on_commit_callbacks
):
    with receiver(200) as server:
        delivery = hook(server.url)
        webhook_attempt(delivery.id, 0)
        time.sleep(1.1)
        with django_capture_on_commit_callbacks(execute=False):
            webhook_redeliver(delivery=delivery)
        webhook_attempt(delivery.id, 1)
    (first, _), (second, _) = server.received
    assert first["webhook-id"] == second["webhook-id"] == delivery.id
    assert first["webhook-timestamp"] != second["webhook-timestamp"]


def test_loopback_is_refused_unless_the_development_setting_is_on(hook, gql):
    with receiver(200) as server:
        result = gql(
            GENERATE,
            {
                "input": {
                    "type": "IMAGE",
                    "provider": "flux-dev",
                    "input": {"text": "x"},
                    "webhookUrl": server.url,
                }
            },
        )
    assert result.codes == ["INVALID_INPUT"]
