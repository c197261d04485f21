"""Seedance adapter: BytePlus ModelArk (https://docs.byteplus.com/en/docs/ModelArk/1520757)
and the fal.ai alternative route, against the documented payloads."""

from __future__ import annotations

import requests
from responses import matchers

from billing.credits import balance_get
from providers.base import GenerationType, Inputs, JobRequest
from providers.registry import get_spec
from providers.vendors.seedance import SeedanceAdapter
from tests.helpers import run_to_completion

ARK = "https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks"
TASK_ID = "cgt-20250612172542-6nbt2"
TASK = f"{ARK}/{TASK_ID}"
AUTH = {"Authorization": "Bearer test-ARK_API_KEY"}
VIDEO = (
    "https://ark-content-generation-ap-southeast-1.tos-ap-southeast-1.volces.com/"
    "seedance-1-0-pro/cgt-20250612172542-6nbt2.mp4?X-Tos-Expires=86400&X-Tos-Signature=x"
)
FAL_T2V = "https://queue.fal.run/fal-ai/bytedance/seedance/v1/pro/text-to-video"
FAL_REQ = "https://queue.fal.run/fal-ai/bytedance/requests/0f4b7c2e-5a61-4d1c-9c8e-2b3f4a5d6e7f"
FAL_VIDEO = "https://v3.fal.media/files/zebra/seedance_output.mp4"


def _task(status: str, **extra) -> dict:
    return {
        "id": TASK_ID,
        "model": "seedance-1-0-pro-250528",
        "status": status,
        "error": None,
        "created_at": 1749720342,
        "updated_at": 1749720400,
        **extra,
    }


def _done(mocked, mp4):
    mocked.get(
        TASK,
        json=_task(
            "succeeded",
            content={"video_url": VIDEO},
            usage={"completion_tokens": 246840, "total_tokens": 246840},
            seed=7,
            resolution="1080p",
            ratio="16:9",
            duration=5,
            framespersecond=24,
        ),
    )
    mocked.get(VIDEO, body=mp4, content_type="video/mp4")


def _job(**options) -> JobRequest:
    return JobRequest(
        "gen-1", GenerationType.VIDEO, "seedance", Inputs(text="Two dancers"), options
    )


# -- ModelArk ---------------------------------------------------------------------------


def test_seedance_creates_a_modelark_task_polls_it_and_copies_the_video(
    mocked, make_live, mp4, account
):
    # Given ModelArk accepts the task, queues it, runs it, then finishes it
    mocked.post(
        ARK,
        json={"id": TASK_ID},
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "model": "seedance-1-0-pro-250528",
                    "content": [{"type": "text", "text": "A lighthouse at dusk"}],
                    "resolution": "1080p",
                    "ratio": "16:9",
                    "duration": 5,
                    "camera_fixed": False,
                    "seed": 7,
                }
            ),
        ],
    )
    mocked.get(TASK, json=_task("queued"), match=[matchers.header_matcher(AUTH)])
    mocked.get(TASK, json=_task("running"))
    _done(mocked, mp4)
    made = make_live("seedance", "VIDEO", options={"seed": 7})
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours, described from the real bytes, and the hold is captured
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["format"] == "mp4" and done.metadata["duration"] == 2.0
    assert (done.metadata["width"], done.metadata["height"]) == (64, 36)
    assert done.provider_job["id"] == TASK_ID and done.provider_job["route"] == "ark"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(TASK) == 3


