"""Hedra adapter, against the payloads of Hedra's public API (https://api.hedra.com/web-app/redoc)."""

from __future__ import annotations

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.base import PermanentProviderError
from providers.registry import adapter_for, get_spec
from providers.vendors.base import as_data_uri
from providers.vendors.hedra import DEFAULT_MOTION, MODELS
from tests.helpers import run_to_completion

BASE = "https://api.hedra.com/web-app/public"
ASSETS = f"{BASE}/assets"
VOICES = f"{BASE}/voices"
GENERATIONS = f"{BASE}/generations"
GEN_ID = "5b3c7f1e-7d2a-4c55-9b36-2f4f6c1d9a10"
IMAGE_ID = "0f5e8c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b"
AUDIO_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
SARAH = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
STATUS = f"{GENERATIONS}/{GEN_ID}/status"
VIDEO = "https://cdn.hedra.com/generations/abc/video.mp4?X-Amz-Signature=x"
AUTH = matchers.header_matcher({"X-API-Key": "test-HEDRA_API_KEY"})
VOICE_LIST = [
    {
        "id": "7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "type": "voice",
        "name": "Rachel",
        "created_at": "2026-01-01T00:00:00Z",
        "asset": {"type": "voice", "labels": [{"name": "gender", "value": "female"}]},
    },
    {
        "id": SARAH,
        "type": "voice",
        "name": "Sarah",
        "created_at": "2026-01-01T00:00:00Z",
        "asset": {"type": "voice", "labels": [{"name": "gender", "value": "female"}]},
    },
]


@pytest.fixture
def portrait(png):
    return as_data_uri(png, "image/png")


def _status(status, progress=0.0, **extra):
    return {
        "id": GEN_ID,
        "asset_id": "11111111-2222-4333-8444-555555555555",
        "type": "video",
        "status": status,
        "progress": progress,
        "created_at": "2026-11-20T10:00:00Z",
        **extra,
    }


def _image_asset(mocked, made, png, **kwargs):
    name = f"doitong-{made.id}-image.png"
    mocked.post(
        ASSETS,
        json={"id": IMAGE_ID, "name": name, "type": "image"},
        match=[AUTH, matchers.json_params_matcher({"name": name, "type": "image"})],
        **kwargs,
    )
    mocked.post(
        f"{ASSETS}/{IMAGE_ID}/upload",
        json={"id": IMAGE_ID, "type": "image", "name": name, "created_at": "2026-11-20"},
        match=[AUTH, matchers.multipart_matcher({"file": (name, png, "image/png")})],
    )


def _accepted(mocked, **match):
    mocked.post(GENERATIONS, json={**_status("queued"), "generated_video_inputs": {}}, **match)


def test_hedra_uploads_the_portrait_speaks_the_text_and_copies_the_video(
    mocked, make_live, png, portrait, avatar_mp4, account
):
    # Given a portrait, a script and a voice name
    made = make_live(
        "hedra",
        "AVATAR",
        text="Hello there, welcome aboard.",
        options={"motionPrompt": "smiles warmly", "resolution": "540p", "aspectRatio": "9:16"},
        image=portrait,
        voice="professional_female",
    )
    _image_asset(mocked, made, png)
    mocked.get(VOICES, json=VOICE_LIST, match=[AUTH])
    _accepted(
        mocked,
        match=[
            AUTH,
            matchers.json_params_matcher(
                {
                    "type": "video",
                    "ai_model_id": MODELS["character-3"],
                    "start_keyframe_id": IMAGE_ID,
                    "audio_generation": {
                        "type": "text_to_speech",
                        "voice_id": SARAH,
                        "text": "Hello there, welcome aboard.",
                    },
                    "generated_video_inputs": {
                        "text_prompt": "smiles warmly",
                        "resolution": "540p",
                        "aspect_ratio": "9:16",
                    },
                }
            ),
        ],
    )
    mocked.get(STATUS, json=_status("queued"), match=[AUTH])
    mocked.get(STATUS, json=_status("processing", 0.45))
    mocked.get(STATUS, json=_status("finalizing", 0.95))
    mocked.get(
        STATUS, json=_status("complete", 1.0, url=VIDEO, download_url=VIDEO, error_message=None)
    )
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    before = balance_get(account=account, mode="live")
    # When the worker runs it
    done = run_to_completion(made.id)
    # Then the talking video is ours, described from its bytes
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2.0, abs=0.2)
    assert done.provider_job["id"] == GEN_ID
    assert balance_get(account=account, mode="live") == before  # the hold is captured
    assert [c.request.url for c in mocked.calls].count(STATUS) == 4


