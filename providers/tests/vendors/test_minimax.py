"""MiniMax adapters, against MiniMax's documented payloads.

Docs: https://platform.minimax.io/docs/api-reference/video-generation and
https://platform.minimax.io/docs/api-reference/image-generation
"""

from __future__ import annotations

import base64

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.base import PermanentProviderError, TransientProviderError
from providers.registry import adapter_for, get_spec
from providers.vendors.minimax import check_base_resp
from tests.helpers import run_to_completion

SUBMIT = "https://api.minimax.io/v1/video_generation"
QUERY = "https://api.minimax.io/v1/query/video_generation"
RETRIEVE = "https://api.minimax.io/v1/files/retrieve"
IMAGE = "https://api.minimax.io/v1/image_generation"
DOWNLOAD = "https://public-cdn-video-data-algeng-us.oss-us-east-1.aliyuncs.com/out.mp4?Expires=1"
IMAGE_URL = "https://hailuo-image-algeng-data-us.oss-us-east-1.aliyuncs.com/image/abc.jpeg?x=1"
AUTH = {"Authorization": "Bearer test-MINIMAX_API_KEY"}
OK = {"status_code": 0, "status_msg": "success"}


def _submitted(mocked, **match):
    mocked.post(SUBMIT, json={"task_id": "106916112212032", "base_resp": OK}, **match)


def _query(mocked, status, **extra):
    mocked.get(
        QUERY,
        json={"task_id": "106916112212032", "status": status, "base_resp": OK, **extra},
        match=[matchers.query_param_matcher({"task_id": "106916112212032"})],
    )


def _done(mocked, mp4):
    _query(mocked, "Success", file_id="205258526306433", video_width=1366, video_height=768)
    mocked.get(
        RETRIEVE,
        json={
            "file": {
                "file_id": 205258526306433,
                "bytes": 5896337,
                "created_at": 1700469398,
                "filename": "output_aigc.mp4",
                "purpose": "video_generation",
                "download_url": DOWNLOAD,
            },
            "base_resp": OK,
        },
        match=[matchers.query_param_matcher({"file_id": "205258526306433"})],
    )
    mocked.get(DOWNLOAD, body=mp4, content_type="video/mp4")


def test_minimax_video_submits_polls_retrieves_and_copies_the_video(
    mocked, make_live, mp4, account
):
    # Given MiniMax accepts the job, queues it, processes it, then succeeds
    _submitted(
        mocked,
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "model": "MiniMax-Hailuo-02",
                    "prompt": "A lighthouse at dusk [Pan left], cinematic style",
                    "duration": 6,
                    "resolution": "1080P",
                    "prompt_optimizer": False,
                }
            ),
        ],
    )
    _query(mocked, "Preparing")
    _query(mocked, "Queueing")
    _query(mocked, "Processing")
    _done(mocked, mp4)
    made = make_live(
        "minimax",
        "VIDEO",
        text="A lighthouse at dusk [Pan left]",
        options={"resolution": "1080p", "style": "cinematic", "promptOptimizer": False},
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours and described from the real bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2, abs=0.5)
    assert done.provider_job["id"] == "106916112212032"
    assert balance_get(account=account, mode="live") == before
    assert sum(c.request.url.startswith(QUERY) for c in mocked.calls) == 4


def test_minimax_image_to_video_sends_the_first_frame_and_maps_10s_1080p_to_768p(
    mocked, make_live, mp4
):
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "model": "MiniMax-Hailuo-02",
                    "prompt": "The waves roll in, 3d animation style",
                    "duration": 10,
                    "resolution": "768P",
                    "prompt_optimizer": True,
                    "first_frame_image": "https://example.com/in.png",
                }
            )
        ],
    )
    _done(mocked, mp4)
    made = make_live(
        "minimax",
        "VIDEO",
        text="The waves roll in.",
        options={"duration": 10, "resolution": "1080p", "style": "3d-animation"},
        image="https://example.com/in.png",
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_minimax_512p_is_sent_upper_case_for_image_to_video(mocked, make_live, mp4):
    _submitted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "model": "MiniMax-Hailuo-02",
                    "prompt": "A lighthouse at dusk",
                    "duration": 6,
                    "resolution": "512P",
                    "prompt_optimizer": True,
                    "first_frame_image": "https://example.com/in.png",
                }
            )
        ],
    )
    _done(mocked, mp4)
    made = make_live(
        "minimax", "VIDEO", options={"resolution": "512p"}, image="https://example.com/in.png"
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_a_bad_parameter_hidden_in_a_200_body_fails_and_releases_the_credits(
    mocked, make_live, account
):
    mocked.post(
        SUBMIT,
        json={"task_id": "", "base_resp": {"status_code": 2013, "status_msg": "invalid params"}},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "invalid params" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_an_http_400_fails_the_job_with_minimax_message(mocked, make_live):
    mocked.post(
        SUBMIT,
        status=400,
        json={"base_resp": {"status_code": 2013, "status_msg": "duration must be 6 or 10"}},
    )
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "duration must be 6 or 10" in done.error_message and "released" in done.error_message


def test_sensitive_input_is_a_moderation_refusal(mocked, make_live):
    mocked.post(
        SUBMIT,
        json={
            "task_id": "",
            "base_resp": {"status_code": 1026, "status_msg": "input new_sensitive"},
        },
    )
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "new_sensitive" in done.error_message


def test_a_failed_task_with_sensitive_output_is_a_moderation_refusal(mocked, make_live):
    _submitted(mocked)
    mocked.get(
        QUERY,
        json={
            "task_id": "106916112212032",
            "status": "Fail",
            "base_resp": {"status_code": 1027, "status_msg": "output video new_sensitive"},
        },
    )
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message


def test_a_failed_task_fails_the_job(mocked, make_live):
    _submitted(mocked)
    _query(mocked, "Fail")
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and "MiniMax failed the job" in done.error_message


def test_a_hidden_rate_limit_and_a_503_are_retried(mocked, make_live, mp4):
    mocked.post(
        SUBMIT, json={"base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded"}}
    )
    mocked.post(SUBMIT, status=503, body="upstream unavailable")
    _submitted(mocked)
    _done(mocked, mp4)
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == SUBMIT for c in mocked.calls) == 3


