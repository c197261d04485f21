"""Kling adapter, against Kling's documented payloads.

https://app.klingai.com/global/dev/document-api/apiReference/model/textToVideo,
.../model/imageToVideo and .../commonInfo (JWT auth, error codes).
"""

from __future__ import annotations

import base64
import time

import jwt
import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.registry import adapter_for, get_spec
from providers.vendors.kling import MODELS
from tests.helpers import run_to_completion

BASE = "https://api-singapore.klingai.com/v1/videos"
T2V = f"{BASE}/text2video"
I2V = f"{BASE}/image2video"
VIDEO = "https://cdn-singapore.klingai.com/kos/s101/nlav10801/video/task-1.mp4"
IMAGE = "https://example.com/first-frame.png"

# The fixture secret is shorter than a real Kling secret key (32 characters).
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


def _answer(data: dict, code: int = 0, message: str = "SUCCEED") -> dict:
    return {"code": code, "message": message, "request_id": "req-1", "data": data}


def _submitted(mocked, url: str = T2V, **match) -> None:
    mocked.post(
        url,
        json=_answer({"task_id": "task-1", "task_status": "submitted", "created_at": 1}),
        **match,
    )


def _status(mocked, url: str, status: str, **extra) -> None:
    mocked.get(url, json=_answer({"task_id": "task-1", "task_status": status, **extra}))


def _succeed(mocked, url: str, mp4: bytes) -> None:
    result = {"videos": [{"id": "video-1", "url": VIDEO, "duration": "5.1"}]}
    _status(mocked, url, "succeed", task_status_msg="", task_result=result)
    mocked.get(VIDEO, body=mp4, content_type="video/mp4")


def test_kling_text_to_video_submits_polls_and_copies_the_video(mocked, make_live, mp4, account):
    # Given Kling accepts a text→video task, runs it, then reports it done
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "model_name": "kling-v1-6",
                    "mode": "std",
                    "duration": "10",
                    "prompt": "A lighthouse at dusk",
                    "negative_prompt": "blurry, text",
                    "cfg_scale": 0.5,
                    "aspect_ratio": "9:16",
                }
            )
        ],
    )
    poll = f"{T2V}/task-1"
    _status(mocked, poll, "submitted")
    _status(mocked, poll, "processing")
    _succeed(mocked, poll, mp4)
    made = make_live(
        "kling",
        "VIDEO",
        options={"duration": 10, "aspectRatio": "9:16", "negativePrompt": "blurry, text"},
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours and described from its real bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2, abs=0.5)
    assert done.provider_job["id"] == "task-1" and done.provider_job["kind"] == "text2video"
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(poll) == 3


def test_kling_signs_a_fresh_hs256_jwt_with_the_secret_key(mocked, make_live, mp4):
    _submitted(mocked)
    _succeed(mocked, f"{T2V}/task-1", mp4)
    before = int(time.time())
    run_to_completion(make_live("kling", "VIDEO").id)
    after = int(time.time())
    for call in mocked.calls[:2]:  # the submit and the poll
        scheme, _, token = call.request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer"
        assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
        claims = jwt.decode(
            token,
            "test-KLING_SECRET_KEY",
            algorithms=["HS256"],
            issuer="test-KLING_ACCESS_KEY",
            options={"require": ["iss", "exp", "nbf"]},
        )
        assert before + 1800 <= claims["exp"] <= after + 1800
        assert before - 5 <= claims["nbf"] <= after - 5
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, "another-secret", algorithms=["HS256"])


def test_kling_with_an_input_image_uses_image_to_video(mocked, make_live, mp4):
    # The video follows the image's shape: no aspect_ratio is sent
    _submitted(
        mocked,
        url=I2V,
        match=[
            matchers.json_params_matcher(
                {
                    "model_name": "kling-v1-6",
                    "mode": "std",
                    "duration": "5",
                    "prompt": "A lighthouse at dusk",
                    "cfg_scale": 0.5,
                    "image": IMAGE,
                }
            )
        ],
    )
    _succeed(mocked, f"{I2V}/task-1", mp4)
    done = run_to_completion(make_live("kling", "VIDEO", image=IMAGE).id)
    assert done.status == "COMPLETED", done.error_message
    assert done.provider_job["kind"] == "image2video"


