"""Runway adapter, against Runway's documented payloads (https://docs.dev.runwayml.com/api/)."""

from __future__ import annotations

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.base import PermanentProviderError
from providers.registry import adapter_for, get_spec
from tests.helpers import run_to_completion

BASE = "https://api.dev.runwayml.com"
I2V = f"{BASE}/v1/image_to_video"
T2V = f"{BASE}/v1/text_to_video"
TASK = f"{BASE}/v1/tasks/17f20503-6c24-4c16-946b-35dbbce2af2f"
OUTPUT = "https://dnznrvs05pmza.cloudfront.net/17f20503.mp4?_jwt=x"
HEADERS = {"Authorization": "Bearer test-RUNWAYML_API_SECRET", "X-Runway-Version": "2024-11-06"}
IMAGE = "https://example.com/in.png"


def _submitted(mocked, url=I2V, **match):
    mocked.post(url, json={"id": "17f20503-6c24-4c16-946b-35dbbce2af2f"}, **match)


def _task(mocked, status, **extra):
    mocked.get(
        TASK,
        json={
            "id": "17f20503-6c24-4c16-946b-35dbbce2af2f",
            "createdAt": "2026-11-20T10:00:00.000Z",
            "status": status,
            **extra,
        },
        match=[matchers.header_matcher(HEADERS)],
    )


def _done(mocked, mp4):
    _task(mocked, "SUCCEEDED", output=[OUTPUT])
    mocked.get(OUTPUT, body=mp4, content_type="video/mp4")


def test_runway_animation_submits_polls_and_copies_the_video(mocked, make_live, mp4, account):
    # Given Runway accepts the task, throttles it, runs it, then succeeds
    _submitted(
        mocked,
        match=[
            matchers.header_matcher(HEADERS),
            matchers.json_params_matcher(
                {
                    "model": "gen4_turbo",
                    "promptImage": IMAGE,
                    "ratio": "1584:672",
                    "promptText": "The waves roll in, high motion, dynamic movement",
                    "duration": 10,
                    "seed": 7,
                }
            ),
        ],
    )
    _task(mocked, "PENDING")
    _task(mocked, "THROTTLED")
    _task(mocked, "RUNNING", progress=0.42)
    _done(mocked, mp4)
    made = make_live(
        "runway-animation",
        "VIDEO",
        text="The waves roll in.",
        options={"aspectRatio": "21:9", "duration": 10, "motionIntensity": "high", "seed": 7},
        image=IMAGE,
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours, described from the real bytes, and the hold is captured
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2, abs=0.5)
    assert done.provider_job["id"] == "17f20503-6c24-4c16-946b-35dbbce2af2f"
    assert done.provider_job["endpoint"] == "/v1/image_to_video"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(TASK) == 4


def test_runway_text_only_uses_text_to_video_with_gen_4_5(mocked, make_live, mp4):
    _submitted(
        mocked,
        url=T2V,
        match=[
            matchers.header_matcher(HEADERS),
            matchers.json_params_matcher(
                {
                    "model": "gen4.5",
                    "ratio": "720:1280",
                    "promptText": "A lighthouse at dusk",
                    "duration": 5,
                }
            ),
        ],
    )
    _task(mocked, "RUNNING", progress=0.5)
    _done(mocked, mp4)
    made = make_live("runway", "VIDEO", options={"aspectRatio": "9:16"})
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.provider_job["endpoint"] == "/v1/text_to_video"


