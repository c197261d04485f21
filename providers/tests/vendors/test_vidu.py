"""Vidu adapter, against Vidu's documented payloads (https://platform.vidu.com/docs)."""

from __future__ import annotations

import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.registry import adapter_for, get_spec
from providers.vendors.vidu import MODELS
from tests.helpers import run_to_completion

BASE = "https://api.vidu.com/ent/v2"
T2V = f"{BASE}/text2video"
I2V = f"{BASE}/img2video"
CREATIONS = f"{BASE}/tasks/task-1/creations"
VIDEO = "https://prod-ss-vidu.s3.amazonaws.com/infer/tasks/task-1/video.mp4?X-Amz-Expires=3600"
IMAGE = "https://example.com/product.png"
AUTH = {"Authorization": "Token test-VIDU_API_KEY"}


def _submitted(mocked, url: str = T2V, **match) -> None:
    answer = {"task_id": "task-1", "state": "created", "model": "viduq1", "credits": 20}
    mocked.post(url, json=answer, **match)


def _state(mocked, state: str, **extra) -> None:
    answer = {"id": "task-1", "state": state, "err_code": "", "credits": 20, "creations": []}
    mocked.get(CREATIONS, json={**answer, **extra}, match=[matchers.header_matcher(AUTH)])


def _success(mocked, mp4: bytes) -> None:
    creation = {"id": "c-1", "url": VIDEO, "cover_url": "https://example.com/cover.jpeg"}
    _state(mocked, "success", creations=[creation])
    mocked.get(VIDEO, body=mp4, content_type="video/mp4")


def test_vidu_text_to_video_submits_polls_and_copies_the_video(mocked, make_live, mp4, account):
    # Given Vidu creates, queues, processes, then finishes the task
    _submitted(
        mocked,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "model": "viduq1",
                    "prompt": "A lighthouse at dusk",
                    "duration": 5,
                    "resolution": "1080p",
                    "aspect_ratio": "9:16",
                    "style": "anime",
                    "movement_amplitude": "large",
                    "seed": 42,
                }
            ),
        ],
    )
    _state(mocked, "queueing")
    _state(mocked, "processing")
    _success(mocked, mp4)
    made = make_live(
        "vidu",
        "VIDEO",
        options={
            "aspectRatio": "9:16",
            "style": "anime",
            "movementAmplitude": "large",
            "seed": 42,
        },
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the short-lived video is copied and described from its real bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] > 1
    assert done.provider_job["id"] == "task-1"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(CREATIONS) == 3


def test_vidu_with_an_input_image_uses_img2video_with_the_images_list(mocked, make_live, mp4):
    # img2video has no style or aspect_ratio: anime is asked for in the prompt
    _submitted(
        mocked,
        url=I2V,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "model": "vidu1.5",
                    "images": [IMAGE],
                    "prompt": "A lighthouse at dusk. Anime style.",
                    "duration": 4,
                    "resolution": "720p",
                    "movement_amplitude": "auto",
                }
            ),
        ],
    )
    _success(mocked, mp4)
    made = make_live(
        "vidu",
        "VIDEO",
        image=IMAGE,
        options={"model": "vidu-1.5", "duration": 4, "resolution": "720p", "style": "anime"},
    )
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message


def test_every_catalogue_model_name_maps_to_a_vidu_model():
    spec = get_spec("vidu")
    assert set(spec.option("model").allowed_values) == set(MODELS)
    assert set(spec.models) == set(MODELS.values())


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        T2V,
        status=400,
        json={"code": 400, "reason": "FieldInvalid", "message": "duration must be 5 for viduq1"},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "duration must be 5 for viduq1" in done.error_message
    assert "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_prompt_refused_at_submit_fails_as_unsafe(mocked, make_live):
    mocked.post(
        T2V,
        status=400,
        json={
            "code": 400,
            "reason": "TaskPromptPolicyViolation",
            "message": "the prompt violates the content policy",
        },
    )
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "TaskPromptPolicyViolation" in done.error_message


def test_a_task_failed_by_moderation_fails_as_unsafe(mocked, make_live):
    _submitted(mocked)
    _state(mocked, "failed", err_code="CreationPolicyViolation")
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "CreationPolicyViolation" in done.error_message


def test_a_task_failed_for_lack_of_credit_says_so(mocked, make_live):
    _submitted(mocked)
    _state(mocked, "failed", err_code="CreditInsufficient")
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "out of credit" in done.error_message and "unsafe" not in done.error_message


def test_a_task_failed_by_vidu_throttling_fails_as_unavailable(mocked, make_live):
    _submitted(mocked)
    _state(mocked, "failed", err_code="SystemThrottling")
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"


def test_a_429_and_a_502_are_retried(mocked, make_live, mp4):
    mocked.post(T2V, status=429, json={"reason": "TooManyRequests", "message": "slow down"})
    mocked.post(T2V, status=502, body="bad gateway")
    _submitted(mocked)
    _success(mocked, mp4)
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == T2V for c in mocked.calls) == 3


def test_a_read_timeout_while_polling_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(CREATIONS, body=requests.exceptions.ReadTimeout("slow"))
    _success(mocked, mp4)
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, account):
    mocked.post(T2V, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("vidu", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_vidu_cannot_cancel_an_ordinary_task(mocked, make_live):
    made = make_live("vidu", "VIDEO")
    adapter = adapter_for(get_spec("vidu"), "live")
    job = job_request(Generation.objects.get(id=made.id))
    assert adapter.cancel(job, {"id": "task-1", "submitted": True}) is False
    assert len(mocked.calls) == 0
