"""Stability AI adapter, against the documented Stable Image payloads.

Docs: https://platform.stability.ai/docs/api-reference
"""

from __future__ import annotations

import base64

import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.registry import adapter_for, get_spec
from tests.helpers import run_to_completion

GENERATE = "https://api.stability.ai/v2beta/stable-image/generate"
CORE = f"{GENERATE}/core"
HEADERS = {"Authorization": "Bearer test-STABILITY_API_KEY", "Accept": "application/json"}
NONE = {"none": ""}


def success(content: bytes, seed: int = 42) -> dict:
    return {"image": base64.b64encode(content).decode(), "finish_reason": "SUCCESS", "seed": seed}


def error(name: str, *errors: str) -> dict:
    return {"id": "a9c1f3e2b7d84c6e9f0a1b2c3d4e5f60", "name": name, "errors": list(errors)}


def test_core_sends_multipart_fields_and_stores_the_image(mocked, make_live, jpeg, account):
    mocked.post(
        CORE,
        json=success(jpeg),
        match=[
            matchers.header_matcher(HEADERS),
            matchers.multipart_matcher(
                NONE,
                data={
                    "prompt": "A lighthouse at dusk",
                    "negative_prompt": "blurry",
                    "aspect_ratio": "16:9",
                    "seed": "42",
                    "output_format": "jpeg",
                    "style_preset": "photographic",
                },
            ),
        ],
    )
    made = make_live(
        "stable-diffusion",
        "IMAGE",
        options={
            "aspectRatio": "16:9",
            "negativePrompt": "blurry",
            "seed": 42,
            "outputFormat": "jpeg",
            "stylePreset": "photographic",
        },
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".jpg")
    assert done.metadata["format"] == "jpeg" and done.metadata["width"] == 64
    assert done.metadata["height"] == 48
    assert balance_get(account=account, mode="live") == before


def test_sd35_models_go_to_the_sd3_endpoint_with_a_model_field(mocked, make_live, png):
    mocked.post(
        f"{GENERATE}/sd3",
        json=success(png),
        match=[
            matchers.multipart_matcher(
                NONE,
                data={
                    "prompt": "A lighthouse at dusk",
                    "model": "sd3.5-large-turbo",
                    "aspect_ratio": "1:1",
                    "output_format": "png",
                },
            )
        ],
    )
    made = make_live(
        "stable-diffusion",
        "IMAGE",
        # turbo ignores negative prompts and only core takes style presets
        options={"model": "sd3.5-large-turbo", "negativePrompt": "blurry", "stylePreset": "anime"},
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_ultra_has_its_own_endpoint(mocked, make_live, png):
    mocked.post(
        f"{GENERATE}/ultra",
        json=success(png),
        match=[
            matchers.multipart_matcher(
                NONE,
                data={
                    "prompt": "A lighthouse at dusk",
                    "negative_prompt": "text",
                    "aspect_ratio": "9:21",
                    "output_format": "png",
                },
            )
        ],
    )
    made = make_live(
        "stable-diffusion",
        "IMAGE",
        options={"model": "ultra", "aspectRatio": "9:21", "negativePrompt": "text"},
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        CORE, status=400, json=error("bad_request", "prompt: cannot be longer than 10000 chars")
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "bad_request: prompt: cannot be longer than 10000 chars" in done.error_message
    assert "released" in done.error_message and "unsafe" not in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_403_content_moderation_fails_as_unsafe(mocked, make_live):
    message = "Your request was flagged by our content moderation system."
    mocked.post(CORE, status=403, json=error("content_moderation", message))
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert message in done.error_message


def test_a_content_filtered_finish_reason_fails_as_unsafe(mocked, make_live, png):
    body = {**success(png), "finish_reason": "CONTENT_FILTERED"}
    mocked.post(CORE, json=body)
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "CONTENT_FILTERED" in done.error_message


def test_out_of_credits_is_permanent(mocked, make_live):
    mocked.post(CORE, status=402, json=error("payment_required", "You lack sufficient credits."))
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "lack sufficient credits" in done.error_message


def test_a_429_and_a_500_are_retried(mocked, make_live, png):
    mocked.post(
        CORE,
        status=429,
        json=error("rate_limit_exceeded", "You have exceeded the rate limit."),
        headers={"Retry-After": "0"},
    )
    mocked.post(CORE, status=500, json=error("internal_error", "An unexpected server error."))
    mocked.post(CORE, json=success(png))
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == CORE for c in mocked.calls) == 3


def test_a_timeout_is_retried_and_a_lasting_one_fails_as_unavailable(mocked, make_live, png):
    mocked.post(CORE, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.post(CORE, json=success(png))
    assert run_to_completion(make_live("stable-diffusion", "IMAGE").id).status == "COMPLETED"

    mocked.reset()
    mocked.post(CORE, body=requests.exceptions.ConnectTimeout("timed out"))
    done = run_to_completion(make_live("stable-diffusion", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message


def test_stability_has_no_cancel(make_live):
    generation = make_live("stable-diffusion", "IMAGE")
    adapter = adapter_for(get_spec("stable-diffusion"), "live")
    assert adapter.cancel(job_request(Generation.objects.get(id=generation.id)), {}) is False