@pytest.mark.parametrize(
    ("model", "aspect", "runway_model", "ratio"),
    [
        ("gen-3", "9:16", "gen3a_turbo", "768:1280"),
        ("gen-3", "16:9", "gen3a_turbo", "1280:768"),
        ("gen-4", "4:3", "gen4_turbo", "1104:832"),
        ("gen-4.5", "1:1", "gen4.5", "960:960"),
        ("gen-4.5", "3:4", "gen4.5", "832:1104"),
    ],
)
def test_runway_maps_our_model_names_and_aspect_ratios(
    mocked, make_live, mp4, model, aspect, runway_model, ratio
):
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "model": runway_model,
                    "promptImage": IMAGE,
                    "ratio": ratio,
                    "promptText": "A lighthouse at dusk",
                    "duration": 5,
                }
            )
        ],
    )
    _done(mocked, mp4)
    made = make_live(
        "runway", "VIDEO", options={"model": model, "aspectRatio": aspect}, image=IMAGE
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_runway_animation_without_text_sends_only_the_motion_hint(mocked, make_live, mp4):
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "model": "gen4_turbo",
                    "promptImage": IMAGE,
                    "ratio": "1280:720",
                    "promptText": "low motion, subtle movement",
                    "duration": 5,
                }
            )
        ],
    )
    _done(mocked, mp4)
    made = make_live(
        "runway-animation", "VIDEO", text=None, options={"motionIntensity": "low"}, image=IMAGE
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_a_plain_http_image_is_sent_as_a_data_uri(mocked, make_live, mp4, png):
    mocked.get("http://example.com/in.png", body=png, content_type="image/png")
    _submitted(mocked)
    _done(mocked, mp4)
    made = make_live("runway-animation", "VIDEO", image="http://example.com/in.png")
    assert run_to_completion(made.id).status == "COMPLETED"
    sent = next(c.request for c in mocked.calls if c.request.url == I2V)
    assert b'"promptImage": "data:image/png;base64,' in sent.body


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        I2V,
        status=400,
        json={
            "error": "Validation of body failed",
            "issues": [{"path": ["promptImage"], "message": "Invalid asset aspect ratio"}],
        },
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Validation of body failed" in done.error_message
    assert "promptImage: Invalid asset aspect ratio" in done.error_message
    assert "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_an_invalid_key_is_a_permanent_auth_failure(mocked, make_live):
    mocked.post(T2V, status=401, json={"error": "Invalid API key"})
    done = run_to_completion(make_live("runway", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "Invalid API key" in done.error_message


@pytest.mark.parametrize("code", ["SAFETY.INPUT.TEXT", "INPUT_PREPROCESSING.SAFETY.TEXT"])
def test_a_safety_failure_is_a_moderation_refusal(mocked, make_live, code):
    _submitted(mocked)
    _task(
        mocked, "FAILED", failure="Your prompt was flagged by content moderation.", failureCode=code
    )
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert code in done.error_message


def test_an_internal_failure_fails_the_job_with_runway_message(mocked, make_live):
    _submitted(mocked)
    _task(
        mocked,
        "FAILED",
        failure="An unexpected error occurred.",
        failureCode="INTERNAL.BAD_OUTPUT.CODE01",
    )
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" not in done.error_message
    assert "An unexpected error occurred." in done.error_message


def test_a_task_cancelled_at_runway_fails_the_job(mocked, make_live):
    _submitted(mocked)
    _task(mocked, "CANCELLED")
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "FAILED" and "cancelled" in done.error_message


def test_a_429_and_a_502_are_retried(mocked, make_live, mp4):
    mocked.post(I2V, status=429, json={"error": "You have exceeded your daily task limit."})
    mocked.post(I2V, status=502, body="bad gateway")
    _submitted(mocked)
    _task(mocked, "RUNNING", progress=0.9)
    mocked.get(TASK, status=503, body="shedding load")
    _done(mocked, mp4)
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == I2V for c in mocked.calls) == 3


def test_a_timeout_is_transient_and_a_lasting_one_fails_as_unavailable(mocked, make_live, account):
    mocked.post(I2V, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert sum(c.request.url == I2V for c in mocked.calls) == 5  # 1 try + 4 retries
    assert balance_get(account=account, mode="live") == before


def test_a_poll_timeout_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(TASK, body=requests.exceptions.ReadTimeout("read timed out"))
    _done(mocked, mp4)
    done = run_to_completion(make_live("runway-animation", "VIDEO", image=IMAGE).id)
    assert done.status == "COMPLETED", done.error_message


def test_cancel_deletes_the_task_at_runway(mocked, make_live):
    mocked.delete(TASK, status=204, match=[matchers.header_matcher(HEADERS)])
    for provider in ("runway", "runway-animation"):
        generation = Generation.objects.get(id=make_live(provider, "VIDEO", image=IMAGE).id)
        adapter = adapter_for(get_spec(provider), "live")
        handle = {"id": "17f20503-6c24-4c16-946b-35dbbce2af2f", "submitted": True}
        assert adapter.cancel(job_request(generation), handle) is True
    assert [(c.request.method, c.request.url) for c in mocked.calls] == [("DELETE", TASK)] * 2


def test_cancel_without_a_task_id_sends_nothing(mocked, make_live):
    generation = Generation.objects.get(id=make_live("runway", "VIDEO").id)
    adapter = adapter_for(get_spec("runway"), "live")
    assert adapter.cancel(job_request(generation), {}) is False
    assert len(mocked.calls) == 0


def test_cancel_of_an_unknown_task_raises_permanent(mocked, make_live):
    mocked.delete(TASK, status=404, json={"error": "Task not found"})
    generation = Generation.objects.get(id=make_live("runway", "VIDEO").id)
    adapter = adapter_for(get_spec("runway"), "live")
    with pytest.raises(PermanentProviderError, match="Task not found"):
        adapter.cancel(job_request(generation), {"id": "17f20503-6c24-4c16-946b-35dbbce2af2f"})
