"""Stability AI Stable Image: stable-diffusion (synchronous; no cancel).

Docs: https://platform.stability.ai/docs/api-reference (Stable Image → Generate).

- Auth: ``Authorization: Bearer <STABILITY_API_KEY>``; ``Accept: application/json``
  makes the image come back as base64 JSON instead of raw bytes.
- Request: ``POST https://api.stability.ai/v2beta/stable-image/generate/{ultra|core|sd3}``
  as multipart/form-data (``requests`` needs ``files={"none": ""}`` to send it) with
  ``prompt``, ``negative_prompt``, ``aspect_ratio``, ``seed`` (0–4294967294),
  ``output_format`` (png, jpeg, webp), ``style_preset`` (core), ``model`` (sd3 only:
  sd3.5-large, sd3.5-large-turbo, sd3.5-medium).
- Response: ``{image: "<base64>", finish_reason: "SUCCESS" | "CONTENT_FILTERED", seed}``.
- Errors: ``{id, name, errors: [...]}``; 403 = content moderation, 402 = out of
  credits, 413 = too large, 422 = invalid; 429 = over 150 requests in 10 s (then a
  60 s lockout).
"""

from __future__ import annotations

import base64
import binascii

import requests

from providers.base import JobRequest, JobState, Output, PermanentProviderError
from providers.vendors.base import VendorAdapter, error_text

SD3_MODELS = ("sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium")
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


class StabilityAdapter(VendorAdapter):
    """Stable Image Core and Ultra, and Stable Diffusion 3.5, text-to-image."""

    vendor = "Stability AI"
    base_url = "https://api.stability.ai/v2beta/stable-image/generate"

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials.get('STABILITY_API_KEY', '')}",
            "Accept": "application/json",
        }

    def error_detail(self, response: requests.Response) -> str:
        """``{name, errors: [...]}`` → ``"name: error; error"``."""
        try:
            body = response.json()
        except ValueError:
            return error_text(response)
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            errors = "; ".join(str(e) for e in body["errors"][:3]) or "no details"
            return f"{body['name']}: {errors}"[:500] if body.get("name") else errors[:500]
        return error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return response.status_code == 403 or "content_moderation" in detail

    def form(self, job: JobRequest) -> tuple[str, dict[str, str]]:
        """The endpoint path and the multipart fields (all strings), in a stable order."""
        o = job.options
        model = o.get("model") or "core"
        fields: dict[str, str] = {"prompt": job.inputs.text or ""}
        if model in SD3_MODELS:
            path = "/sd3"
            fields["model"] = model
        else:
            path = f"/{model}"
        # sd3.5-large-turbo ignores negative prompts; the others take them.
        if o.get("negativePrompt") and model != "sd3.5-large-turbo":
            fields["negative_prompt"] = o["negativePrompt"]
        fields["aspect_ratio"] = o.get("aspectRatio") or "1:1"
        if o.get("seed") is not None:
            fields["seed"] = str(int(o["seed"]))
        fields["output_format"] = o.get("outputFormat") or "png"
        if o.get("stylePreset") and model == "core":
            fields["style_preset"] = o["stylePreset"]
        return path, fields

    def submit(self, job: JobRequest) -> JobState:
        path, fields = self.form(job)
        data = self.json("POST", path, data=fields, files={"none": ""})
        handle = {"endpoint": path, "seed": data.get("seed")}
        if data.get("finish_reason") == "CONTENT_FILTERED":
            error = PermanentProviderError(
                "Stability AI filtered the image (finish_reason CONTENT_FILTERED).",
                moderated=True,
            )
            return JobState("failed", handle, error=error)
        try:
            content = base64.b64decode(data.get("image") or "", validate=False)
        except (binascii.Error, ValueError) as exc:
            raise PermanentProviderError("Stability AI's image is not valid base64.") from exc
        if not content:
            raise PermanentProviderError("Stability AI answered without an image.")
        content_type = CONTENT_TYPES[fields["output_format"]]
        return JobState("succeeded", handle, 100, Output(content_type, content=content))