def test_seedance_lite_with_an_image_uses_the_i2v_model_and_a_first_frame(mocked, make_live, mp4):
    mocked.post(
        ARK,
        json={"id": TASK_ID},
        match=[
            matchers.json_params_matcher(
                {
                    "model": "seedance-1-0-lite-i2v-250428",
                    "content": [
                        {"type": "text", "text": "They start to dance"},
                        {
                            "type": "image_url",
                            "image_url": {"url": "https://example.com/dancers.png"},
                            "role": "first_frame",
                        },
                    ],
                    "resolution": "720p",
                    "ratio": "9:16",
                    "duration": 10,
                    "camera_fixed": True,
                }
            )
        ],
    )
    _done(mocked, mp4)
    made = make_live(
        "seedance",
        "VIDEO",
        text="They start to dance",
        image="https://example.com/dancers.png",
        options={
            "model": "lite",
            "resolution": "720p",
            "aspectRatio": "9:16",
            "duration": 10,
            "cameraFixed": True,
        },
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_seedance_lite_without_an_image_uses_the_t2v_model():
    body = SeedanceAdapter(get_spec("seedance")).body(_job(model="lite"))
    assert body["model"] == "seedance-1-0-lite-t2v-250428"
    assert body["content"] == [{"type": "text", "text": "Two dancers"}]
    assert "--" not in body["content"][0]["text"]  # body fields, never text commands


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        ARK,
        status=400,
        json={
            "error": {
                "code": "InvalidParameter",
                "message": "The parameter `ratio` specified in the request is not valid.",
                "param": "ratio",
                "type": "BadRequest",
            }
        },
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "InvalidParameter" in done.error_message
    assert "`ratio` specified in the request is not valid" in done.error_message
    assert "released" in done.error_message and "unsafe" not in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_sensitive_prompt_is_refused_as_unsafe(mocked, make_live):
    mocked.post(
        ARK,
        status=400,
        json={
            "error": {
                "code": "InputTextSensitiveContentDetected",
                "message": "The request failed because the input text may contain "
                "sensitive information.",
                "param": "",
                "type": "BadRequest",
            }
        },
    )
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "sensitive information" in done.error_message


def test_a_task_failed_on_sensitive_output_is_refused_as_unsafe(mocked, make_live):
    mocked.post(ARK, json={"id": TASK_ID})
    mocked.get(
        TASK,
        json=_task(
            "failed",
            error={
                "code": "OutputVideoSensitiveContentDetected",
                "message": "The request failed because the output video may contain "
                "sensitive information.",
            },
        ),
    )
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "OutputVideoSensitiveContentDetected" in done.error_message


def test_a_failed_task_fails_the_job_with_modelarks_message(mocked, make_live):
    mocked.post(ARK, json={"id": TASK_ID})
    mocked.get(TASK, json=_task("running"))
    mocked.get(
        TASK,
        json=_task(
            "failed",
            error={"code": "InternalServiceError", "message": "video generation failed"},
        ),
    )
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "video generation failed" in done.error_message and "released" in done.error_message


def test_an_expired_task_fails_as_provider_unavailable(mocked, make_live):
    mocked.post(ARK, json={"id": TASK_ID})
    mocked.get(TASK, json=_task("expired"))
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "expire" in done.error_message


def test_a_429_and_a_500_are_retried(mocked, make_live, mp4):
    mocked.post(
        ARK,
        status=429,
        json={
            "error": {
                "code": "RateLimitExceeded.EndpointRPMExceeded",
                "message": "Too many requests",
                "type": "TooManyRequests",
            }
        },
    )
    mocked.post(ARK, status=500, json={"error": {"code": "InternalServiceError"}})
    mocked.post(ARK, json={"id": TASK_ID})
    _done(mocked, mp4)
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == ARK for c in mocked.calls) == 3


def test_a_read_timeout_while_polling_is_retried(mocked, make_live, mp4):
    mocked.post(ARK, json={"id": TASK_ID})
    mocked.get(TASK, body=requests.exceptions.ReadTimeout("read timed out"))
    _done(mocked, mp4)
    assert run_to_completion(make_live("seedance", "VIDEO").id).status == "COMPLETED"


