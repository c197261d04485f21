"""Every operation in the seeds runs verbatim; only the base URL and key change."""

from __future__ import annotations

import json

import pytest

from generations.models import Generation
from tests import seed_examples
from tests.helpers import run_to_completion


def _post(client, key, body, headers=None):
    extra = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in (headers or {}).items()
        if k.lower() not in ("authorization", "content-type")
    }
    response = client.post(
        "/graphql",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **extra,
    )
    return response.status_code, json.loads(response.content)


def test_the_seeds_hold_three_curl_examples():
    assert len(seed_examples.curl_requests()) == 3


def test_the_curl_quick_start_examples_return_generations(client, test_key):
    (h1, video), (h2, auto), (h3, status) = seed_examples.curl_requests()
    code, body = _post(client, test_key, video, h1)
    assert code == 200 and "errors" not in body, body
    generation = body["data"]["generate"]
    assert generation["provider"] == "minimax" and generation["status"] == "QUEUED"
    assert set(generation["metadata"] or {}) <= {"duration", "resolution"}
    code, body = _post(client, test_key, auto, h2)
    assert code == 200 and "errors" not in body, body
    assert body["data"]["generate"]["provider"]
    # The status example names a placeholder id: it validates and answers NOT_FOUND…
    code, body = _post(client, test_key, status, h3)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # …and with a real id it reports the status, url and error.
    run_to_completion(generation["id"])
    status["query"] = status["query"].replace("gen_abc123", generation["id"])
    code, body = _post(client, test_key, status, h3)
    assert body["data"]["generation"]["status"] == "COMPLETED"
    assert body["data"]["generation"]["url"].endswith(".mp4")


JS_INPUTS = [
    {"type": "VIDEO", "input": {"text": "A serene mountain landscape"}},
    {
        "type": "VIDEO",
        "provider": "minimax",
        "input": {"text": "Epic battle scene"},
        "options": {"duration": 10, "resolution": "1080p", "style": "cinematic"},
    },
    {"type": "IMAGE", "input": {"text": "Photorealistic portrait"}, "priority": "QUALITY"},
]


def test_the_javascript_client_operations_run(client, test_key):
    generate, check_status, create_video = seed_examples.javascript_operations()
    for input_ in JS_INPUTS:
        code, body = _post(client, test_key, {"query": generate, "variables": {"input": input_}})
        assert code == 200 and "errors" not in body, body
        assert body["data"]["generate"]["error"] is None
    gen_id = body["data"]["generate"]["id"]
    code, body = _post(client, test_key, {"query": check_status, "variables": {"id": gen_id}})
    assert body["data"]["generation"]["status"] == "QUEUED"
    code, body = _post(
        client,
        test_key,
        {
            "query": create_video,
            "variables": {
                "input": {"prompt": "Beautiful sunset over ocean", "model": "luma", "duration": 9}
            },
        },
    )
    assert "errors" not in body, body
    assert body["data"]["videoCreate"]["status"] == "QUEUED"


def test_the_graphql_section_runs_with_each_of_its_variables(client, test_key):
    operations, variables = seed_examples.graphql_section()
    assert set(operations) == {"Generate", "GetGeneration", "CancelGeneration", "GetProviders"}
    assert len(variables) == 6
    ids = []
    for example in variables:
        code, body = _post(
            client, test_key, {"query": operations["Generate"], "variables": example}
        )
        assert code == 200 and "errors" not in body, (example, body)
        ids.append(body["data"]["generate"]["id"])
    assert Generation.objects.get(id=ids[-1]).webhook_url == "https://your-app.com/webhook"
    run_to_completion(ids[3])
    code, body = _post(
        client, test_key, {"query": operations["GetGeneration"], "variables": {"id": ids[3]}}
    )
    assert body["data"]["generation"]["status"] == "COMPLETED"
    assert body["data"]["generation"]["metadata"]["format"] in ("png", "jpeg")
    code, body = _post(
        client, test_key, {"query": operations["CancelGeneration"], "variables": {"id": ids[0]}}
    )
    assert body["data"] == {"cancelGeneration": True}
    for kind in ("VIDEO", "IMAGE", "AUDIO", "AVATAR"):
        code, body = _post(
            client, test_key, {"query": operations["GetProviders"], "variables": {"type": kind}}
        )
        assert "errors" not in body and body["data"]["providers"]


@pytest.mark.django_db(transaction=True)
def test_the_python_client_runs_against_a_live_server(live_server, account):
    from billing.keys import api_key_create

    key = api_key_create(account=account, mode="test")[1]
    namespace: dict = {}
    exec(compile(seed_examples.python_client_source(), "seed_client.py", "exec"), namespace)
    api = namespace["DoitongAPI"](key)
    api.base_url = f"{live_server.url}/graphql"
    video = api.generate(
        content_type="video",
        input_data={"text": "A majestic eagle soaring through clouds"},
        options={"duration": 10, "resolution": "1080p"},
    )
    image = api.generate(
        content_type="image",
        provider="flux-ultra",
        input_data={"text": "Professional product photography"},
        options={"aspectRatio": "16:9", "quality": "ultra"},
    )
    audio = api.generate(
        content_type="audio",
        provider="elevenlabs",
        input_data={"text": "Welcome to the future of AI"},
        options={"voice": "rachel", "emotion": "excited"},
    )
    for made in (video, image, audio):
        assert made["id"].startswith("gen_") and made["creditCost"] > 0
    run_to_completion(image["id"])
    status = api.check_status(image["id"])
    assert status["status"] == "COMPLETED" and status["url"].startswith(live_server.url)
    assert status["metadata"]["width"] > status["metadata"]["height"]
    assert status["error"] is None
