"""Luma Dream Machine (Ray 2): ``luma`` (text→video, or image→video with input.image).

Docs: https://docs.lumalabs.ai/docs/api (video: https://docs.lumalabs.ai/docs/video-generation,
reference: https://docs.lumalabs.ai/reference/creategeneration).

- Base URL ``https://api.lumalabs.ai/dream-machine/v1``; auth ``Authorization: Bearer <key>``.
- Submit: ``POST /generations/video`` → 201 ``{id, state, failure_reason, assets, ...}``.
- Poll: ``GET /generations/{id}``; ``state`` is queued, dreaming, completed or failed
  (with ``failure_reason``); ``assets.video`` is the MP4 URL, copied at once.
- Cancel: ``DELETE /generations/{id}`` (204).
- Fields: ``prompt``, ``model`` (ray-2, ray-flash-2), ``aspect_ratio``, ``resolution``
  (540p, 720p, 1080p, 4k), ``duration`` as the string "5s" or "9s", ``loop``,
  ``keyframes: {frame0: {type: "image", url}}`` for image→video, ``callback_url``.
- Keyframe images must be hosted: Luma takes a URL, not inline data, so a data: URI
  input fails before submit with a clear message.
- Errors: 4xx bodies are ``{detail: "..."}``; moderation refusals mention moderation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from providers.base import JobRequest, JobState, Output, PermanentProviderError
from providers.vendors.base import VendorAdapter, copy_options

# Words in a 4xx detail or a `failure_reason` that mean Luma's moderation refused the job.
MODERATION_WORDS = ("moderation", "nsfw", "unsafe", "content policy", "inappropriate")


def is_moderation_text(text: str) -> bool:
    return any(word in text.lower() for word in MODERATION_WORDS)


class LumaAdapter(VendorAdapter):
    """Dream Machine video generations through Luma's asynchronous API."""

    vendor = "Luma"
    base_url = "https://api.lumalabs.ai/dream-machine/v1"

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials.get('LUMAAI_API_KEY', '')}",
            "accept": "application/json",
        }

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return is_moderation_text(detail)

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as Luma's JSON body (duration "5s"/"9s")."""
        o = job.options
        body: dict[str, Any] = {
            "prompt": job.inputs.text or "",
            "model": o.get("model") or "ray-2",
            "duration": f"{int(o.get('duration') or 5)}s",
        }
        copy_options(o, body, aspectRatio="aspect_ratio", resolution="resolution", loop="loop")
        if job.inputs.image:
            if not job.inputs.image.startswith(("http://", "https://")):
                raise PermanentProviderError(
                    "Luma needs input.image as a public http(s) URL; it does not accept data: URIs."
                )
            body["keyframes"] = {"frame0": {"type": "image", "url": job.inputs.image}}
        if job.webhook_hint:
            body["callback_url"] = job.webhook_hint
        return body

    def submit(self, job: JobRequest) -> JobState:
        data = self.json("POST", "/generations/video", json=self.body(job))
        if not isinstance(data, dict) or not data.get("id"):
            raise PermanentProviderError("Luma answered without a generation id.")
        return self.state(data, {"id": data["id"]})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        return self.state(self.json("GET", f"/generations/{handle['id']}"), dict(handle))

    def state(self, data: Mapping[str, Any], handle: dict[str, Any]) -> JobState:
        """One Luma generation object as a `JobState`."""
        state = data.get("state")
        if state == "completed":
            url = (data.get("assets") or {}).get("video")
            if not url:
                raise PermanentProviderError("Luma reported completed without a video.")
            return JobState("succeeded", handle, 100, Output("video/mp4", url=url))
        if state == "failed":
            reason = data.get("failure_reason") or "no reason given"
            error = PermanentProviderError(
                f"Luma failed the generation: {reason}",
                vendor_code="failed",
                moderated=is_moderation_text(reason),
            )
            return JobState("failed", handle, error=error)
        return JobState("running" if state == "dreaming" else "pending", handle)

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """Delete the generation at Luma, which stops it; True when Luma accepted."""
        if not handle.get("id"):
            return False
        self.call("DELETE", f"/generations/{handle['id']}")
        return True

    def poll_interval(self, attempt: int) -> float:
        return min(3.0 * (1.5 ** (attempt - 1)), 20.0)
