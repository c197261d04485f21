"""Google adapters (Veo 3, Imagen, Cloud TTS) against Google's documented payloads.

Docs: https://ai.google.dev/gemini-api/docs/video, https://ai.google.dev/gemini-api/docs/imagen,
https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize
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
from providers.sandbox.media import render_audio
from tests.helpers import run_to_completion

GEMINI = "https://generativelanguage.googleapis.com/v1beta"
VEO_SUBMIT = f"{GEMINI}/models/veo-3.0-generate-001:predictLongRunning"
VEO_FAST_SUBMIT = f"{GEMINI}/models/veo-3.0-fast-generate-001:predictLongRunning"
OPERATION = "models/veo-3.0-generate-001/operations/8h3kq0d7x2ab"
VEO_POLL = f"{GEMINI}/{OPERATION}"
VIDEO_URI = f"{GEMINI}/files/3x7ycfb2kq9w:download?alt=media"
IMAGEN_3 = f"{GEMINI}/models/imagen-3.0-generate-002:predict"
IMAGEN_4 = f"{GEMINI}/models/imagen-4.0-generate-001:predict"
TTS = "https://texttospeech.googleapis.com/v1/text:synthesize"
GEMINI_KEY = {"x-goog-api-key": "test-GEMINI_API_KEY"}
TTS_KEY = {"x-goog-api-key": "test-GOOGLE_TTS_API_KEY"}


def google_error(code: int, status: str, message: str) -> dict:
    return {"error": {"code": code, "message": message, "status": status}}


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


LRO_RESPONSE_TYPE = (
    "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse"
)


def veo_done(**response: object) -> dict:
    return {
        "name": OPERATION,
        "done": True,
        "response": {
            "@type": LRO_RESPONSE_TYPE,
            "generateVideoResponse": response,
        },
    }


VEO_SUCCESS = veo_done(generatedSamples=[{"video": {"uri": VIDEO_URI}}])


def no_cancel(generation_id: str, provider: str) -> bool:
    adapter = adapter_for(get_spec(provider), "live")
    return adapter.cancel(job_request(Generation.objects.get(id=generation_id)), {})


# --------------------------------------------------------------------------
# Veo 3
# --------------------------------------------------------------------------


def test_veo_submits_polls_the_operation_and_downloads_the_video_with_the_key(
    mocked, make_live, mp4, account
):
    mocked.post(
        VEO_SUBMIT,
        json={"name": OPERATION},
        match=[
            matchers.header_matcher(GEMINI_KEY),
            matchers.json_params_matcher(
                {
                    "instances": [{"prompt": "A lighthouse at dusk"}],
                    "parameters": {
                        "aspectRatio": "16:9",
                        "durationSeconds": 8,
                        "resolution": "1080p",
                        "negativePrompt": "blurry, text",
                        "seed": 12,
                    },
                }
            ),
        ],
    )
    mocked.get(VEO_POLL, json={"name": OPERATION}, match=[matchers.header_matcher(GEMINI_KEY)])
    mocked.get(VEO_POLL, json={"name": OPERATION, "done": False})
    mocked.get(VEO_POLL, json=VEO_SUCCESS)
    mocked.get(
        VIDEO_URI, body=mp4, content_type="video/mp4", match=[matchers.header_matcher(GEMINI_KEY)]
    )
    made = make_live(
        "veo-3",
        "VIDEO",
        options={"resolution": "1080p", "negativePrompt": "blurry, text", "seed": 12},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp4")
    assert done.metadata["width"] == 64 and done.metadata["height"] == 36
    assert done.metadata["duration"] == pytest.approx(2, abs=0.2)
    assert done.provider_job_id == OPERATION
    assert balance_get(account=account, mode="live") == before
    assert [c.request.url for c in mocked.calls].count(VEO_POLL) == 3


def test_veo_fast_sends_the_input_image_as_base64(mocked, make_live, png, mp4):
    image_url = "https://example.com/first-frame.png"
    mocked.get(image_url, body=png, content_type="image/png")
    mocked.post(
        VEO_FAST_SUBMIT,
        json={"name": OPERATION},
        match=[
            matchers.json_params_matcher(
                {
                    "instances": [
                        {
                            "prompt": "The waves roll in",
                            "image": {"bytesBase64Encoded": b64(png), "mimeType": "image/png"},
                        }
                    ],
                    "parameters": {
                        "aspectRatio": "9:16",
                        "durationSeconds": 4,
                        "resolution": "720p",
                    },
                }
            )
        ],
    )
    mocked.get(VEO_POLL, json=VEO_SUCCESS)
    mocked.get(VIDEO_URI, body=mp4, content_type="video/mp4")
    made = make_live(
        "veo-3",
        "VIDEO",
        text="The waves roll in",
        options={"model": "veo-3-fast", "aspectRatio": "9:16", "duration": 4},
        image=image_url,
    )
    assert run_to_completion(made.id).status == "COMPLETED"


def test_veo_validation_error_fails_and_releases_the_credits(mocked, make_live, account):
    mocked.post(
        VEO_SUBMIT,
        status=400,
        json=google_error(400, "INVALID_ARGUMENT", "durationSeconds is out of range."),
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(make_live("veo-3", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "INVALID_ARGUMENT: durationSeconds is out of range." in done.error_message
    assert "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_veo_filtered_output_fails_as_a_refusal(mocked, make_live):
    mocked.post(VEO_SUBMIT, json={"name": OPERATION})
    reason = "The video could not be generated because it violated our usage guidelines."
    mocked.get(VEO_POLL, json=veo_done(raiMediaFilteredCount=1, raiMediaFilteredReasons=[reason]))
    done = run_to_completion(make_live("veo-3", "VIDEO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert reason in done.error_message


def test_veo_operation_error_fails_the_job_with_googles_message(mocked, make_live):
    mocked.post(VEO_SUBMIT, json={"name": OPERATION})
    mocked.get(
        VEO_POLL,
        json={"name": OPERATION, "done": True, "error": {"code": 13, "message": "Internal."}},
    )
    done = run_to_completion(make_live("veo-3", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "Veo failed the job: Internal." in done.error_message
    assert "unsafe" not in done.error_message


def test_veo_429_and_503_are_retried(mocked, make_live, mp4):
    mocked.post(
        VEO_SUBMIT,
        status=429,
        json=google_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted."),
    )
    mocked.post(VEO_SUBMIT, json={"name": OPERATION})
    mocked.get(VEO_POLL, status=503, json=google_error(503, "UNAVAILABLE", "Overloaded."))
    mocked.get(VEO_POLL, json=VEO_SUCCESS)
    mocked.get(VIDEO_URI, body=mp4, content_type="video/mp4")
    done = run_to_completion(make_live("veo-3", "VIDEO").id)
    assert done.status == "COMPLETED", done.error_message
    assert sum(c.request.url == VEO_SUBMIT for c in mocked.calls) == 2


def test_veo_poll_timeout_is_retried_and_a_lasting_one_fails_as_unavailable(mocked, make_live, mp4):
    mocked.post(VEO_SUBMIT, json={"name": OPERATION})
    mocked.get(VEO_POLL, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.get(VEO_POLL, json=VEO_SUCCESS)
    mocked.get(VIDEO_URI, body=mp4, content_type="video/mp4")
    assert run_to_completion(make_live("veo-3", "VIDEO").id).status == "COMPLETED"

    mocked.reset()
    mocked.post(VEO_SUBMIT, body=requests.exceptions.ConnectTimeout("timed out"))
    done = run_to_completion(make_live("veo-3", "VIDEO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert "did not answer in time" in done.error_message


def test_veo_has_no_cancel(make_live):
    assert no_cancel(make_live("veo-3", "VIDEO").id, "veo-3") is False


# --------------------------------------------------------------------------
# Imagen
# --------------------------------------------------------------------------


def test_imagen_maps_the_model_and_returns_the_inline_image(mocked, make_live, png, account):
    mocked.post(
        IMAGEN_4,
        json={"predictions": [{"bytesBase64Encoded": b64(png), "mimeType": "image/png"}]},
        match=[
            matchers.header_matcher(GEMINI_KEY),
            matchers.json_params_matcher(
                {
                    "instances": [{"prompt": "A lighthouse at dusk"}],
                    "parameters": {
                        "sampleCount": 1,
                        "aspectRatio": "16:9",
                        "personGeneration": "dont_allow",
                    },
                }
            ),
        ],
    )
    made = make_live(
        "imagen-3",
        "IMAGE",
        options={"model": "imagen-4", "aspectRatio": "16:9", "personGeneration": "dont_allow"},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".png")
    assert done.metadata["format"] == "png" and done.metadata["width"] == 64
    assert balance_get(account=account, mode="live") == before


def test_imagen_defaults_to_imagen_3_with_adults_allowed(mocked, make_live, png):
    mocked.post(
        IMAGEN_3,
        json={"predictions": [{"bytesBase64Encoded": b64(png), "mimeType": "image/png"}]},
        match=[
            matchers.json_params_matcher(
                {
                    "instances": [{"prompt": "A lighthouse at dusk"}],
                    "parameters": {
                        "sampleCount": 1,
                        "aspectRatio": "1:1",
                        "personGeneration": "allow_adult",
                    },
                }
            )
        ],
    )
    assert run_to_completion(make_live("imagen-3", "IMAGE").id).status == "COMPLETED"


def test_imagen_validation_error_fails_and_releases_the_credits(mocked, make_live, account):
    message = "allow_all for personGeneration is currently not supported."
    mocked.post(IMAGEN_3, status=400, json=google_error(400, "INVALID_ARGUMENT", message))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(
        make_live("imagen-3", "IMAGE", options={"personGeneration": "allow_all"}).id
    )
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert message in done.error_message and "released" in done.error_message
    assert "unsafe" not in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_imagen_empty_predictions_mean_the_prompt_was_filtered(mocked, make_live):
    mocked.post(IMAGEN_3, json={})
    done = run_to_completion(make_live("imagen-3", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "unsafe" in done.error_message and "safety filters" in done.error_message


def test_imagen_responsible_ai_refusal_is_moderation(mocked, make_live):
    message = (
        "Image generation failed with the following error: The prompt could not be submitted. "
        "This prompt contains sensitive words that violate Google's Responsible AI practices."
    )
    mocked.post(IMAGEN_3, status=400, json=google_error(400, "INVALID_ARGUMENT", message))
    done = run_to_completion(make_live("imagen-3", "IMAGE").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message
    assert "Responsible AI" in done.error_message


def test_imagen_500_is_retried(mocked, make_live, png):
    mocked.post(IMAGEN_3, status=500, json=google_error(500, "INTERNAL", "Internal error."))
    mocked.post(IMAGEN_3, json={"predictions": [{"bytesBase64Encoded": b64(png)}]})
    assert run_to_completion(make_live("imagen-3", "IMAGE").id).status == "COMPLETED"
    assert sum(c.request.url == IMAGEN_3 for c in mocked.calls) == 2


def test_imagen_lasting_timeout_fails_as_unavailable(mocked, make_live):
    mocked.post(IMAGEN_3, body=requests.exceptions.ReadTimeout("read timed out"))
    done = run_to_completion(make_live("imagen-3", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"
    assert sum(c.request.url == IMAGEN_3 for c in mocked.calls) == 5  # 1 + 4 retries


def test_imagen_bad_api_key_is_a_permanent_credentials_error(mocked, make_live):
    mocked.post(
        IMAGEN_3,
        status=403,
        json=google_error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."),
    )
    done = run_to_completion(make_live("imagen-3", "IMAGE").id)
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert "credentials" in done.error_message and "PERMISSION_DENIED" in done.error_message


def test_imagen_has_no_cancel(make_live):
    assert no_cancel(make_live("imagen-3", "IMAGE").id, "imagen-3") is False


# --------------------------------------------------------------------------
# Cloud Text-to-Speech
# --------------------------------------------------------------------------


def test_google_tts_synthesizes_mp3_with_the_voice_language_rate_and_pitch(
    mocked, make_live, mp3, account
):
    mocked.post(
        TTS,
        json={"audioContent": b64(mp3)},
        match=[
            matchers.header_matcher(TTS_KEY),
            matchers.json_params_matcher(
                {
                    "input": {"text": "Hello there"},
                    "voice": {"languageCode": "en-GB", "name": "en-GB-Wavenet-B"},
                    "audioConfig": {"audioEncoding": "MP3", "speakingRate": 1.25, "pitch": -2.5},
                }
            ),
        ],
    )
    made = make_live(
        "google-tts",
        "AUDIO",
        text="Hello there",
        options={"voice": "en-GB-Wavenet-B", "speed": 1.25, "pitch": -2.5},
    )
    before = balance_get(account=account, mode="live")
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".mp3")
    assert done.metadata["format"] == "mp3"
    assert done.metadata["duration"] == pytest.approx(1.5, abs=0.2)
    assert balance_get(account=account, mode="live") == before


def test_google_tts_sends_ssml_and_asks_linear16_for_wav(mocked, make_live, wav):
    ssml = "<speak>Hello <break time='300ms'/> there</speak>"
    mocked.post(
        TTS,
        json={"audioContent": b64(wav)},
        match=[
            matchers.json_params_matcher(
                {
                    "input": {"ssml": ssml},
                    "voice": {"languageCode": "en-US", "name": "en-US-Neural2-F"},
                    "audioConfig": {"audioEncoding": "LINEAR16", "speakingRate": 1.0, "pitch": 0.0},
                }
            )
        ],
    )
    done = run_to_completion(
        make_live("google-tts", "AUDIO", text=ssml, options={"outputFormat": "wav"}).id
    )
    assert done.status == "COMPLETED", done.error_message
    assert done.metadata["format"] == "wav" and done.metadata["sampleRate"] == 24000


def test_google_tts_asks_ogg_opus_for_ogg(mocked, make_live):
    ogg = render_audio(duration=1.0, fmt="ogg")
    mocked.post(
        TTS,
        json={"audioContent": b64(ogg)},
        match=[
            matchers.json_params_matcher(
                {
                    "input": {"text": "Olá"},
                    "voice": {"languageCode": "pt-BR", "name": "pt-BR-Neural2-A"},
                    "audioConfig": {"audioEncoding": "OGG_OPUS", "speakingRate": 1.0, "pitch": 0.0},
                }
            )
        ],
    )
    made = make_live(
        "google-tts",
        "AUDIO",
        text="Olá",
        options={"voice": "pt-BR-Neural2-A", "outputFormat": "ogg"},
    )
    done = run_to_completion(made.id)
    assert done.status == "COMPLETED", done.error_message
    assert done.output.name.endswith(".ogg")


def test_google_tts_validation_error_fails_and_releases_the_credits(mocked, make_live, account):
    message = "Voice 'en-US-Neural2-Z' does not exist. Is it misspelled?"
    mocked.post(TTS, status=400, json=google_error(400, "INVALID_ARGUMENT", message))
    before = balance_get(account=account, mode="live")
    done = run_to_completion(
        make_live("google-tts", "AUDIO", options={"voice": "en-US-Neural2-Z"}).id
    )
    assert done.status == "FAILED" and done.error_code == "GENERATION_FAILED"
    assert message in done.error_message and "released" in done.error_message
    assert balance_get(account=account, mode="live") == before


def test_google_tts_input_over_5000_bytes_is_refused_at_request_time(mocked, make_live):
    import pytest

    from generations.models import Generation
    from providers.base import InvalidInput

    text = "日" * 1700  # 1700 characters, 5100 bytes in UTF-8
    with pytest.raises(InvalidInput, match="5100 bytes"):
        make_live("google-tts", "AUDIO", text=text, options={"voice": "ja-JP-Neural2-B"})
    assert not Generation.objects.exists() and not mocked.calls


def test_google_tts_safety_refusal_in_googles_error_shape_is_moderation(mocked, make_live):
    # Cloud TTS documents no content filter for these voices; should Google refuse
    # text on safety grounds, its error shape is classified as a moderation refusal.
    message = "The request was blocked by the safety filter: harmful content."
    mocked.post(TTS, status=400, json=google_error(400, "INVALID_ARGUMENT", message))
    done = run_to_completion(make_live("google-tts", "AUDIO").id)
    assert done.status == "FAILED" and "unsafe" in done.error_message


def test_google_tts_503_is_retried(mocked, make_live, mp3):
    mocked.post(
        TTS, status=503, json=google_error(503, "UNAVAILABLE", "The service is unavailable.")
    )
    mocked.post(TTS, json={"audioContent": b64(mp3)})
    assert run_to_completion(make_live("google-tts", "AUDIO").id).status == "COMPLETED"
    assert sum(c.request.url == TTS for c in mocked.calls) == 2


def test_google_tts_timeout_is_retried_and_a_lasting_one_fails_as_unavailable(
    mocked, make_live, mp3
):
    mocked.post(TTS, body=requests.exceptions.ConnectTimeout("timed out"))
    mocked.post(TTS, json={"audioContent": b64(mp3)})
    assert run_to_completion(make_live("google-tts", "AUDIO").id).status == "COMPLETED"

    mocked.reset()
    mocked.post(TTS, body=requests.exceptions.ConnectTimeout("timed out"))
    done = run_to_completion(make_live("google-tts", "AUDIO").id)
    assert done.status == "FAILED" and done.error_code == "PROVIDER_UNAVAILABLE"


def test_google_tts_has_no_cancel(make_live):
    assert no_cancel(make_live("google-tts", "AUDIO").id, "google-tts") is False
