"""fal.ai queue adapters (wan, flux-krea), against fal's documented payloads.

Queue: https://docs.fal.ai/documentation/model-apis/inference/queue
Errors: https://fal.ai/docs/documentation/model-apis/errors
"""

from __future__ import annotations

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from providers.base import GenerationType, Inputs, JobRequest
from providers.registry import adapter_for, get_spec
from providers.vendors.fal import FluxKreaAdapter, WanAdapter, wan_frames
from tests.helpers import run_to_completion

AUTH = {"Authorization": "Key test-FAL_KEY"}
WAN_T2V = "https://queue.fal.run/fal-ai/wan/v2.2-a14b/text-to-video"
WAN_I2V = "https://queue.fal.run/fal-ai/wan/v2.2-a14b/image-to-video"
KREA = "https://queue.fal.run/fal-ai/flux/krea"
# fal returns the app's base URLs (without the /text-to-video sub-path): use them as given.
WAN_REQ = "https://queue.fal.run/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b"
KREA_REQ = "https://queue.fal.run/fal-ai/flux/requests/80e732af-660e-45cd-bd63-580e4f2a94cc"
VIDEO = "https://v3.fal.media/files/penguin/abc123_output.mp4"
IMAGE = "https://v3.fal.media/files/koala/def456.jpeg"


def _queued(base: str, request_id: str) -> dict:
    return {
        "request_id": request_id,
        "response_url": base,
        "status_url": f"{base}/status",
        "cancel_url": f"{base}/cancel",
    }


def _submitted(mocked, url=WAN_T2V, base=WAN_REQ, **match):
    mocked.post(url, json=_queued(base, base.rsplit("/", 1)[1]), **match)


def _status(mocked, base, status, **extra):
    mocked.get(f"{base}/status", json={"status": status, "response_url": base, **extra})


def _wan_done(mocked, mp4, base=WAN_REQ):
    _status(mocked, base, "COMPLETED", logs=None, metrics={"inference_time": 41.2})
    mocked.get(
        base,
        json={
            "video": {
                "url": VIDEO,
                "content_type": "video/mp4",
                "file_name": "output.mp4",
                "file_size": len(mp4),
            },
            "prompt": "A lighthouse at dusk",
            "seed": 42,
        },
    )
    mocked.get(VIDEO, body=mp4, content_type="video/mp4")


def _job(provider: str, type_: GenerationType = GenerationType.VIDEO, **options) -> JobRequest:
    return JobRequest("gen-1", type_, provider, Inputs(text="A lighthouse at dusk"), options)


# -- wan --------------------------------------------------------------------------------


def test_wan_goes_through_the_queue_and_copies_the_video(mocked, make_live, mp4, account):
    # Given fal queues the request, runs it, then completes it
    _submitted(
        mocked,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "num_frames": 81,
                    "frames_per_second": 16,
                    "resolution": "720p",
                    "aspect_ratio": "16:9",
                    "seed": 42,
                }
            ),
        ],
    )
    _status(mocked, WAN_REQ, "IN_QUEUE", queue_position=2)
    _status(mocked, WAN_REQ, "IN_PROGRESS", logs=None)
    _wan_done(mocked, mp4)
    made = make_live("wan", "VIDEO", options={"seed": 42})
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours, described from the real bytes, and the hold is captured
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["format"] == "mp4"
    assert (done.metadata["width"], done.metadata["height"]) == (64, 36)
    assert done.metadata["duration"] == 2.0
    assert done.provider_job["id"] == "764cabcf-b745-4b3e-ae38-1200304cf45b"
    assert balance_get(account=account, mode="live") == before
    urls = [c.request.url for c in mocked.calls]
    assert urls.count(f"{WAN_REQ}/status") == 3 and urls.count(WAN_REQ) == 1
    assert all(
        c.request.headers["Authorization"] == AUTH["Authorization"] for c in mocked.calls[:5]
    )


