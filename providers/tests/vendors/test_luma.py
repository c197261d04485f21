"""Luma Dream Machine adapter, against Luma's documented payloads.

https://docs.lumalabs.ai/docs/api and https://docs.lumalabs.ai/docs/video-generation
"""

from __future__ import annotations

import base64

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.registry import adapter_for, get_spec
from tests.helpers import run_to_completion

SUBMIT = "https://api.lumalabs.ai/dream-machine/v1/generations/video"
GENERATION = "https://api.lumalabs.ai/dream-machine/v1/generations/gen-1"
VIDEO = "https://storage.cdn-luma.com/dream_machine/gen-1/watermarked_video.mp4"
IMAGE = "https://example.com/first-frame.jpg"
AUTH = {"Authorization": "Bearer test-LUMAAI_API_KEY"}


def _generation(state: str, **extra) -> dict:
    return {
        "id": "gen-1",
        "generation_type": "video",
        "state": state,
        "failure_reason": None,
        "created_at": "2026-11-21T10:00:00.000Z",
        "assets": None,
        "model": "ray-2",
        **extra,
    }


def _submitted(mocked, **match) -> None:
    mocked.post(SUBMIT, status=201, json=_generation("queued"), **match)


def _completed(mocked, mp4: bytes) -> None:
    mocked.get(GENERATION, json=_generation("completed", assets={"video": VIDEO}))
    mocked.get(VIDEO, body=mp4, content_type="video/mp4")


def test_luma_submits_polls_and_copies_the_video(mocked, make_live, mp4, account):
    # Given Luma queues the generation, dreams, then completes it
    _submitted(
        mocked,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "model": "ray-flash-2",
                    "duration": "9s",
                    "aspect_ratio": "21:9",
                    "resolution": "1080p",
                    "loop": True,
                }
            ),
        ],
    )
    mocked.get(GENERATION, json=_generation("queued"), match=[matchers.header_matcher(AUTH)])
    mocked.get(GENERATION, json=_generation("dreaming"))
    _completed(mocked, mp4)
    made = make_live(
        "luma",
        "VIDEO",
        options={
            "model": "ray-flash-2",
            "duration": 9,
            "aspectRatio": "21:9",
            "resolution": "1080p",
            "loop": True,
        },
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours, described from its real bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["format"] == "mp4"
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.provider_job["id"] == "gen-1"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(GENERATION) == 3


def test_luma_sends_defaults_and_an_input_image_as_keyframe_zero(mocked, make_live, mp4):
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "model": "ray-2",
                    "duration": "5s",
                    "aspect_ratio": "16:9",
                    "resolution": "720p",
                    "loop": False,
                    "keyframes": {"frame0": {"type": "image", "url": IMAGE}},
                }
            )
        ],
    )
    _completed(mocked, mp4)
    done = run_to_completion(make_live("luma", "VIDEO", image=IMAGE).id)
    assert done.status == "COMPLETED", done.error_message


def test_luma_refuses_a_data_uri_image_at_request_time(mocked, make_live, png, account):
    from billing.credits import balance_get
    from generations.models import Generation
    from providers.base import InvalidInput

    image = "data:image/png;base64," + base64.b64encode(png).decode()
    before = balance_get(account=account, mode="live")
    with pytest.raises(InvalidInput, match="http\\(s\\) URL"):
        make_live("luma", "VIDEO", image=image)
    assert not Generation.objects.exists() and len(mocked.calls) == 0
    assert balance_get(account=account, mode="live") == before


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(SUBMIT, status=400, json={"detail": "Invalid aspect ratio for keyframes"})
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Invalid aspect ratio for keyframes" in done.error_message
    assert "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_moderation_refusal_at_submit_fails_as_unsafe(mocked, make_live):
    mocked.post(SUBMIT, status=400, json={"detail": "Prompt not allowed: failed moderation"})
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "failed moderation" in done.error_message


def test_a_generation_failed_by_moderation_fails_as_unsafe(mocked, make_live):
    _submitted(mocked)
    mocked.get(
        GENERATION,
        json=_generation(
            "failed", failure_reason="400: prompt not allowed because advanced moderation failed"
        ),
    )
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "advanced moderation failed" in done.error_message


def test_a_generation_failed_otherwise_keeps_luma_s_reason(mocked, make_live):
    _submitted(mocked)
    mocked.get(GENERATION, json=_generation("failed", failure_reason="500: internal error"))
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" not in done.error_message
    assert "500: internal error" in done.error_message


def test_a_429_and_a_503_are_retried(mocked, make_live, mp4):
    mocked.post(SUBMIT, status=429, json={"detail": "Too many concurrent generations"})
    mocked.post(SUBMIT, status=503, body="upstream unavailable")
    _submitted(mocked)
    _completed(mocked, mp4)
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == SUBMIT for c in mocked.calls) == 3


def test_a_read_timeout_while_polling_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(GENERATION, body=requests.exceptions.ReadTimeout("slow"))
    _completed(mocked, mp4)
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, account):
    mocked.post(SUBMIT, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("luma", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_cancel_deletes_the_generation_at_luma(mocked, make_live):
    made = make_live("luma", "VIDEO")
    mocked.delete(GENERATION, status=204, match=[matchers.header_matcher(AUTH)])
    adapter = adapter_for(get_spec("luma"), "live")
    job = job_request(Generation.objects.get(id=made.id))
    assert adapter.cancel(job, {"id": "gen-1", "submitted": True}) is True
    assert [(c.request.method, c.request.url) for c in mocked.calls] == [("DELETE", GENERATION)]
    assert adapter.cancel(job, {}) is False  # never submitted: nothing to delete