def test_a_lasting_timeout_fails_as_provider_unavailable(mocked, make_live, account):
    mocked.post(ARK, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("seedance", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_cancel_deletes_a_queued_task(mocked):
    mocked.delete(TASK, json={}, match=[matchers.header_matcher(AUTH)])
    adapter = SeedanceAdapter(get_spec("seedance"))
    assert adapter.cancel(_job(), {"route": "ark", "id": TASK_ID}) is True
    assert [(c.request.method, c.request.url) for c in mocked.calls] == [("DELETE", TASK)]


def test_cancel_is_refused_for_a_running_task(mocked):
    mocked.delete(
        TASK,
        status=400,
        json={
            "error": {
                "code": "InvalidParameter",
                "message": "A task in running status cannot be cancelled.",
                "type": "BadRequest",
            }
        },
    )
    adapter = SeedanceAdapter(get_spec("seedance"))
    assert adapter.cancel(_job(), {"route": "ark", "id": TASK_ID}) is False
    assert adapter.cancel(_job(), {}) is False  # never submitted


# -- the fal.ai route -------------------------------------------------------------------


def _fal_queued() -> dict:
    return {
        "request_id": FAL_REQ.rsplit("/", 1)[1],
        "response_url": FAL_REQ,
        "status_url": f"{FAL_REQ}/status",
        "cancel_url": f"{FAL_REQ}/cancel",
    }


def test_without_an_ark_key_seedance_runs_on_fal(mocked, make_live, mp4, monkeypatch):
    # Given a job accepted while only FAL_KEY is left configured
    mocked.post(
        FAL_T2V,
        json=_fal_queued(),
        match=[
            matchers.header_matcher({"Authorization": "Key test-FAL_KEY"}),
            matchers.json_params_matcher(
                {
                    "prompt": "A lighthouse at dusk",
                    "aspect_ratio": "16:9",
                    "resolution": "1080p",
                    "duration": "5",
                    "camera_fixed": False,
                    "seed": 7,
                }
            ),
        ],
    )
    mocked.get(f"{FAL_REQ}/status", json={"status": "IN_QUEUE", "queue_position": 0})
    mocked.get(f"{FAL_REQ}/status", json={"status": "IN_PROGRESS"})
    mocked.get(f"{FAL_REQ}/status", json={"status": "COMPLETED", "response_url": FAL_REQ})
    mocked.get(FAL_REQ, json={"video": {"url": FAL_VIDEO}, "seed": 7})
    mocked.get(FAL_VIDEO, body=mp4, content_type="video/mp4")
    made = make_live("seedance", "VIDEO", options={"seed": 7})
    monkeypatch.delenv("ARK_API_KEY")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then it went to fal, never to ModelArk
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["format"] == "mp4" and done.metadata["width"] == 64
    assert done.provider_job["route"] == "fal"
    assert not any(c.request.url.startswith(ARK) for c in mocked.calls)


def test_the_fal_route_maps_lite_and_an_image_to_the_image_to_video_model(monkeypatch):
    monkeypatch.delenv("ARK_API_KEY")
    adapter = SeedanceAdapter(get_spec("seedance"))
    job = JobRequest(
        "gen-1",
        GenerationType.VIDEO,
        "seedance",
        Inputs(text="Spin", image="https://example.com/a.png"),
        {"model": "lite", "duration": 12, "resolution": "720p", "aspectRatio": "1:1"},
    )
    assert adapter.route == "fal"
    assert adapter.fal.model_id(job) == "fal-ai/bytedance/seedance/v1/lite/image-to-video"
    assert adapter.fal.arguments(job) == {
        "prompt": "Spin",
        "image_url": "https://example.com/a.png",
        "aspect_ratio": "1:1",
        "resolution": "720p",
        "duration": "12",
        "camera_fixed": False,
    }


def test_a_fal_job_is_cancelled_on_fal(mocked):
    mocked.put(f"{FAL_REQ}/cancel", status=202, json={"status": "CANCELLATION_REQUESTED"})
    adapter = SeedanceAdapter(get_spec("seedance"))  # the Ark key is set: the handle decides
    assert adapter.cancel(_job(), {"route": "fal", **_fal_queued()}) is True
    assert mocked.calls[0].request.method == "PUT"


def test_seedance_is_available_with_only_a_fal_key(monkeypatch):
    from providers.registry import get_spec, is_available

    spec = get_spec("seedance")
    monkeypatch.delenv("ARK_API_KEY")
    assert is_available(spec, "live")
    monkeypatch.delenv("FAL_KEY")
    assert not is_available(spec, "live")
