"""Google Cloud Text-to-Speech: google-tts (synchronous; no cancel).

Docs: https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize
(API key: https://cloud.google.com/docs/authentication/api-keys-use).

- Auth: ``x-goog-api-key: <GOOGLE_TTS_API_KEY>`` (the documented header form of
  the ``key`` query parameter, which keeps the key out of logged URLs).
- Request: ``POST https://texttospeech.googleapis.com/v1/text:synthesize`` with
  ``{input: {text} | {ssml}, voice: {languageCode, name}, audioConfig:
  {audioEncoding: MP3 | LINEAR16 | OGG_OPUS, speakingRate (0.25–4, 1 = normal),
  pitch (−20 to 20 semitones)}}``. ``ssmlGender`` is left out: the voice name
  already fixes it, and a mismatching one is an error.
- Response: ``{audioContent: "<base64>"}``; LINEAR16 comes with a WAV header.
- Limits: the input is at most 5000 bytes (UTF-8), SSML tags included.
- Errors: ``{error: {code, message, status}}``.
"""

from __future__ import annotations

from typing import Any

from providers.base import JobRequest, JobState, Output, PermanentProviderError
from providers.vendors.google_common import GoogleAdapter, decode_base64

MAX_INPUT_BYTES = 5000
# Our outputFormat → (Google audioEncoding, content type of the bytes returned).
ENCODINGS = {
    "mp3": ("MP3", "audio/mpeg"),
    "wav": ("LINEAR16", "audio/wav"),
    "ogg": ("OGG_OPUS", "audio/ogg"),
}


def language_of(voice: str) -> str:
    """``en-US-Neural2-F`` → ``en-US``; ``cmn-CN-Wavenet-A`` → ``cmn-CN``."""
    parts = voice.split("-")
    if len(parts) < 3 or not all(parts[:3]):
        raise PermanentProviderError(
            f"options.voice {voice!r} is not a Google voice name such as 'en-US-Neural2-F'."
        )
    return f"{parts[0]}-{parts[1]}"


class GoogleTtsAdapter(GoogleAdapter):
    """Standard, WaveNet and Neural2 voices through Cloud Text-to-Speech v1."""

    vendor = "Google Text-to-Speech"
    base_url = "https://texttospeech.googleapis.com/v1"
    key_name = "GOOGLE_TTS_API_KEY"

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as the ``text:synthesize`` body; text starting with <speak> is SSML."""
        o = job.options
        text = job.inputs.text or ""
        size = len(text.encode("utf-8"))
        if size > MAX_INPUT_BYTES:
            raise PermanentProviderError(
                f"input.text is {size} bytes in UTF-8; Google Text-to-Speech accepts at most "
                f"{MAX_INPUT_BYTES}."
            )
        voice = o.get("voice") or "en-US-Neural2-F"
        encoding, _ = ENCODINGS[o.get("outputFormat") or "mp3"]
        kind = "ssml" if text.lstrip().startswith("<speak") else "text"
        return {
            "input": {kind: text},
            "voice": {"languageCode": language_of(voice), "name": voice},
            "audioConfig": {
                "audioEncoding": encoding,
                "speakingRate": float(o.get("speed") or 1.0),
                "pitch": float(o.get("pitch") or 0),
            },
        }

    def submit(self, job: JobRequest) -> JobState:
        data = self.json("POST", "/text:synthesize", json=self.body(job))
        audio = decode_base64(data.get("audioContent"), "Google's audioContent")
        if not audio:
            raise PermanentProviderError("Google Text-to-Speech returned empty audio.")
        _, content_type = ENCODINGS[job.options.get("outputFormat") or "mp3"]
        return JobState("succeeded", {}, 100, Output(content_type, content=audio))