def test_kling_animation_sends_a_data_uri_as_bare_base64_and_no_cfg_to_v2(
    mocked, make_live, mp4, png
):
    payload = base64.b64encode(png).decode()
    _submitted(
        mocked,
        url=I2V,
        match=[
            matchers.json_params_matcher(
                {
                    "model_name": "kling-v2-1-master",
                    "mode": "pro",
                    "duration": "5",
                    "image": payload,
                }
            )
        ],
    )
    _status(mocked, f"{I2V}/task-1", "processing")
    _succeed(mocked, f"{I2V}/task-1", mp4)
    made = make_live(
        "kling-animation",
        "VIDEO",
        text=None,
        options={"model": "v2.1-master", "mode": "pro"},
        image=f"data:image/png;base64,{payload}",
    )
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["format"] == "mp4"


def test_kling_animation_defaults_to_v2_1(mocked, make_live, mp4):
    _submitted(
        mocked,
        url=I2V,
        match=[
            matchers.json_params_matcher(
                {
                    "model_name": "kling-v2-1",
                    "mode": "std",
                    "duration": "5",
                    "prompt": "The waves roll in",
                    "image": IMAGE,
                }
            )
        ],
    )
    _succeed(mocked, f"{I2V}/task-1", mp4)
    made = make_live("kling-animation", "VIDEO", text="The waves roll in", image=IMAGE)
    assert run_to_completion(made.id).status == "COMPLETED"


def test_every_catalogue_model_name_maps_to_a_kling_model():
    for entry in ("kling", "kling-animation"):
        spec = get_spec(entry)
        assert set(spec.option("model").allowed_values) == set(MODELS)
        assert set(spec.models) == set(MODELS.values())


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        T2V,
        status=400,
        json={"code": 1201, "message": "duration must be 5 or 10", "request_id": "req-1"},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "duration must be 5 or 10" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_an_error_code_in_a_200_body_is_an_error(mocked, make_live):
    mocked.post(T2V, json={"code": 1203, "message": "model not found", "request_id": "r"})
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "model not found" in done.error_message and "1203" in done.error_message


def test_an_error_code_in_a_200_poll_body_is_an_error(mocked, make_live):
    _submitted(mocked)
    mocked.get(f"{T2V}/task-1", json={"code": 1004, "message": "token expired", "data": None})
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and "credentials" in done.error_message
    assert "token expired" in done.error_message


def test_a_content_security_refusal_fails_as_unsafe(mocked, make_live):
    mocked.post(
        T2V,
        status=400,
        json={"code": 1301, "message": "Trigger the content security policy", "request_id": "r"},
    )
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "content security policy" in done.error_message


def test_a_task_failed_by_risk_control_fails_as_unsafe(mocked, make_live):
    _submitted(mocked)
    _status(
        mocked,
        f"{T2V}/task-1",
        "failed",
        task_status_msg="Failure to pass the risk control system",
    )
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "risk control" in done.error_message


def test_a_task_failed_for_another_reason_fails_with_kling_s_message(mocked, make_live):
    _submitted(mocked)
    _status(mocked, f"{T2V}/task-1", "failed", task_status_msg="Video generation timed out")
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" not in done.error_message
    assert "Video generation timed out" in done.error_message


def test_the_parallel_task_limit_and_a_server_error_are_retried(mocked, make_live, mp4):
    mocked.post(T2V, status=429, json={"code": 1303, "message": "parallel task over resource"})
    mocked.post(T2V, status=500, json={"code": 5000, "message": "server internal error"})
    _submitted(mocked)
    _succeed(mocked, f"{T2V}/task-1", mp4)
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == T2V for c in mocked.calls) == 3


def test_an_account_out_of_credit_fails_at_once_despite_http_429(mocked, make_live):
    mocked.post(T2V, status=429, json={"code": 1102, "message": "resource pack exhausted"})
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "out of credit" in done.error_message and "resource pack exhausted" in done.error_message
    assert len(mocked.calls) == 1  # not retried


def test_rejected_credentials_fail_at_once(mocked, make_live):
    mocked.post(T2V, status=401, json={"code": 1002, "message": "Authorization is invalid"})
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and "credentials" in done.error_message
    assert len(mocked.calls) == 1


def test_a_read_timeout_while_polling_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(f"{T2V}/task-1", body=requests.exceptions.ReadTimeout("slow"))
    _succeed(mocked, f"{T2V}/task-1", mp4)
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, account):
    mocked.post(T2V, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("kling", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert sum(c.request.url == T2V for c in mocked.calls) == 5  # first try + 4 retries
    assert balance_get(account=account, mode="live") == before


def test_kling_has_no_cancel_endpoint(mocked, make_live):
    made = make_live("kling", "VIDEO")
    adapter = adapter_for(get_spec("kling"), "live")
    handle = {"id": "task-1", "kind": "text2video"}
    assert adapter.cancel(job_request(Generation.objects.get(id=made.id)), handle) is False
    assert len(mocked.calls) == 0
