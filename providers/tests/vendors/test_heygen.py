"""HeyGen adapter, against HeyGen's documented payloads (https://docs.heygen.com/reference)."""

from __future__ import annotations

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.base import PermanentProviderError
from providers.registry import adapter_for, get_spec
from providers.vendors import heygen
from tests.helpers import run_to_completion

SUBMIT = "https://api.heygen.com/v2/video/generate"
STATUS = "https://api.heygen.com/v1/video_status.get"
DELETE = "https://api.heygen.com/v1/video.delete"
VIDEO_ID = "f4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"
VIDEO = "https://files2.heygen.ai/aws_pacific/avatar_tmp/abc/video.mp4?Expires=1&Signature=x"
AUTH = matchers.header_matcher({"X-Api-Key": "test-HEYGEN_API_KEY"})
BY_ID = matchers.query_param_matcher({"video_id": VIDEO_ID})


def _accepted(mocked, **match):
    mocked.post(SUBMIT, json={"error": None, "data": {"video_id": VIDEO_ID}}, **match)


def _status(status, **data):
    return {
        "code": 100,
        "message": "Success",
        "data": {
            "id": VIDEO_ID,
            "status": status,
            "video_url": None,
            "thumbnail_url": None,
            "duration": None,
            "error": None,
            **data,
        },
    }


def _done():
    return _status("completed", video_url=VIDEO, thumbnail_url=VIDEO + ".jpg", duration=2.0)


def test_the_seed_request_maps_onto_heygen_ids_and_the_video_is_copied(
    mocked, make_live, avatar_mp4, account
):
    # Given the seeds' friendly names
    _accepted(
        mocked,
        match=[
            AUTH,
            matchers.json_params_matcher(
                {
                    "video_inputs": [
                        {
                            "character": {
                                "type": "avatar",
                                "avatar_id": "Kristin_public_2_20240108",
                                "avatar_style": "normal",
                            },
                            "voice": {
                                "type": "text",
                                "input_text": "Hello, I'm your AI assistant",
                                "voice_id": "1bd001e7e50f421d891986aad5158bc8",
                                "speed": 1.0,
                                "emotion": "Friendly",
                            },
                            "background": {"type": "color", "value": "#E6E9ED"},
                        }
                    ],
                    "dimension": {"width": 1280, "height": 720},
                }
            ),
        ],
    )
    mocked.get(STATUS, json=_status("pending"), match=[AUTH, BY_ID])
    mocked.get(STATUS, json=_status("waiting"))
    mocked.get(STATUS, json=_status("processing"))
    mocked.get(STATUS, json=_done())
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    made = make_live(
        "heygen",
        "AVATAR",
        text="Hello, I'm your AI assistant",
        voice="professional_female",
        options={"avatarId": "kate", "background": "modern_office", "gesture": "friendly"},
    )
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the video is ours, described from its bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2.0, abs=0.2)
    assert done.provider_job["id"] == VIDEO_ID
    assert balance_get(account=account, mode="live") == before  # the hold is captured
    assert sum(c.request.url.startswith(STATUS) for c in mocked.calls) == 4


def test_portrait_1080p_an_image_background_and_the_avatars_own_voice(
    mocked, make_live, avatar_mp4, monkeypatch
):
    backdrop = "https://static.example.com/backgrounds/studio.jpg"
    monkeypatch.setitem(heygen.BACKGROUNDS, "studio", ("image", backdrop))
    _accepted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "video_inputs": [
                        {
                            "character": {
                                "type": "avatar",
                                "avatar_id": "josh_lite3_20230714",
                                "avatar_style": "normal",
                            },
                            "voice": {
                                "type": "text",
                                "input_text": "A lighthouse at dusk",
                                "voice_id": "2d5b0e6cf36f460aa7fc47e3eee4ba54",
                                "speed": 1.25,
                            },
                            "background": {"type": "image", "url": backdrop},
                        }
                    ],
                    "dimension": {"width": 1080, "height": 1920},
                }
            )
        ],
    )
    mocked.get(STATUS, json=_done())
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    made = make_live(
        "heygen",
        "AVATAR",
        options={
            "avatarId": "josh",
            "background": "studio",
            "aspectRatio": "9:16",
            "resolution": "1080p",
            "speed": 1.25,
        },
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_dimensions_follow_the_aspect_ratio_and_resolution():
    assert heygen.dimension("16:9", "1080p") == {"width": 1920, "height": 1080}
    assert heygen.dimension("9:16", "720p") == {"width": 720, "height": 1280}
    assert heygen.dimension("1:1", "1080p") == {"width": 1080, "height": 1080}


def test_voice_names_map_to_ids_and_heygen_ids_pass_through():
    assert heygen.voice_id("Professional_Female") == heygen.VOICES["professional_female"]
    assert heygen.voice_id("e749e866b30d47e4858cac12a6d13f2f") == (
        "e749e866b30d47e4858cac12a6d13f2f"
    )
    with pytest.raises(PermanentProviderError, match="no voice called 'rachel'"):
        heygen.voice_id("rachel")


def test_every_catalogue_name_has_a_heygen_mapping():
    spec = get_spec("heygen")
    assert set(spec.option("avatarId").allowed_values) == set(heygen.AVATARS)
    assert set(spec.option("background").allowed_values) == set(heygen.BACKGROUNDS)
    assert set(spec.option("gesture").allowed_values) == set(heygen.GESTURES)


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        SUBMIT,
        status=400,
        json={
            "error": {"code": "invalid_parameter", "message": "avatar_id is not valid"},
            "data": None,
        },
    )
    made = make_live("heygen", "AVATAR")
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "avatar_id is not valid" in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before + done.credit_cost