def test_wan_with_an_image_uses_image_to_video_and_maps_duration_to_frames(mocked, make_live, mp4):
    _submitted(
        mocked,
        url=WAN_I2V,
        match=[
            matchers.json_params_matcher(
                {
                    "prompt": "The waves roll in",
                    "image_url": "https://example.com/first.png",
                    "num_frames": 161,
                    "frames_per_second": 16,
                    "resolution": "480p",
                    "aspect_ratio": "9:16",
                    "negative_prompt": "blurry, text",
                }
            )
        ],
    )
    _wan_done(mocked, mp4)
    made = make_live(
        "wan",
        "VIDEO",
        text="The waves roll in",
        image="https://example.com/first.png",
        options={
            "duration": 10,
            "resolution": "480p",
            "aspectRatio": "9:16",
            "negativePrompt": "blurry, text",
        },
    )
    assert run_to_completion(made.id).status == "COMPLETED"


@pytest.mark.parametrize(
    ("seconds", "frames"), [(1, 17), (3, 49), (5, 81), (8, 129), (10, 161), (12, 161)]
)
def test_wan_frames_are_seconds_times_16_plus_one_within_fals_range(seconds, frames):
    assert wan_frames(seconds) == frames


def test_the_queue_position_is_kept_while_waiting(mocked):
    _status(mocked, WAN_REQ, "IN_QUEUE", queue_position=7)
    _status(mocked, WAN_REQ, "IN_PROGRESS")
    adapter = WanAdapter(get_spec("wan"))
    handle = _queued(WAN_REQ, "r")
    queued = adapter.poll(_job("wan"), handle)
    running = adapter.poll(_job("wan"), handle)
    assert (queued.status, queued.handle["queue_position"], queued.progress) == ("pending", 7, 0)
    assert running.status == "running" and 0 < running.progress < 100


# -- flux-krea --------------------------------------------------------------------------


def test_flux_krea_maps_the_options_and_copies_the_image(mocked, make_live, jpeg):
    _submitted(
        mocked,
        url=KREA,
        base=KREA_REQ,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "image_size": "landscape_16_9",
                    "num_inference_steps": 28,
                    "guidance_scale": 4.5,
                    "seed": 7,
                    "num_images": 1,
                    "output_format": "jpeg",
                    "enable_safety_checker": True,
                }
            ),
        ],
    )
    _status(mocked, KREA_REQ, "IN_PROGRESS")
    _status(mocked, KREA_REQ, "COMPLETED")
    mocked.get(
        KREA_REQ,
        json={
            "images": [{"url": IMAGE, "width": 1024, "height": 576, "content_type": "image/jpeg"}],
            "timings": {"inference": 2.1},
            "seed": 7,
            "has_nsfw_concepts": [False],
            "prompt": "A lighthouse at dusk",
        },
    )
    mocked.get(IMAGE, body=jpeg, content_type="image/jpeg")
    made = make_live("flux-krea", "IMAGE", options={"aspectRatio": "16:9", "seed": 7})
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".jpg")
    assert done.metadata["format"] == "jpeg"
    assert (done.metadata["width"], done.metadata["height"]) == (64, 48)  # the real bytes


@pytest.mark.parametrize(
    ("ratio", "size"),
    [
        ("1:1", "square_hd"),
        ("4:3", "landscape_4_3"),
        ("3:4", "portrait_4_3"),
        ("16:9", "landscape_16_9"),
        ("9:16", "portrait_16_9"),
        ("2:1", {"width": 1024, "height": 512}),
    ],
)
def test_flux_krea_aspect_ratios_become_fal_image_sizes(ratio, size):
    assert FluxKreaAdapter(get_spec("flux-krea")).image_size(ratio) == size


