"""SSRF: unsafe URLs are refused at submit time and again at send time."""

from __future__ import annotations

import pytest

from billing.credits import credits_change
from billing.keys import api_key_create
from generations.models import Generation, WebhookAttempt, WebhookDelivery
from generations.webhooks import webhook_attempt
from providers.base import PermanentProviderError
from providers.http import download
from providers.ssrf import UnsafeURL, check_url

CORPUS = [
    "http://127.0.0.1/hook",
    "http://localhost/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://0177.0.0.1/hook",
    "http://2130706433/hook",
    "http://10.0.0.8/hook",
    "http://172.16.4.2/hook",
    "http://172.31.255.255/hook",
    "http://192.168.1.10/hook",
    "http://100.64.0.1/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "file:///etc/passwd",
    "gopher://example.com:70/_hello",
]
GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id } }"


@pytest.mark.parametrize("url", CORPUS)
def test_the_checker_refuses_every_unsafe_url(url):
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize("url", CORPUS)
def test_generate_refuses_unsafe_webhook_and_input_urls(gql, live_key, account, url):
    credits_change(account=account, mode="live", amount=10_000, reason="t")
    for key in (None, live_key):
        hook = gql(
            GENERATE,
            {
                "input": {
                    "type": "IMAGE",
                    "provider": "flux-dev",
                    "input": {"text": "x"},
                    "webhookUrl": url,
                }
            },
            key=key,
        )
        assert hook.codes == ["INVALID_INPUT"], (url, hook.json)
        image = gql(
            GENERATE,
            {
                "input": {
                    "type": "VIDEO",
                    "provider": "kling-animation",
                    "input": {"text": "x", "image": url},
                }
            },
            key=key,
        )
        assert image.codes == ["INVALID_INPUT"], (url, image.json)
    assert not Generation.objects.exists()


@pytest.mark.parametrize("url", CORPUS)
def test_delivery_refuses_unsafe_urls_at_send_time(gql, url):
    # Given a delivery whose URL was fine at submit time (e.g. DNS changed since)
    gen_id = gql(
        GENERATE, {"input": {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}}
    ).data["generate"]["id"]
    generation = Generation.objects.get(id=gen_id)
    delivery = WebhookDelivery.objects.create(
        account=generation.account,
        generation=generation,
        event="generation.completed",
        url=url,
        payload="{}",
    )
    # When it is attempted, nothing is sent and the attempt says why
    webhook_attempt(delivery.id, 0)
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and attempt.error.startswith("Blocked")


def test_a_resolver_answering_public_then_loopback_is_refused(dns):
    dns.table["rebind.example.com"] = ["93.184.215.14", "127.0.0.1"]
    with pytest.raises(UnsafeURL, match=r"127\.0\.0\.1"):
        check_url("https://rebind.example.com/hook")


def test_a_public_name_resolving_to_a_private_address_is_refused(dns):
    dns.table["internal.example.com"] = ["10.1.2.3"]
    with pytest.raises(UnsafeURL):
        check_url("https://internal.example.com/hook")


def test_an_input_url_redirecting_to_a_private_address_is_not_followed(mocked_http):
    mocked_http.get(
        "https://cdn.example.com/cat.png",
        status=302,
        headers={"Location": "http://169.254.169.254/latest/meta-data/"},
    )
    with pytest.raises(PermanentProviderError, match="302"):
        download("https://cdn.example.com/cat.png", max_bytes=10_000, untrusted=True)
    assert [c.request.url for c in mocked_http.calls] == ["https://cdn.example.com/cat.png"]


def test_untrusted_downloads_check_the_url_first(mocked_http):
    with pytest.raises(PermanentProviderError, match="not a public address"):
        download("http://127.0.0.1:8000/admin", max_bytes=10, untrusted=True)
    assert not mocked_http.calls


@pytest.fixture
def mocked_http():
    import responses

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def live_key(account):
    return api_key_create(account=account, mode="live")[1]
