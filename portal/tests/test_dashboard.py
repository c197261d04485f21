"""The dashboard: credits, keys, generations with previews, usage and webhooks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from billing.credits import balance_get, credits_change
from billing.keys import api_key_authenticate
from billing.models import APIKey
from generations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.helpers import run_to_completion

pytestmark = pytest.mark.django_db


def _generate(gql: Any, key: str, **input_: Any) -> str:
    response = gql(
        "mutation G($input: GenerateInput!) { generate(input: $input) { id } }",
        {"input": input_},
        key=key,
    )
    assert not response.errors, response.errors
    return response.data["generate"]["id"]


def test_it_shows_both_balances_usage_and_limits(dev_client: Any, developer: Any) -> None:
    body = dev_client.get("/en/dashboard/").content.decode()
    assert f"{settings.STARTER_TEST_CREDITS:,}" in body
    assert 'data-testid="live-balance">0<' in body
    assert "0 of 1" in body  # Free: one generation at a time
    assert "0 of 100" in body  # Free: 100 a day
    assert "Free plan" in body
    assert "no-store" in dev_client.get("/en/dashboard/")["Cache-Control"]


def test_a_new_key_is_shown_once_and_works(dev_client: Any, developer: Any) -> None:
    # When the developer creates a test key
    response = dev_client.post("/en/dashboard/keys/", {"name": "laptop", "mode": "test"})
    body = response.content.decode()
    # Then its secret is on this response, with a curl sample that uses it
    secret = re.search(r'data-testid="new-key-secret">(dt_test_[A-Za-z0-9]+)<', body).group(1)
    assert response.status_code == 201
    assert body.count(secret) == 2
    key = api_key_authenticate(secret)
    assert key is not None and key.name == "laptop" and key.account.user == developer
    # And never again
    assert secret not in dev_client.get("/en/dashboard/").content.decode()
    assert key.prefix in dev_client.get("/en/dashboard/").content.decode()


def test_a_key_can_be_revoked_and_stops_working(dev_client: Any, developer: Any) -> None:
    from billing.keys import api_key_create

    key, secret = api_key_create(account=developer.account, mode="test", name="old")
    response = dev_client.post(f"/en/dashboard/keys/{key.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/#keys"
    assert api_key_authenticate(secret) is None
    assert "Revoked" in dev_client.get("/en/dashboard/").content.decode()


def test_another_accounts_key_cannot_be_revoked(dev_client: Any, test_key: str) -> None:
    other = APIKey.objects.get(prefix=test_key[:16])
    assert dev_client.post(f"/en/dashboard/keys/{other.pk}/revoke/").status_code == 404
    assert api_key_authenticate(test_key) is not None


def test_refilling_test_credits_tops_up_to_the_starter_amount(
    dev_client: Any, developer: Any
) -> None:
    account = developer.account
    credits_change(account=account, mode="test", amount=-30_000, reason="spent", kind="adjustment")
    response = dev_client.post("/en/dashboard/credits/refill/")
    assert response.status_code == 302
    assert balance_get(account=account, mode="test") == settings.STARTER_TEST_CREDITS
    assert balance_get(account=account, mode="live") == 0
    dev_client.post("/en/dashboard/credits/refill/")
    assert balance_get(account=account, mode="test") == settings.STARTER_TEST_CREDITS


def test_generations_are_listed_with_previews_and_filters(
    dev_client: Any, developer: Any, gql: Any
) -> None:
    from billing.keys import api_key_create

    key = api_key_create(account=developer.account, mode="test")[1]
    image = _generate(gql, key, type="IMAGE", provider="flux-dev", input={"text": "A lighthouse"})
    run_to_completion(image)
    video = _generate(
        gql, key, type="VIDEO", provider="luma", input={"text": "Waves"}, options={"duration": 5}
    )
    run_to_completion(video)
    audio = _generate(gql, key, type="AUDIO", provider="google-tts", input={"text": "Hello"})
    run_to_completion(audio)
    failed = _generate(
        gql,
        key,
        type="IMAGE",
        provider="flux-dev",
        input={"text": "x"},
        options={"sandbox": "fail"},
    )
    run_to_completion(failed)

    body = dev_client.get("/en/dashboard/").content.decode()
    for gen_id in (image, video, audio, failed):
        assert f'data-generation-id="{gen_id}"' in body
    assert re.search(rf'<img src="/media/generations/[^"]*{image}/[^"]+"', body)
    assert re.search(rf'<video controls[^>]*><source src="/media/[^"]*{video}/[^"]+\.mp4"', body)
    assert re.search(rf'<audio controls[^>]*><source src="/media/[^"]*{audio}/', body)
    assert "GENERATION_FAILED" in body and "50 credits" in body

    only_failed = dev_client.get("/en/dashboard/?status=FAILED").content.decode()
    assert failed in only_failed and image not in only_failed
    only_video = dev_client.get("/en/dashboard/?type=VIDEO").content.decode()
    assert video in only_video and audio not in only_video
    assert dev_client.get("/en/dashboard/?status=NOPE&after=garbage").status_code == 200


def test_a_preview_file_is_served(dev_client: Any, developer: Any, gql: Any) -> None:
    from billing.keys import api_key_create

    key = api_key_create(account=developer.account, mode="test")[1]
    image = _generate(gql, key, type="IMAGE", provider="flux-dev", input={"text": "A lighthouse"})
    run_to_completion(image)
    body = dev_client.get("/en/dashboard/").content.decode()
    src = re.search(r'<img src="(/media/[^"]+)"', body).group(1)
    response = dev_client.get(src)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")


def test_the_webhook_endpoint_can_be_set_and_rejects_unsafe_urls(
    dev_client: Any, developer: Any, dns: Any
) -> None:
    response = dev_client.post("/en/dashboard/webhooks/", {"url": "https://hooks.example.com/dt"})
    assert response.status_code == 302
    developer.account.refresh_from_db()
    assert developer.account.webhook_url == "https://hooks.example.com/dt"
    response = dev_client.post("/en/dashboard/webhooks/", {"url": "http://127.0.0.1:9000/x"})
    assert response.status_code == 400
    assert "Doitong cannot send to this URL" in response.content.decode()
    dev_client.post("/en/dashboard/webhooks/", {"url": ""})
    developer.account.refresh_from_db()
    assert developer.account.webhook_url == ""


def test_the_secret_is_hidden_until_revealed_and_can_be_rotated(
    dev_client: Any, developer: Any
) -> None:
    secret = developer.account.webhook_secret
    assert secret not in dev_client.get("/en/dashboard/").content.decode()
    assert secret in dev_client.get("/en/dashboard/?reveal=secret").content.decode()
    response = dev_client.post("/en/dashboard/webhooks/rotate/")
    assert response["Location"] == "/en/dashboard/?reveal=secret#webhooks"
    developer.account.refresh_from_db()
    assert developer.account.webhook_secret != secret
    assert developer.account.webhook_secret_previous == secret
    assert developer.account.webhook_secret in dev_client.get(response["Location"]).content.decode()


def _delivery(account: Any, gql: Any, key: str, status_code: int | None) -> WebhookDelivery:
    gen_id = _generate(gql, key, type="IMAGE", provider="flux-dev", input={"text": "x"})
    delivery = WebhookDelivery.objects.create(
        account=account,
        generation_id=gen_id,
        event="generation.completed",
        url=account.webhook_url or "https://hooks.example.com/dt",
        payload="{}",
        status=DeliveryStatus.EXHAUSTED,
        attempt_count=1,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        attempted_at=timezone.now(),
        status_code=status_code,
        duration_ms=42,
        response_snippet="upstream says no",
        error="" if status_code else "ConnectTimeout: timed out",
    )
    return delivery


def test_deliveries_show_their_attempts_and_can_be_redelivered(
    dev_client: Any, developer: Any, gql: Any
) -> None:
    from billing.keys import api_key_create

    key = api_key_create(account=developer.account, mode="test")[1]
    delivery = _delivery(developer.account, gql, key, 500)
    body = dev_client.get("/en/dashboard/").content.decode()
    assert delivery.id in body and "HTTP 500" in body and "42 ms" in body
    assert "upstream says no" in body and "Gave up" in body
    response = dev_client.post(f"/en/dashboard/webhooks/deliveries/{delivery.id}/redeliver/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING


def test_a_disabled_endpoint_is_called_out(dev_client: Any, developer: Any) -> None:
    account = developer.account
    account.webhook_url = "https://hooks.example.com/gone"
    account.save()
    WebhookEndpoint.objects.create(
        account=account,
        url=account.webhook_url,
        disabled_at=timezone.now(),
        disabled_reason="The endpoint answered 410 Gone.",
    )
    body = dev_client.get("/en/dashboard/").content.decode()
    assert "This endpoint is disabled." in body and "410 Gone" in body


def test_another_accounts_delivery_cannot_be_redelivered(
    dev_client: Any, account: Any, gql: Any, test_key: str
) -> None:
    delivery = _delivery(account, gql, test_key, 404)
    response = dev_client.post(f"/en/dashboard/webhooks/deliveries/{delivery.id}/redeliver/")
    assert response.status_code == 404


def test_dashboard_actions_need_post_and_csrf(developer: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)
    assert client.get("/en/dashboard/credits/refill/").status_code == 405
    assert client.post("/en/dashboard/keys/", {"name": "x", "mode": "test"}).status_code == 403
    page = client.get("/en/dashboard/").content.decode()
    assert page.count('method="post"') == page.count("csrfmiddlewaretoken")


def test_staff_users_without_an_account_get_one(client: Any, plans: None, admin_user: Any) -> None:
    client.force_login(admin_user)
    assert client.get("/en/dashboard/").status_code == 200
    assert admin_user.account.plan.slug == "free"
