"""ElevenLabs text-to-speech: elevenlabs (synchronous; no cancel).

Docs: https://elevenlabs.io/docs/api-reference/text-to-speech/convert

- Auth: ``xi-api-key: <ELEVENLABS_API_KEY>``.
- Request: ``POST https://api.elevenlabs.io/v1/text-to-speech/{voice_id}?output_format=…``
  with ``{text, model_id, voice_settings: {stability, similarity_boost, style,
  use_speaker_boost, speed}, seed?}`` (stability, similarity_boost and style are
  0–1; speed 0.7–1.2 with 1 = normal).
- Output formats used: ``mp3_44100_128`` and ``wav_24000`` (16-bit PCM in a WAV
  container; 44.1 kHz PCM/WAV needs the Pro tier).
- Response: the binary audio is the body (``character-cost`` header = characters billed).
- Errors: ``{detail: {status, message}}`` (422: ``{detail: [{loc, msg}]}``): 401
  ``invalid_api_key``/``quota_exceeded``, 400/404 ``voice_not_found``,
  ``max_character_limit_exceeded``, 429 ``rate_limit_exceeded``/
  ``concurrent_limit_exceeded``; a prompt refused under the Terms of Service is
  ``bad_prompt``.

ElevenLabs has no emotion field: with ``eleven_v3`` the adapter prefixes an audio
tag such as ``[excited]`` (v3 takes stability 0, 0.5 or 1 only); other models get
voice settings that match the emotion.
"""

from __future__ import annotations

from typing import Any

import requests

from providers.base import JobRequest, JobState, Output, PermanentProviderError
from providers.vendors.base import VendorAdapter, error_text

# Friendly names of the premade voices → ElevenLabs voice ids.
VOICES = {
    "rachel": "21m00Tcm4TlvDq8ikWAM",
    "adam": "pNInz6obpgDQGcFmaJgB",
    "antoni": "ErXwobaYiN019PkySvjV",
    "arnold": "VR6AewLTigWG4xSOukaG",
    "bella": "EXAVITQu4vr4xnSDxMaL",
    "domi": "AZnzlk1XvdvUeBnXmlld",
    "elli": "MF3mGyEYCl7XYWbV9V6O",
    "josh": "TxGEqnHWrfWFTfGW9XjX",
    "sam": "yoZ06aMxZJJ28mfd3POQ",
}
MODELS = {
    "multilingual-v2": "eleven_multilingual_v2",
    "turbo-v2.5": "eleven_turbo_v2_5",
    "flash-v2.5": "eleven_flash_v2_5",
    "v3": "eleven_v3",
}
# Our outputFormat → (ElevenLabs output_format, content type of the body).
FORMATS = {"mp3": ("mp3_44100_128", "audio/mpeg"), "wav": ("wav_24000", "audio/wav")}
# Emotion → (stability, style) for v2/v2.5 models: lower stability and more style
# make the delivery more expressive.
EMOTION_SETTINGS = {
    "neutral": (0.5, 0.0),
    "excited": (0.3, 0.6),
    "cheerful": (0.4, 0.45),
    "calm": (0.75, 0.0),
    "serious": (0.7, 0.1),
    "sad": (0.45, 0.5),
    "angry": (0.3, 0.7),
    "whispering": (0.6, 0.3),
}
# Emotion → eleven_v3 audio tag put before the text.
V3_TAGS = {
    "excited": "[excited]",
    "cheerful": "[cheerfully]",
    "calm": "[calm]",
    "serious": "[serious]",
    "sad": "[sad]",
    "angry": "[angry]",
    "whispering": "[whispers]",
}
MODERATION_STATUSES = ("bad_prompt", "content_against_policy")


class ElevenLabsAdapter(VendorAdapter):
    """Premade ElevenLabs voices with emotion and speed control."""

    vendor = "ElevenLabs"
    base_url = "https://api.elevenlabs.io/v1"

    def auth_headers(self) -> dict[str, str]:
        return {"xi-api-key": self.credentials.get("ELEVENLABS_API_KEY", "")}

    def error_detail(self, response: requests.Response) -> str:
        """``{detail: {status, message}}`` → ``"status: message"``."""
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        if isinstance(detail, dict) and detail.get("message"):
            status = detail.get("status")
            return f"{status}: {detail['message']}" if status else str(detail["message"])
        return error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        lowered = detail.lower()
        return any(s in lowered for s in MODERATION_STATUSES) or "terms of service" in lowered

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as the text-to-speech JSON body."""
        o = job.options
        model = MODELS[o.get("model") or "multilingual-v2"]
        emotion = o.get("emotion") or "neutral"
        text = job.inputs.text or ""
        settings: dict[str, Any] = {"similarity_boost": 0.75, "use_speaker_boost": True}
        if model == "eleven_v3":
            if emotion in V3_TAGS:
                text = f"{V3_TAGS[emotion]} {text}"
            settings["stability"] = 0.5  # "Natural"; v3 accepts 0.0, 0.5 or 1.0 only
        else:
            settings["stability"], settings["style"] = EMOTION_SETTINGS[emotion]
        settings["speed"] = float(o.get("speed") or 1.0)
        body: dict[str, Any] = {"text": text, "model_id": model, "voice_settings": settings}
        if o.get("seed") is not None:
            body["seed"] = int(o["seed"])
        return body

    def submit(self, job: JobRequest) -> JobState:
        voice = job.options.get("voice") or "rachel"
        if voice not in VOICES:
            raise PermanentProviderError(f"options.voice {voice!r} is not an ElevenLabs voice.")
        output_format, content_type = FORMATS[job.options.get("outputFormat") or "mp3"]
        response = self.call(
            "POST",
            f"/text-to-speech/{VOICES[voice]}",
            params={"output_format": output_format},
            json=self.body(job),
            headers={"Accept": content_type},
        )
        if not response.content:
            raise PermanentProviderError("ElevenLabs returned empty audio.")
        handle = {
            "voice_id": VOICES[voice],
            "character_cost": response.headers.get("character-cost"),
        }
        return JobState("succeeded", handle, 100, Output(content_type, content=response.content))
