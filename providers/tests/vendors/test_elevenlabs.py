"""ElevenLabs adapter, against the documented text-to-speech payloads.

Docs: https://elevenlabs.io/docs/api-reference/text-to-speech/convert
"""

from __future__ import annotations

import pytest
import requests
from responses import matchers

from billing.credits import balance_get
from generations.models import Generation
from generations.pipeline import job_request
from providers.registry import adapter_for, get_spec
from providers.vendors.elevenlabs import VOICES
from tests.helpers import run_to_completion

RACHEL = "https://api.elevenlabs.io/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM"
JOSH = "https://api.elevenlabs.io/v1/text-to-speech/TxGEqnHWrfWFTfGW9XjX"
KEY = {"xi-api-key": "test-ELEVENLABS_API_KEY"}
MP3 = {"output_format": "mp3_44100_128"}


def error(status: str, message: str) -> dict:
    return {"detail": {"status": status, "message": message}}


def test_rachel_speaks_the_text_as_mp3(mocked, make_live, mp3, account):
    mocked.post(
        RACHEL,
        body=mp3,
        content_type="audio/mpeg",
        headers={"character-cost": "11"},
        match=[
            matchers.header_matcher(KEY),
            matchers.query_param_matcher(MP3),
            matchers.json_params_matcher(
                {
                    "text": "Hello there",
                    "model_id": "eleven_multilingual_v2",
                    "voice_settings": {
                        "stability": 0.5,
                        "similarity_boost": 0.75,
                        "style": 0.0,
                        "use_speaker_boost": True,
                        "speed": 1.0,
                    },
                }
            ),
        ],
    )
    made = make_live("elevenlabs", "AUDIO", text="Hello there")
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp3")
    assert done.metadata["format"] == "mp3"
    assert done.metadata["duration"] == pytest.approx(1.5, abs=0.2)
    assert balance_get(account=account, mode="live") == before


def test_emotion_and_speed_become_voice_settings_on_v2_models(mocked, make_live, mp3):
    mocked.post(
        f"https://api.elevenlabs.io/v1/text-to-speech/{VOICES['bella']}",
        body=mp3,
        content_type="audio/mpeg",
        match=[
            matchers.query_param_matcher(MP3),
            matchers.json_params_matcher(
                {
                    "text": "Take a deep breath",
                    "model_id": "eleven_flash_v2_5",
                    "voice_settings": {
                        "stability": 0.75,
                        "similarity_boost": 0.75,
                        "style": 0.0,
                        "use_speaker_boost": True,
                        "speed": 0.8,
                    },
                    "seed": 1234,
                }
            ),
        ],
    )
    made = make_live(
        "elevenlabs",
        "AUDIO",
        text="Take a deep breath",
        options={
            "voice": "bella",
            "model": "flash-v2.5",
            "emotion": "calm",
            "speed": 0.8,
            "seed": 1234,
        },
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_v3_gets_an_audio_tag_and_wav_uses_a_documented_wav_format(mocked, make_live, wav):
    mocked.post(
        JOSH,
        body=wav,
        content_type="audio/wav",
        match=[
            matchers.query_param_matcher({"output_format": "wav_24000"}),
            matchers.json_params_matcher(
                {
                    "text": "[excited] We won!",
                    "model_id": "eleven_v3",
                    "voice_settings": {
                        "stability": 0.5,
                        "similarity_boost": 0.75,
                        "use_speaker_boost": True,
                        "speed": 1.0,
                    },
                }
            ),
        ],
    )
    made = make_live(
        "elevenlabs",
        "AUDIO",
        text="We won!",
        options={"voice": "josh", "model": "v3", "emotion": "excited", "outputFormat": "wav"},
    )
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".wav")
    assert done.metadata["format"] == "wav" and done.metadata["sampleRate"] == 24000


def test_every_premade_voice_has_an_elevenlabs_id():
    spec = get_spec("elevenlabs")
    assert set(spec.option("voice").allowed_values) == set(VOICES)
    assert all(len(voice_id) == 20 for voice_id in VOICES.values())


def test_a_validation_error_fails_the_job_and_releases_the_credits(mocked, make_live, account):
    message = "The text exceeds the maximum character limit for this model."
    mocked.post(RACHEL, status=400, json=error("max_character_limit_exceeded", message))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert f"max_character_limit_exceeded: {message}" in done.error_message
    assert "released" in done.error_message and "unsafe" not in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_a_422_lists_the_invalid_field(mocked, make_live):
    mocked.post(
        RACHEL,
        status=422,
        json={"detail": [{"loc": ["body", "voice_settings", "speed"], "msg": "too fast"}]},
    )
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "FAILED" and "too fast" in done.error_message


def test_an_invalid_api_key_is_a_permanent_credentials_error(mocked, make_live):
    mocked.post(RACHEL, status=401, json=error("invalid_api_key", "Invalid API key"))
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "invalid_api_key" in done.error_message


def test_a_terms_of_service_refusal_fails_as_unsafe(mocked, make_live):
    message = "Your prompt appears to have violated our Terms of Service."
    mocked.post(RACHEL, status=400, json=error("bad_prompt", message))
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert message in done.error_message


def test_rate_limits_are_retried(mocked, make_live, mp3):
    mocked.post(RACHEL, status=429, json=error("rate_limit_exceeded", "Too many requests."))
    mocked.post(
        RACHEL,
        status=429,
        json=error("concurrent_limit_exceeded", "Too many concurrent requests."),
    )
    mocked.post(RACHEL, body=mp3, content_type="audio/mpeg")
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url.startswith(RACHEL) for c in mocked.calls) == 3


def test_a_timeout_is_retried_and_a_lasting_one_fails_as_unavailable(mocked, make_live, mp3):
    mocked.post(RACHEL, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.post(RACHEL, body=mp3, content_type="audio/mpeg")
    assert run_to_completion(make_live("elevenlabs", "AUDIO").id).status == "COMPLETED"

    mocked.reset()
    mocked.post(RACHEL, body=requests.exceptions.ConnectTimeout("timed out"))
    done = run_to_completion(make_live("elevenlabs", "AUDIO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message


def test_elevenlabs_has_no_cancel(make_live):
    generation = make_live("elevenlabs", "AUDIO")
    adapter = adapter_for(get_spec("elevenlabs"), "live")
    assert adapter.cancel(job_request(Generation.objects.get(id=generation.id)), {}) is False
