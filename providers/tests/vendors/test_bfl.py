"""Black Forest Labs adapter, against BFL's documented payloads (https://docs.bfl.ai/)."""

from __future__ import annotations

import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from providers.registry import adapter_for, get_spec
from tests.helpers import run_to_completion

SUBMIT = "https://api.bfl.ai/v1/flux-dev"
POLLING = "https://api.us1.bfl.ai/v1/get_result?id=task-1"
SAMPLE = "https://delivery-us1.bfl.ai/results/abc/sample.jpeg?se=2026-11-21T03%3A40Z&sig=x"


def _submitted(mocked, url=SUBMIT, **match):
    mocked.post(url, json={"id": "task-1", "polling_url": POLLING}, **match)


def test_flux_dev_submits_polls_and_copies_the_image(mocked, make_live, jpeg, account):
    # Given BFL accepts the job, reports it pending twice, then ready
    _submitted(
        mocked,
        match=[
            matchers.header_matcher({"x-key": "test-BFL_API_KEY"}),
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "width": 1024,
                    "height": 576,
                    "steps": 28,
                    "guidance": 3,
                    "safety_tolerance": 2,
                    "output_format": "jpeg",
                    "seed": 7,
                    "prompt_upsampling": False,
                }
            ),
        ],
    )
    mocked.get(POLLING, json={"id": "task-1", "status": "Pending", "progress": 0.1})
    mocked.get(POLLING, json={"id": "task-1", "status": "Pending", "progress": 0.6})
    mocked.get(
        POLLING,
        json={"id": "task-1", "status": "Ready", "progress": 1, "result": {"sample": SAMPLE}},
    )
    mocked.get(SAMPLE, body=jpeg, content_type="image/jpeg")
    made = make_live("flux-dev", "IMAGE", options={"aspectRatio": "16:9", "seed": 7})
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the image is ours, described, and the hold is captured
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".jpg")
    assert done.metadata["format"] == "jpeg" and done.metadata["width"] == 64
    assert done.provider_job["id"] == "task-1"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(POLLING) == 3


def test_flux_ultra_maps_quality_raw_and_aspect_ratio(mocked, make_live, jpeg):
    url = "https://api.bfl.ai/v1/flux-pro-1.1-ultra"
    _submitted(
        mocked,
        url=url,
        match=[
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "aspect_ratio": "21:9",
                    "raw": True,
                    "seed": 42,
                    "safety_tolerance": 2,
                    "output_format": "jpeg",
                }
            )
        ],
    )
    mocked.get(POLLING, json={"status": "Ready", "result": {"sample": SAMPLE}})
    mocked.get(SAMPLE, body=jpeg, content_type="image/jpeg")
    made = make_live(
        "flux-ultra", "IMAGE", options={"aspectRatio": "21:9", "quality": "raw", "seed": 42}
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_flux_kontext_sends_the_input_image_to_the_chosen_model(mocked, make_live, png):
    url = "https://api.bfl.ai/v1/flux-kontext-max"
    _submitted(
        mocked,
        url=url,
        match=[
            matchers.json_params_matcher(
                {
                    "prompt": "Make it night",
                    "input_image": "https://example.com/in.png",
                    "aspect_ratio": "1:1",
                    "safety_tolerance": 2,
                    "output_format": "png",
                    "prompt_upsampling": False,
                }
            )
        ],
    )
    mocked.get(POLLING, json={"status": "Ready", "result": {"sample": SAMPLE}})
    mocked.get(SAMPLE, body=png, content_type="image/png")
    made = make_live(
        "flux-kontext",
        "IMAGE",
        text="Make it night",
        options={"model": "max"},
        image="https://example.com/in.png",
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        SUBMIT,
        status=422,
        json={"detail": [{"loc": ["body", "width"], "msg": "must be a multiple of 32"}]},
    )
    before = balance_get(account=account, mode="live")
    made = make_live("flux-dev", "IMAGE")
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "multiple of 32" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before  # the hold came back


def test_a_moderated_result_fails_the_job_as_a_refusal(mocked, make_live):
    _submitted(mocked)
    mocked.get(POLLING, json={"id": "task-1", "status": "Content Moderated"})
    done = run_to_completion(make_live("flux-dev", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message


def test_a_429_and_a_503_are_retried(mocked, make_live, jpeg):
    mocked.post(SUBMIT, status=429, json={"detail": "Too many active tasks"})
    mocked.post(SUBMIT, status=503, body="upstream unavailable")
    _submitted(mocked)
    mocked.get(POLLING, json={"status": "Ready", "result": {"sample": SAMPLE}})
    mocked.get(SAMPLE, body=jpeg, content_type="image/jpeg")
    done = run_to_completion(make_live("flux-dev", "IMAGE").id)
    assert done.status == "COMPLETED"
    assert sum(c.request.url == SUBMIT for c in mocked.calls) == 3


def test_a_timeout_is_transient_and_a_lasting_one_fails_as_unavailable(mocked, make_live, account):
    mocked.post(SUBMIT, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("flux-dev", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_bfl_has_no_cancel_endpoint(make_live):
    generation = make_live("flux-dev", "IMAGE")
    adapter = adapter_for(get_spec("flux-dev"), "live")
    from generations.pipeline import job_request

    assert adapter.cancel(job_request(Generation.objects.get(id=generation.id)), {}) is False
