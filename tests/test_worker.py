"""A generation through a real Celery worker and broker (filesystem or Redis)."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from doitong.celery import app
from generations.models import Generation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id } }"
STATUS = "query S($id: ID!) { generation(id: $id) { status progress url metadata } }"


@pytest.fixture(scope="module")
def celery_worker():
    app.control.purge()
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=20,
        queues=["generations", "webhooks", "celery"],
    ) as worker:
        yield worker


def test_a_real_worker_completes_a_sandbox_video(celery_worker, gql, client):
    gen_id = gql(
        GENERATE,
        {
            "input": {
                "type": "VIDEO",
                "provider": "luma",
                "input": {"text": "A lighthouse"},
                "options": {"duration": 5},
            }
        },
    ).data["generate"]["id"]
    deadline = time.monotonic() + 60
    status = None
    while time.monotonic() < deadline:
        status = gql(STATUS, {"id": gen_id}).data["generation"]
        if status["status"] in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.25)
    assert status and status["status"] == "COMPLETED", status
    assert status["metadata"]["format"] == "mp4"
    download = client.get(status["url"].replace("http://testserver", ""))
    assert download.status_code == 200 and download["Content-Type"] == "video/mp4"
    assert b"ftyp" in b"".join(download.streaming_content)[:64]
    assert Generation.objects.get(id=gen_id).poll_count >= 2


def test_the_worker_delivers_a_signed_webhook_to_a_local_receiver(celery_worker, gql, settings):
    from standardwebhooks.webhooks import Webhook

    from billing.models import Account
    from tests.receiver import receiver

    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with receiver(200) as server:
        gen_id = gql(
            GENERATE,
            {
                "input": {
                    "type": "IMAGE",
                    "provider": "flux-dev",
                    "input": {"text": "A lighthouse"},
                    "webhookUrl": server.url,
                }
            },
        ).data["generate"]["id"]
        deadline = time.monotonic() + 60
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.2)
    assert server.received, "no webhook arrived"
    headers, body = server.received[0]
    secret = Account.objects.get(generations__id=gen_id).webhook_secret
    event = Webhook(secret).verify(body.decode(), {k.lower(): v for k, v in headers.items()})
    assert event["type"] == "generation.completed" and event["data"]["id"] == gen_id