def test_a_flux_krea_image_flagged_by_the_safety_checker_is_a_refusal(mocked, make_live):
    _submitted(mocked, url=KREA, base=KREA_REQ)
    _status(mocked, KREA_REQ, "COMPLETED")
    mocked.get(
        KREA_REQ,
        json={
            "images": [{"url": IMAGE, "width": 1024, "height": 1024, "content_type": "image/jpeg"}],
            "has_nsfw_concepts": [True],
        },
    )
    done = run_to_completion(make_live("flux-krea", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "released" in done.error_message


# -- errors -----------------------------------------------------------------------------


def test_a_validation_error_at_submit_fails_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        WAN_T2V,
        status=422,
        json={
            "detail": [
                {
                    "loc": ["body", "num_frames"],
                    "msg": "Input should be less than or equal to 161",
                    "type": "less_than_equal",
                }
            ]
        },
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("wan", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "less than or equal to 161" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_request_that_failed_in_the_model_fails_when_its_result_is_fetched(mocked, make_live):
    _submitted(mocked)
    _status(mocked, WAN_REQ, "COMPLETED")
    mocked.get(
        WAN_REQ,
        status=422,
        json={
            "detail": [
                {
                    "loc": ["body", "image_url"],
                    "msg": "Failed to download the file. Please check if the URL is accessible.",
                    "type": "file_download_error",
                }
            ]
        },
    )
    done = run_to_completion(make_live("wan", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Failed to download the file" in done.error_message
    assert "unsafe" not in done.error_message


def test_a_content_policy_violation_is_a_moderation_refusal(mocked, make_live):
    _submitted(mocked)
    _status(mocked, WAN_REQ, "COMPLETED")
    mocked.get(
        WAN_REQ,
        status=422,
        json={
            "detail": [
                {
                    "loc": ["body", "prompt"],
                    "msg": "The content could not be processed because it was flagged "
                    "by a content checker.",
                    "type": "content_policy_violation",
                }
            ]
        },
    )
    done = run_to_completion(make_live("wan", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "flagged by a content checker" in done.error_message


def test_a_bad_fal_key_is_a_permanent_credentials_error(mocked, make_live):
    mocked.post(WAN_T2V, status=401, json={"detail": "Invalid API key"})
    done = run_to_completion(make_live("wan", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "Invalid API key" in done.error_message


def test_a_429_and_a_503_are_retried(mocked, make_live, mp4):
    mocked.post(WAN_T2V, status=429, json={"detail": "Too many concurrent requests"})
    mocked.post(WAN_T2V, status=503, body="upstream unavailable")
    _submitted(mocked)
    mocked.get(f"{WAN_REQ}/status", status=502, body="bad gateway")
    _wan_done(mocked, mp4)
    done = run_to_completion(make_live("wan", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == WAN_T2V for c in mocked.calls) == 3


def test_a_read_timeout_while_polling_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(f"{WAN_REQ}/status", body=requests.exceptions.ReadTimeout("read timed out"))
    _wan_done(mocked, mp4)
    assert run_to_completion(make_live("wan", "VIDEO").id).status == "COMPLETED"


def test_a_lasting_timeout_fails_as_provider_unavailable(mocked, make_live, account):
    mocked.post(KREA, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("flux-krea", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


# -- cancel -----------------------------------------------------------------------------


def test_cancel_puts_the_cancel_url_before_the_job_starts(mocked):
    mocked.put(
        f"{WAN_REQ}/cancel",
        status=202,
        json={"status": "CANCELLATION_REQUESTED"},
        match=[matchers.header_matcher(AUTH)],
    )
    adapter = adapter_for(get_spec("wan"), "live")
    assert adapter.cancel(_job("wan"), _queued(WAN_REQ, "r")) is True
    assert [(c.request.method, c.request.url) for c in mocked.calls] == [
        ("PUT", f"{WAN_REQ}/cancel")
    ]


def test_cancel_is_refused_once_the_job_has_started_or_finished(mocked):
    mocked.put(f"{KREA_REQ}/cancel", status=400, json={"status": "ALREADY_COMPLETED"})
    adapter = FluxKreaAdapter(get_spec("flux-krea"))
    job = _job("flux-krea", GenerationType.IMAGE)
    assert adapter.cancel(job, _queued(KREA_REQ, "r")) is False
    assert adapter.cancel(job, {}) is False  # never submitted: nothing to cancel
