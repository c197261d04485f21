"""Google: Veo 3 video and Imagen images (Gemini API), plus Cloud Text-to-Speech.

Gemini API docs: https://ai.google.dev/gemini-api/docs/video (Veo) and
https://ai.google.dev/gemini-api/docs/imagen (Imagen). Auth is ``x-goog-api-key:
<GEMINI_API_KEY>``; errors are ``{error: {code, message, status}}``.

Veo (asynchronous, a long-running operation; no cancel is documented):

- Submit: ``POST /v1beta/models/{model}:predictLongRunning`` with
  ``{instances: [{prompt, image?: {bytesBase64Encoded, mimeType}}],
  parameters: {aspectRatio, durationSeconds (a number, seconds), resolution,
  negativePrompt?, seed?}}`` → ``{name: "models/…/operations/…"}``.
- Poll: ``GET /v1beta/{name}`` → ``{name, done?, error?, response?}``. When done,
  the video is ``response.generateVideoResponse.generatedSamples[0].video.uri``
  and must be downloaded with the API key; ``raiMediaFilteredReasons`` means the
  output was withheld by Google's safety filters.

Imagen (synchronous): ``POST /v1beta/models/{model}:predict`` with
``{instances: [{prompt}], parameters: {sampleCount: 1, aspectRatio,
personGeneration}}`` → ``{predictions: [{bytesBase64Encoded, mimeType}]}``; no
prediction at all means the prompt or the image was filtered.

Cloud Text-to-Speech lives in `providers.vendors.google_tts` and is re-exported here.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from typing import Any

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    TransientProviderError,
)
from providers.media import MediaError, probe
from providers.vendors.base import copy_options
from providers.vendors.google_common import (
    GoogleAdapter,
    decode_base64,
    google_status_text,
    looks_moderated,
)
from providers.vendors.google_tts import GoogleTtsAdapter

__all__ = ["GoogleTtsAdapter", "ImagenAdapter", "VeoAdapter"]

GEMINI_BASE = "https://generativelanguage.googleapis.com/v1beta"

# Our model names → Gemini API model ids.
VEO_MODELS = {"veo-3": "veo-3.0-generate-001", "veo-3-fast": "veo-3.0-fast-generate-001"}
IMAGEN_MODELS = {
    "imagen-3": "imagen-3.0-generate-002",
    "imagen-4-fast": "imagen-4.0-fast-generate-001",
    "imagen-4": "imagen-4.0-generate-001",
    "imagen-4-ultra": "imagen-4.0-ultra-generate-001",
}
INPUT_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


class VeoAdapter(GoogleAdapter):
    """Veo 3 text-to-video and image-to-video through the Gemini API."""

    vendor = "Google Veo"
    base_url = GEMINI_BASE
    key_name = "GEMINI_API_KEY"

    def input_image(self, job: JobRequest) -> dict[str, str]:
        """``input.image`` (URL or data: URI) as ``{bytesBase64Encoded, mimeType}``."""
        content, content_type = self.fetch_input(job, "image")
        if content_type not in INPUT_IMAGE_TYPES:
            try:
                content_type = probe(content).content_type
            except MediaError as exc:
                raise PermanentProviderError(f"input.image is not an image: {exc}") from exc
            if not content_type.startswith("image/"):
                raise PermanentProviderError(f"input.image is {content_type}, not an image.")
        return {
            "bytesBase64Encoded": base64.b64encode(content).decode("ascii"),
            "mimeType": content_type,
        }

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as Veo's ``{instances, parameters}`` body."""
        o = job.options
        instance: dict[str, Any] = {"prompt": job.inputs.text or ""}
        if job.inputs.image:
            instance["image"] = self.input_image(job)
        parameters: dict[str, Any] = {
            "aspectRatio": o.get("aspectRatio") or "16:9",
            "durationSeconds": int(o.get("duration") or 8),
            "resolution": o.get("resolution") or "720p",
        }
        copy_options(o, parameters, negativePrompt="negativePrompt", seed="seed")
        return {"instances": [instance], "parameters": parameters}

    def submit(self, job: JobRequest) -> JobState:
        model = VEO_MODELS[job.options.get("model") or "veo-3"]
        data = self.json("POST", f"/models/{model}:predictLongRunning", json=self.body(job))
        name = data.get("name") if isinstance(data, dict) else None
        if not name or not str(name).startswith("models/"):
            raise TransientProviderError("Veo answered without an operation name.")
        handle = {"id": name, "operation": name, "model": model, "submitted_at": time.time()}
        return JobState("pending", handle)

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", f"/{handle['operation']}")
        if not data.get("done"):
            return JobState("running", dict(handle), self.progress(handle))
        if data.get("error"):
            detail = google_status_text(data["error"])
            error = PermanentProviderError(
                f"Veo failed the job: {detail}", moderated=looks_moderated(detail)
            )
            return JobState("failed", dict(handle), error=error)
        result = (data.get("response") or {}).get("generateVideoResponse") or {}
        reasons = result.get("raiMediaFilteredReasons")
        if reasons:
            shown = "; ".join(str(r) for r in reasons) if isinstance(reasons, list) else reasons
            error = PermanentProviderError(f"Veo withheld the video: {shown}", moderated=True)
            return JobState("failed", dict(handle), error=error)
        samples = result.get("generatedSamples") or []
        uri = ((samples[0] if samples else {}).get("video") or {}).get("uri")
        if not uri:
            raise PermanentProviderError("Veo reported the operation done without a video.")
        output = Output("video/mp4", url=uri, headers={"x-goog-api-key": self.api_key()})
        return JobState("succeeded", dict(handle), 100, output)

    def progress(self, handle: Mapping[str, Any]) -> int:
        """Veo reports no progress: estimate it from the time since submit (0–95)."""
        started = float(handle.get("submitted_at") or time.time())
        expected = max(self.spec.estimated_time, 1)
        return int(min(95.0, max(0.0, (time.time() - started) / expected * 100)))

    def poll_interval(self, attempt: int) -> float:
        return min(10.0 * (1.25 ** (attempt - 1)), 30.0)


class ImagenAdapter(GoogleAdapter):
    """Imagen 3 and 4 text-to-image through the Gemini API (synchronous)."""

    vendor = "Google Imagen"
    base_url = GEMINI_BASE
    key_name = "GEMINI_API_KEY"

    def body(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        parameters: dict[str, Any] = {
            "sampleCount": 1,
            "aspectRatio": o.get("aspectRatio") or "1:1",
        }
        copy_options(o, parameters, personGeneration="personGeneration")
        return {"instances": [{"prompt": job.inputs.text or ""}], "parameters": parameters}

    def submit(self, job: JobRequest) -> JobState:
        model = IMAGEN_MODELS[job.options.get("model") or "imagen-3"]
        data = self.json("POST", f"/models/{model}:predict", json=self.body(job))
        handle = {"model": model}
        predictions = [p for p in (data.get("predictions") or []) if isinstance(p, dict)]
        images = [p for p in predictions if p.get("bytesBase64Encoded")]
        if not images:
            reason = next(
                (p["raiFilteredReason"] for p in predictions if p.get("raiFilteredReason")),
                "Google's safety filters removed the image",
            )
            error = PermanentProviderError(f"Imagen returned no image: {reason}", moderated=True)
            return JobState("failed", handle, error=error)
        content = decode_base64(images[0]["bytesBase64Encoded"], "Imagen's image")
        output = Output(images[0].get("mimeType") or "image/png", content=content)
        return JobState("succeeded", handle, 100, output)
