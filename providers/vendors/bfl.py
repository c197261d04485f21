"""Black Forest Labs (Flux): flux-dev, flux-pro, flux-pro-1.1, flux-ultra, flux-kontext.

Docs: https://docs.bfl.ai/ (API reference: https://api.bfl.ai/scalar).

- Auth: ``x-key: <BFL_API_KEY>``.
- Submit: ``POST https://api.bfl.ai/v1/{endpoint}`` → ``{id, polling_url}``.
- Poll: ``GET {polling_url}`` (the URL returned, never a rebuilt one) →
  ``{status, result: {sample}, progress}``; status is Pending, Ready, Error,
  Request Moderated, Content Moderated or Task not found.
- ``result.sample`` is a signed URL valid for 10 minutes: the pipeline copies it at once.
- No cancel endpoint. 402 means BFL is out of credits; 422 carries ``{detail: [...]}``.
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
    TransientProviderError,
)
from providers.sandbox.plan import fit, parse_ratio
from providers.vendors.base import VendorAdapter, copy_options

ENDPOINTS = {
    "flux-dev": "/flux-dev",
    "flux-pro": "/flux-pro",
    "flux-pro-1.1": "/flux-pro-1.1",
    "flux-ultra": "/flux-pro-1.1-ultra",
}
MODERATED = ("Request Moderated", "Content Moderated")


class BflAdapter(VendorAdapter):
    """Flux text-to-image (and Kontext editing) through BFL's asynchronous API."""

    vendor = "Black Forest Labs"
    base_url = "https://api.bfl.ai/v1"

    def auth_headers(self) -> dict[str, str]:
        return {"x-key": self.credentials.get("BFL_API_KEY", ""), "accept": "application/json"}

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return "moderat" in detail.lower()

    def endpoint(self, options: Mapping[str, Any]) -> str:
        if self.spec.id == "flux-kontext":
            return f"/flux-kontext-{options.get('model') or 'pro'}"
        return ENDPOINTS[self.spec.id]

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as BFL's JSON body (snake_case fields, per endpoint)."""
        o = job.options
        body: dict[str, Any] = {"prompt": job.inputs.text or ""}
        copy_options(
            o,
            body,
            seed="seed",
            safetyTolerance="safety_tolerance",
            outputFormat="output_format",
            promptUpsampling="prompt_upsampling",
        )
        if self.spec.id in ("flux-dev", "flux-pro", "flux-pro-1.1"):
            if o.get("width") and o.get("height"):
                body["width"], body["height"] = int(o["width"]), int(o["height"])
            else:
                body["width"], body["height"] = fit(
                    parse_ratio(o.get("aspectRatio"), (1, 1)), 1024, 32
                )
            copy_options(o, body, steps="steps", guidance="guidance", interval="interval")
        else:
            body["aspect_ratio"] = o.get("aspectRatio") or "1:1"
        if self.spec.id == "flux-ultra":
            body["raw"] = o.get("quality") == "raw"
            if job.inputs.image:
                body["image_prompt"] = job.inputs.image
                copy_options(o, body, imagePromptStrength="image_prompt_strength")
        if self.spec.id == "flux-kontext" and job.inputs.image:
            body["input_image"] = job.inputs.image
        return body

    def submit(self, job: JobRequest) -> JobState:
        data = self.json("POST", self.endpoint(job.options), json=self.body(job))
        if not data.get("id") or not data.get("polling_url"):
            raise TransientProviderError("BFL answered without a task id or polling URL.")
        return JobState("pending", {"id": data["id"], "polling_url": data["polling_url"]})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", handle["polling_url"])
        status = data.get("status")
        progress = int(
            float(data.get("progress") or 0) * (100 if (data.get("progress") or 0) <= 1 else 1)
        )
        if status == "Ready":
            sample = (data.get("result") or {}).get("sample")
            if not sample:
                raise PermanentProviderError("BFL reported Ready without an image.")
            return JobState("succeeded", dict(handle), 100, Output("image/*", url=sample))
        if status in MODERATED:
            error = PermanentProviderError(f"BFL refused the content ({status}).", moderated=True)
            return JobState("failed", dict(handle), error=error)
        if status in ("Error", "Task not found"):
            detail = data.get("details") or data.get("error") or status
            return JobState(
                "failed",
                dict(handle),
                error=PermanentProviderError(f"BFL failed the job: {detail}"),
            )
        return JobState("running" if progress else "pending", dict(handle), progress)

    def poll_interval(self, attempt: int) -> float:
        return min(1.0 * (1.5 ** (attempt - 1)), 10.0)
