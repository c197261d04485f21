"""Hedra Character-3: ``hedra`` (a portrait in input.image + speech → a talking video).

Docs: https://api.hedra.com/web-app/redoc (OpenAPI "Hedra Web Public API"; starter
kit https://github.com/hedra-labs/hedra-api-starter).

- Base ``https://api.hedra.com/web-app/public``; auth ``X-API-Key: <HEDRA_API_KEY>``.
- Submit is several calls, each classified like any other call (a failure in any of
  them is retried or fails the job as a whole; a retry starts again from step 1):

  1. ``POST /assets {name, type: "image"}`` → ``{id}``, then
     ``POST /assets/{id}/upload`` (multipart ``file``) with the portrait's bytes;
  2. with input.audio, the same for an ``audio`` asset; otherwise the voice name in
     input.voice is resolved to a voice id with ``GET /voices`` (a list of assets
     ``{id, name, asset: {labels: [{name, value}]}}``) and Hedra speaks input.text;
  3. ``POST /generations {type: "video", ai_model_id, start_keyframe_id,
     audio_id | audio_generation: {type: "text_to_speech", voice_id, text},
     generated_video_inputs: {text_prompt, resolution, aspect_ratio}}`` → ``{id}``.
     No ``duration_ms``: the video follows the speech.

- Poll ``GET /generations/{id}/status`` → ``{status: queued|pending|processing|
  finalizing|complete|error, progress (0–1), url, download_url, error_message,
  error: {type, message}}``; ``error.type`` ``MODERATION_FAILED`` is a refusal.
- Errors: FastAPI shapes, ``{detail: "…"}`` or 422 ``{detail: [{loc, msg}]}``.
- The public API has no cancel or delete endpoint for generations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import requests

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)
from providers.vendors.base import VendorAdapter

# Hedra's model ids (Character-3 is the lip-sync avatar model).
MODELS = {"character-3": "d1dd37a3-e39a-4854-a298-6510289f9cf2"}
# Hedra needs a motion prompt; this one is used when options.motionPrompt is not set.
DEFAULT_MOTION = "A person speaking naturally to the camera, with subtle head movement."
# Our voice names → Hedra voice names to look for in GET /voices, best first. A name
# not listed here is looked up as is; a Hedra voice id (a UUID) is sent unchanged.
VOICE_NAMES: dict[str, tuple[str, ...]] = {
    "professional_female": ("Sarah", "Rachel", "Alice", "Charlotte"),
    "professional_male": ("Daniel", "Brian", "George", "Adam"),
    "friendly_female": ("Jessica", "Laura", "Lily"),
    "friendly_male": ("Chris", "Will", "Liam"),
    "narrator": ("George", "Brian"),
}
DEFAULT_VOICE = "professional_female"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
}
PENDING = ("queued", "pending")
# error.type values that mean Hedra itself is failing, not that the request is bad.
VENDOR_TROUBLE = ("UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED")


class HedraAdapter(VendorAdapter):
    """Character-3 talking videos through Hedra's asset + generation API."""

    vendor = "Hedra"
    base_url = "https://api.hedra.com/web-app/public"

    def auth_headers(self) -> dict[str, str]:
        return {"X-API-Key": self.credentials.get("HEDRA_API_KEY", "")}

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return "moderat" in detail.lower() or "MODERATION_FAILED" in response.text

    # -- submit -----------------------------------------------------------------
    def upload(self, job: JobRequest, field: str, kind: str) -> str:
        """Create a Hedra asset of ``kind`` ("image"/"audio") from input.<field>; its id."""
        content, content_type = self.fetch_input(job, field)
        name = f"doitong-{job.generation_id}-{field}.{EXTENSIONS.get(content_type, 'bin')}"
        created = self.json("POST", "/assets", json={"name": name, "type": kind})
        asset_id = created.get("id") if isinstance(created, dict) else None
        if not asset_id:
            raise TransientProviderError(f"Hedra created the {kind} asset without an id.")
        self.call(
            "POST", f"/assets/{asset_id}/upload", files={"file": (name, content, content_type)}
        )
        return str(asset_id)

    def voice_id(self, voice: str | None) -> str:
        """A Hedra voice id for our voice name (or a Hedra voice id passed through)."""
        voice = (voice or DEFAULT_VOICE).strip()
        if UUID.match(voice):
            return voice
        voices = self.json("GET", "/voices")
        if not isinstance(voices, list):
            raise TransientProviderError("Hedra answered GET /voices without a list.")
        voices = [item for item in voices if isinstance(item, dict)]
        wanted = VOICE_NAMES.get(voice.lower(), (voice.replace("_", " "),))
        for name in wanted:
            for item in voices:
                found = str(item.get("name") or "").lower()
                if item.get("id") and (
                    found == name.lower() or found.startswith(f"{name} ".lower())
                ):
                    return str(item["id"])
        gender = next((g for g in ("female", "male") if voice.lower().endswith(g)), None)
        for item in voices if gender else ():
            labels = (item.get("asset") or {}).get("labels") or []
            if {"name": "gender", "value": gender} in labels and item.get("id"):
                return str(item["id"])
        raise PermanentProviderError(
            f"Hedra has no voice called {voice!r}; use one of "
            f"{', '.join(sorted(VOICE_NAMES))}, a Hedra voice name or a Hedra voice id."
        )

    def body(self, job: JobRequest, image_id: str) -> dict[str, Any]:
        """The ``POST /generations`` body once the portrait (and audio) are uploaded."""
        o = job.options
        body: dict[str, Any] = {
            "type": "video",
            "ai_model_id": MODELS[o.get("model") or self.spec.models[0]],
            "start_keyframe_id": image_id,
            "generated_video_inputs": {
                "text_prompt": o.get("motionPrompt") or DEFAULT_MOTION,
                "resolution": o.get("resolution") or "720p",
                "aspect_ratio": o.get("aspectRatio") or "16:9",
            },
        }
        if job.inputs.audio:  # a recording wins over text: Hedra lip-syncs to it
            body["audio_id"] = self.upload(job, "audio", "audio")
        else:
            body["audio_generation"] = {
                "type": "text_to_speech",
                "voice_id": self.voice_id(job.inputs.voice),
                "text": job.inputs.text or "",
            }
        return body

    def submit(self, job: JobRequest) -> JobState:
        image_id = self.upload(job, "image", "image")
        data = self.json("POST", "/generations", json=self.body(job, image_id))
        if not isinstance(data, dict) or not data.get("id"):
            raise TransientProviderError("Hedra accepted the generation without an id.")
        return JobState("pending", {"id": str(data["id"])})

    # -- poll -------------------------------------------------------------------
    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", f"/generations/{handle['id']}/status")
        status = str(data.get("status") or "").lower()
        progress = max(0, min(100, round(float(data.get("progress") or 0) * 100)))
        if status == "complete":
            url = data.get("download_url") or data.get("url")
            if not url:
                raise PermanentProviderError("Hedra reported the video complete without a URL.")
            return JobState("succeeded", dict(handle), 100, Output("video/mp4", url=url))
        if status == "error":
            return JobState("failed", dict(handle), error=self.failure(data))
        return JobState("pending" if status in PENDING else "running", dict(handle), progress)

    def failure(self, data: Mapping[str, Any]) -> ProviderError:
        """The error of a generation Hedra reports as ``error``."""
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        kind = str(error.get("type") or "")
        message = data.get("error_message") or error.get("message") or "no details"
        if kind == "MODERATION_FAILED" or "moderat" in str(message).lower():
            return PermanentProviderError(f"Hedra refused the content: {message}", moderated=True)
        if kind in VENDOR_TROUBLE:
            return TransientProviderError(f"Hedra failed the job ({kind}): {message}")
        return PermanentProviderError(f"Hedra failed the job: {message}", vendor_code=kind or None)

    def poll_interval(self, attempt: int) -> float:
        return min(5.0 * (1.4 ** (attempt - 1)), 30.0)