def test_an_error_hidden_in_a_200_submit_body_fails_the_job(mocked, make_live):
    mocked.post(
        SUBMIT,
        json={"error": {"code": "insufficient_credit", "message": "Insufficient credit"}},
    )
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Insufficient credit" in done.error_message


def test_a_status_code_other_than_100_in_a_200_poll_body_fails_the_job(mocked, make_live):
    _accepted(mocked)
    mocked.get(STATUS, json={"code": 400116, "message": "Video not found", "data": None})
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Video not found" in done.error_message and "400116" in done.error_message


def test_a_failed_render_fails_the_job_with_heygens_message(mocked, make_live):
    _accepted(mocked)
    mocked.get(
        STATUS,
        json=_status(
            "failed",
            error={"code": 40001, "message": "Avatar rendering failed", "detail": "timeout"},
        ),
    )
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "FAILED" and "Avatar rendering failed" in done.error_message
    assert "unsafe" not in done.error_message


def test_a_moderated_script_fails_as_a_refusal(mocked, make_live):
    _accepted(mocked)
    mocked.get(STATUS, json=_status("processing"))
    mocked.get(
        STATUS,
        json=_status(
            "failed",
            error={
                "code": 400140,
                "message": "The script violates HeyGen's content moderation policy",
            },
        ),
    )
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "moderation" in done.error_message


def test_a_rejected_key_fails_the_job(mocked, make_live):
    mocked.post(SUBMIT, status=401, json={"error": {"code": 401, "message": "Unauthorized"}})
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "FAILED" and "credentials" in done.error_message
    assert "Unauthorized" in done.error_message


def test_a_429_and_a_500_are_retried(mocked, make_live, avatar_mp4):
    mocked.post(SUBMIT, status=429, json={"error": {"code": 429, "message": "Rate limit"}})
    mocked.post(SUBMIT, status=500, body="internal error")
    _accepted(mocked)
    mocked.get(STATUS, json=_done())
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    done = run_to_completion(make_live("heygen", "AVATAR").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == SUBMIT for c in mocked.calls) == 3


def test_a_poll_timeout_is_retried(mocked, make_live, avatar_mp4):
    _accepted(mocked)
    mocked.get(STATUS, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.get(STATUS, json=_done())
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    assert run_to_completion(make_live("heygen", "AVATAR").id).status == "COMPLETED"


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, account):
    mocked.post(SUBMIT, body=requests.exceptions.ConnectTimeout("timed out"))
    made = make_live("heygen", "AVATAR")
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before + done.credit_cost


def test_cancel_deletes_the_video_at_heygen(mocked, make_live):
    mocked.delete(
        DELETE,
        json={"code": 100, "data": None, "message": "Success"},
        match=[AUTH, BY_ID],
    )
    made = make_live("heygen", "AVATAR")
    adapter = adapter_for(get_spec("heygen"), "live")
    job = job_request(Generation.objects.get(id=made.id))
    assert adapter.cancel(job, {"id": VIDEO_ID, "submitted": True}) is True
    assert [c.request.method for c in mocked.calls] == ["DELETE"]
    assert adapter.cancel(job, {}) is False  # never submitted: nothing to stop