def test_a_lasting_rate_limit_fails_as_unavailable(mocked, make_live):
    mocked.post(
        SUBMIT, json={"base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded"}}
    )
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "rate limit exceeded" in done.error_message


def test_a_poll_timeout_is_retried(mocked, make_live, mp4):
    _submitted(mocked)
    mocked.get(QUERY, body=requests.exceptions.ReadTimeout("read timed out"))
    _done(mocked, mp4)
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, account):
    mocked.post(SUBMIT, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("minimax", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before


@pytest.mark.parametrize(
    ("code", "kind", "moderated", "words"),
    [
        (1002, TransientProviderError, False, "busy"),
        (1004, PermanentProviderError, False, "credentials"),
        (2049, PermanentProviderError, False, "credentials"),
        (1008, PermanentProviderError, False, "balance"),
        (1026, PermanentProviderError, True, "refused"),
        (2013, PermanentProviderError, False, "rejected the request"),
    ],
)
def test_base_resp_codes_raise_the_right_error_class(code, kind, moderated, words):
    with pytest.raises(kind) as caught:
        check_base_resp({"base_resp": {"status_code": code, "status_msg": "vendor says no"}})
    assert type(caught.value) is kind and caught.value.moderated is moderated
    assert words in caught.value.message and "vendor says no" in caught.value.message
    assert caught.value.vendor_code == str(code)
    check_base_resp({"base_resp": OK})  # 0 is fine


def test_minimax_has_no_cancel_endpoint(make_live):
    for provider, kind in (("minimax", "VIDEO"), ("minimax-image", "IMAGE")):
        generation = Generation.objects.get(id=make_live(provider, kind).id)
        adapter = adapter_for(get_spec(provider), "live")
        assert adapter.cancel(job_request(generation), {"id": "106916112212032"}) is False


# -- minimax-image --------------------------------------------------------------


def _image_ok(**data):
    return {
        "id": "03ff3cd0820949eb8a410056b5f21d38",
        "data": data or {"image_urls": [IMAGE_URL]},
        "metadata": {"failed_count": "0", "success_count": "1"},
        "base_resp": OK,
    }


def test_minimax_image_is_synchronous_and_copies_the_jpeg(mocked, make_live, jpeg, account):
    mocked.post(
        IMAGE,
        json=_image_ok(),
        match=[
            matchers.header_matcher(AUTH),
            matchers.json_params_matcher(
                {
                    "model": "image-01",
                    "prompt": "A lighthouse at dusk",
                    "aspect_ratio": "21:9",
                    "n": 1,
                    "response_format": "url",
                    "prompt_optimizer": True,
                    "seed": 42,
                }
            ),
        ],
    )
    mocked.get(IMAGE_URL, body=jpeg, content_type="image/jpeg")
    made = make_live(
        "minimax-image",
        "IMAGE",
        options={"aspectRatio": "21:9", "seed": 42, "promptOptimizer": True},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["format"] == "jpeg" and done.metadata["width"] == 64
    assert done.metadata["height"] == 48
    assert balance_get(account=account, mode="live") == before
    assert sum(c.request.url == IMAGE for c in mocked.calls) == 1  # no polling


def test_minimax_image_accepts_a_base64_answer(mocked, make_live, jpeg):
    mocked.post(IMAGE, json=_image_ok(image_base64=[base64.b64encode(jpeg).decode()]))
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["format"] == "jpeg"


def test_minimax_image_bad_parameters_fail_and_release(mocked, make_live, account):
    mocked.post(
        IMAGE,
        json={"base_resp": {"status_code": 2013, "status_msg": "invalid params, prompt empty"}},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "prompt empty" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_minimax_image_sensitive_prompt_is_a_refusal(mocked, make_live):
    mocked.post(
        IMAGE, json={"base_resp": {"status_code": 1026, "status_msg": "input new_sensitive"}}
    )
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message


def test_minimax_image_with_every_image_filtered_is_a_refusal(mocked, make_live):
    mocked.post(
        IMAGE,
        json={
            "id": "03ff3cd0820949eb8a410056b5f21d38",
            "data": {"image_urls": []},
            "metadata": {"failed_count": "1", "success_count": "0"},
            "base_resp": OK,
        },
    )
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message


def test_minimax_image_retries_a_429(mocked, make_live, jpeg):
    mocked.post(IMAGE, status=429, json={"base_resp": {"status_code": 1002, "status_msg": "rpm"}})
    mocked.post(IMAGE, json=_image_ok())
    mocked.get(IMAGE_URL, body=jpeg, content_type="image/jpeg")
    assert run_to_completion(make_live("minimax-image", "IMAGE").id).status == "COMPLETED"
    assert sum(c.request.url == IMAGE for c in mocked.calls) == 2


def test_minimax_image_hidden_auth_error_is_permanent(mocked, make_live):
    mocked.post(IMAGE, json={"base_resp": {"status_code": 1004, "status_msg": "authorized failed"}})
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "authorized failed" in done.error_message
    assert sum(c.request.url == IMAGE for c in mocked.calls) == 1


def test_minimax_image_lasting_timeout_fails_as_unavailable(mocked, make_live):
    mocked.post(IMAGE, body=requests.exceptions.ReadTimeout("read timed out"))
    done = run_to_completion(make_live("minimax-image", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