def test_hedra_lip_syncs_to_input_audio_without_text_to_speech(
    mocked, make_live, png, portrait, mp3, avatar_mp4
):
    made = make_live(
        "hedra", "AVATAR", text=None, image=portrait, audio=as_data_uri(mp3, "audio/mpeg")
    )
    _image_asset(mocked, made, png)
    audio_name = f"doitong-{made.id}-audio.mp3"
    mocked.post(
        ASSETS,
        json={"id": AUDIO_ID, "name": audio_name, "type": "audio"},
        match=[matchers.json_params_matcher({"name": audio_name, "type": "audio"})],
    )
    mocked.post(
        f"{ASSETS}/{AUDIO_ID}/upload",
        json={"id": AUDIO_ID, "type": "audio", "name": audio_name, "created_at": "2026-11-20"},
        match=[matchers.multipart_matcher({"file": (audio_name, mp3, "audio/mpeg")})],
    )
    _accepted(
        mocked,
        match=[
            matchers.json_params_matcher(
                {
                    "type": "video",
                    "ai_model_id": MODELS["character-3"],
                    "start_keyframe_id": IMAGE_ID,
                    "audio_id": AUDIO_ID,
                    "generated_video_inputs": {
                        "text_prompt": DEFAULT_MOTION,
                        "resolution": "720p",
                        "aspect_ratio": "16:9",
                    },
                }
            )
        ],
    )
    mocked.get(STATUS, json=_status("complete", 1.0, url=VIDEO))
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert not any(c.request.url == VOICES for c in mocked.calls)


def test_a_hedra_voice_id_is_sent_unchanged_and_an_unknown_voice_name_is_refused(
    mocked, make_live, portrait
):
    adapter = adapter_for(get_spec("hedra"), "live")
    assert adapter.voice_id(SARAH) == SARAH  # no GET /voices needed
    mocked.get(VOICES, json=VOICE_LIST)
    assert adapter.voice_id("rachel") == VOICE_LIST[0]["id"]
    assert adapter.voice_id(None) == SARAH  # the default, professional_female
    with pytest.raises(PermanentProviderError, match="no voice called 'gandalf'"):
        adapter.voice_id("gandalf")


def test_a_validation_error_fails_the_job_and_releases_the_credits(
    mocked, make_live, png, portrait, account
):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    _image_asset(mocked, made, png)
    mocked.post(
        GENERATIONS,
        status=422,
        json={
            "detail": [
                {
                    "loc": ["body", "generated_video_inputs", "aspect_ratio"],
                    "msg": "aspect ratio not supported by this model",
                    "type": "value_error",
                }
            ]
        },
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "aspect ratio not supported" in done.error_message
    assert "released" in done.error_message
    assert balance_get(account=account, mode="live") == before + done.credit_cost


def test_a_rejected_key_during_the_upload_step_fails_the_job(mocked, make_live, png, portrait):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    mocked.post(ASSETS, json={"id": IMAGE_ID, "name": "x", "type": "image"})
    mocked.post(f"{ASSETS}/{IMAGE_ID}/upload", status=401, json={"detail": "Invalid API key"})
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "Invalid API key" in done.error_message


def test_a_moderated_generation_fails_as_a_refusal(mocked, make_live, png, portrait):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    _image_asset(mocked, made, png)
    _accepted(mocked)
    mocked.get(STATUS, json=_status("processing", 0.1))
    mocked.get(
        STATUS,
        json=_status(
            "error",
            0.1,
            error={"type": "MODERATION_FAILED", "message": "The image was flagged by moderation"},
        ),
    )
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "flagged by moderation" in done.error_message


def test_a_generation_error_on_hedras_side_is_reported_as_unavailable(
    mocked, make_live, png, portrait
):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    _image_asset(mocked, made, png)
    _accepted(mocked)
    mocked.get(STATUS, json=_status("error", error={"type": "INTERNAL", "message": "GPU lost"}))
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "GPU lost" in done.error_message


def test_a_429_and_a_503_in_the_asset_steps_are_retried(
    mocked, make_live, png, portrait, avatar_mp4
):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    mocked.post(ASSETS, status=429, json={"detail": "Rate limit exceeded"})
    mocked.post(ASSETS, json={"id": IMAGE_ID, "name": "x", "type": "image"})
    mocked.post(f"{ASSETS}/{IMAGE_ID}/upload", status=503, body="upstream unavailable")
    mocked.post(f"{ASSETS}/{IMAGE_ID}/upload", json={"id": IMAGE_ID, "type": "image"})
    _accepted(mocked)
    mocked.get(STATUS, json=_status("complete", 1.0, download_url=VIDEO))
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == ASSETS for c in mocked.calls) == 3
    assert sum(c.request.url == GENERATIONS for c in mocked.calls) == 1


def test_a_poll_timeout_is_retried(mocked, make_live, png, portrait, avatar_mp4):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    _image_asset(mocked, made, png)
    _accepted(mocked)
    mocked.get(STATUS, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.get(STATUS, json=_status("complete", 1.0, download_url=VIDEO))
    mocked.get(VIDEO, body=avatar_mp4, content_type="video/mp4")
    assert run_to_completion(made.id).status == "COMPLETED"


def test_a_lasting_timeout_fails_as_unavailable(mocked, make_live, portrait, account):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    mocked.post(ASSETS, body=requests.exceptions.ConnectTimeout("timed out"))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message
    assert balance_get(account=account, mode="live") == before + done.credit_cost


def test_hedra_has_no_cancel_endpoint(mocked, make_live, portrait):
    made = make_live("hedra", "AVATAR", image=portrait, voice=SARAH)
    adapter = adapter_for(get_spec("hedra"), "live")
    job = job_request(Generation.objects.get(id=made.id))
    assert adapter.cancel(job, {"id": GEN_ID}) is False
    assert not mocked.calls
