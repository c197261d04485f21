"""Vidu: ``vidu`` (text→video, or image→video with input.image).

Docs: https://platform.vidu.com/docs (text→video, image→video, "Get generation" and the
error codes of the enterprise API v2).

- Base URL ``https://api.vidu.com/ent/v2``; auth ``Authorization: Token <key>`` (the
  word is ``Token``, not ``Bearer``).
- Submit: ``POST /text2video`` or ``POST /img2video`` → ``{task_id, state, ...}``.
- Poll: ``GET /tasks/{id}/creations`` → ``{id, state, err_code, credits,
  creations: [{id, url, cover_url}]}``; ``state`` is created, queueing, processing,
  success or failed (with ``err_code``).
- Creation URLs live 1–24 h only: the pipeline copies the video at once.
- Fields: ``model`` (viduq1, vidu1.5), ``prompt``, ``duration`` (seconds, integer),
  ``resolution``, ``movement_amplitude``, ``seed``, ``callback_url``; text→video also
  takes ``style`` and ``aspect_ratio``; image→video takes ``images`` (one URL, or a
  ``data:image/...;base64,`` URI) and follows the image's shape.
- No cancel for ordinary jobs (Vidu cancels off-peak tasks only, which we do not use).
- Errors: 4xx bodies carry ``{reason, message}``; ``reason``/``err_code`` names such
  as TaskPromptPolicyViolation are moderation refusals.
"""

from __future__ import annotations

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
from providers.vendors.base import VendorAdapter, copy_options, error_text

# Our model names -> Vidu `model`.
MODELS = {"vidu-q1": "viduq1", "vidu-1.5": "vidu1.5"}
MODERATION_CODES = frozenset(
    {"TaskPromptPolicyViolation", "AuditSubmitIllegal", "CreationPolicyViolation"}
)
BUSY_CODES = frozenset(
    {"TooManyRequests", "SystemThrottling", "QuotaExceeded", "InternalServiceFailure"}
)


def task_error(err_code: str) -> ProviderError:
    """The error for a task Vidu reports as failed with ``err_code``."""
    if err_code in MODERATION_CODES:
        return PermanentProviderError(
            f"Vidu refused the content ({err_code}).", vendor_code=err_code, moderated=True
        )
    if err_code == "CreditInsufficient":
        return PermanentProviderError(
            "Vidu could not run the job: the vendor account is out of credit (CreditInsufficient).",
            vendor_code=err_code,
        )
    if err_code in BUSY_CODES:
        return TransientProviderError(f"Vidu is busy ({err_code}).", vendor_code=err_code)
    return PermanentProviderError(f"Vidu failed the job ({err_code}).", vendor_code=err_code)


class ViduAdapter(VendorAdapter):
    """Vidu text→video and image→video through the enterprise task API."""

    vendor = "Vidu"
    base_url = "https://api.vidu.com/ent/v2"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.credentials.get('VIDU_API_KEY', '')}"}

    def error_detail(self, response: requests.Response) -> str:
        """``reason: message`` from a Vidu error body (the reason names the rule)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("reason"):
            message = body.get("message") or ""
            return f"{body['reason']}: {message}"[:300] if message else str(body["reason"])
        return error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return detail.split(":")[0] in MODERATION_CODES or "policy" in detail.lower()

    @staticmethod
    def endpoint(job: JobRequest) -> str:
        return "/img2video" if job.inputs.image else "/text2video"

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as Vidu's JSON body (duration in whole seconds)."""
        o = job.options
        body: dict[str, Any] = {
            "model": MODELS[o.get("model") or "vidu-q1"],
            "duration": int(o.get("duration") or 5),
        }
        prompt = job.inputs.text or ""
        copy_options(
            o,
            body,
            resolution="resolution",
            movementAmplitude="movement_amplitude",
            seed="seed",
        )
        if job.inputs.image:
            body["images"] = [job.inputs.image]
            # img2video has no `style` field: ask for anime in the prompt instead.
            if o.get("style") == "anime":
                prompt = f"{prompt}. Anime style." if prompt else "Anime style."
        else:
            copy_options(o, body, style="style", aspectRatio="aspect_ratio")
        if prompt:
            body["prompt"] = prompt
        if job.webhook_hint:
            body["callback_url"] = job.webhook_hint
        return body

    def submit(self, job: JobRequest) -> JobState:
        data = self.json("POST", self.endpoint(job), json=self.body(job))
        if not isinstance(data, dict) or not data.get("task_id"):
            raise TransientProviderError("Vidu answered without a task id.")
        if data.get("state") == "failed":
            error = task_error(str(data.get("err_code") or "unknown"))
            return JobState("failed", {"id": data["task_id"]}, error=error)
        return JobState("pending", {"id": data["task_id"]})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", f"/tasks/{handle['id']}/creations")
        state = data.get("state")
        if state == "success":
            creations = data.get("creations") or []
            url = creations[0].get("url") if creations else None
            if not url:
                raise PermanentProviderError("Vidu reported success without a video.")
            return JobState("succeeded", dict(handle), 100, Output("video/mp4", url=url))
        if state == "failed":
            error = task_error(str(data.get("err_code") or "unknown"))
            return JobState("failed", dict(handle), error=error)
        return JobState("running" if state == "processing" else "pending", dict(handle))

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        return False  # only off-peak tasks can be cancelled at Vidu

    def poll_interval(self, attempt: int) -> float:
        return min(3.0 * (1.5 ** (attempt - 1)), 20.0)
