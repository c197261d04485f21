"""Runway: ``runway`` (text or image → video) and ``runway-animation`` (image → video).

Docs: https://docs.dev.runwayml.com/api/ (errors:
https://docs.dev.runwayml.com/api-details/errors, task failures:
https://docs.dev.runwayml.com/api-details/task-failures).

- Base ``https://api.dev.runwayml.com``; headers ``Authorization: Bearer
  <RUNWAYML_API_SECRET>`` and ``X-Runway-Version: 2024-11-06``.
- Submit: ``POST /v1/image_to_video`` ``{model, promptImage (HTTPS URL or data URI),
  promptText (≤1000 characters), ratio ("1280:720"…), duration (5|10, seconds),
  seed}`` or, for text-only requests, ``POST /v1/text_to_video`` (gen4.5, ratio
  "1280:720"|"720:1280") → ``{id}``.
- Poll: ``GET /v1/tasks/{id}`` → ``{status: PENDING|THROTTLED|RUNNING|SUCCEEDED|
  FAILED|CANCELLED, progress (0-1), output: [url], failure, failureCode}``;
  ``failureCode`` ``SAFETY.*`` (or ``INPUT_PREPROCESSING.SAFETY.*``) is moderation.
  Output URLs expire within 24-48 h: the pipeline copies them at once.
- Cancel: ``DELETE /v1/tasks/{id}`` (204).
- HTTP errors: 400 ``{error, issues}`` validation, 401 auth, 429 limits, 502-504 load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from providers.base import JobRequest, JobState, Output, PermanentProviderError
from providers.vendors.base import VendorAdapter, as_data_uri, error_text

API_VERSION = "2024-11-06"
PROMPT_LIMIT = 1000
# Our model names -> Runway model ids.
MODELS = {"gen-4.5": "gen4.5", "gen-4": "gen4_turbo", "gen-3": "gen3a_turbo"}
TEXT_TO_VIDEO_MODEL = "gen4.5"
# Our aspect ratios -> Runway `ratio` (output pixels, width:height).
RATIOS = {
    "16:9": "1280:720",
    "9:16": "720:1280",
    "4:3": "1104:832",
    "3:4": "832:1104",
    "1:1": "960:960",
    "21:9": "1584:672",
}
GEN3_RATIOS = {"16:9": "1280:768", "9:16": "768:1280"}
# motionIntensity is not a Runway parameter: the catalogue declares it a prompt hint.
MOTION_HINTS = {
    "low": "low motion, subtle movement",
    "medium": "medium motion",
    "high": "high motion, dynamic movement",
}
MODERATION_PREFIXES = ("SAFETY.", "INPUT_PREPROCESSING.SAFETY")


def with_hint(prompt: str, hint: str | None, limit: int = PROMPT_LIMIT) -> str:
    """``prompt`` with a prompt hint appended, unless it would pass ``limit`` characters."""
    if not hint:
        return prompt
    combined = f"{prompt.rstrip().rstrip('.,;')}, {hint}" if prompt.strip() else hint
    return combined if len(combined) <= limit else prompt


class RunwayAdapter(VendorAdapter):
    """Gen-3 Alpha Turbo, Gen-4 Turbo and Gen-4.5 through Runway's task API."""

    vendor = "Runway"
    base_url = "https://api.dev.runwayml.com"

    def auth_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials.get('RUNWAYML_API_SECRET', '')}",
            "X-Runway-Version": API_VERSION,
        }

    def error_detail(self, response: requests.Response) -> str:
        """Runway's ``error`` plus the ``issues`` of a failed validation."""
        try:
            body = response.json()
        except ValueError:
            return error_text(response)
        if not isinstance(body, dict) or not body.get("error"):
            return error_text(response)
        issues = [
            f"{'.'.join(str(p) for p in i.get('path') or [])}: {i.get('message')}".lstrip(": ")
            for i in body.get("issues") or []
            if isinstance(i, dict) and i.get("message")
        ]
        return "; ".join([str(body["error"]), *issues[:3]])[:500]

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return "moderation" in detail.lower()

    def request(self, job: JobRequest) -> tuple[str, dict[str, Any]]:
        """(endpoint path, JSON body) for our request."""
        o = job.options
        aspect = o.get("aspectRatio") or "16:9"
        hint = MOTION_HINTS.get(o.get("motionIntensity") or "")
        prompt = with_hint(job.inputs.text or "", hint)
        body: dict[str, Any]
        if job.inputs.image:
            default = "gen-4" if self.spec.id == "runway-animation" else "gen-4.5"
            model = MODELS[o.get("model") or default]
            ratios = GEN3_RATIOS if model == "gen3a_turbo" else RATIOS
            body = {
                "model": model,
                "promptImage": self.prompt_image(job),
                "ratio": ratios.get(aspect, ratios["16:9"]),
            }
            path = "/v1/image_to_video"
        else:
            # Runway's text-to-video runs gen4.5 only, in 16:9 or 9:16 (catalogue rules).
            body = {"model": TEXT_TO_VIDEO_MODEL, "ratio": RATIOS.get(aspect, RATIOS["16:9"])}
            path = "/v1/text_to_video"
        if prompt:
            body["promptText"] = prompt
        body["duration"] = int(o.get("duration") or 5)
        if o.get("seed") is not None:
            body["seed"] = int(o["seed"])
        return path, body

    def prompt_image(self, job: JobRequest) -> str:
        """``input.image`` as Runway takes it: an HTTPS URL or a data URI."""
        image = job.inputs.image or ""
        if image.startswith(("https://", "data:")):
            return image
        content, content_type = self.fetch_input(job, "image")  # plain http: send the bytes
        return as_data_uri(content, content_type or "image/png")

    def submit(self, job: JobRequest) -> JobState:
        path, body = self.request(job)
        data = self.json("POST", path, json=body)
        if not isinstance(data, dict) or not data.get("id"):
            raise PermanentProviderError("Runway answered without a task id.")
        return JobState("pending", {"id": str(data["id"]), "endpoint": path})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", f"/v1/tasks/{handle['id']}")
        status = data.get("status")
        try:
            progress = round(float(data.get("progress") or 0) * 100)
        except (TypeError, ValueError):
            progress = 0
        if status == "SUCCEEDED":
            output = data.get("output") or []
            if not output:
                raise PermanentProviderError("Runway reported SUCCEEDED without a video.")
            return JobState("succeeded", dict(handle), 100, Output("video/mp4", url=output[0]))
        if status == "FAILED":
            return JobState("failed", dict(handle), error=self.failure(data))
        if status == "CANCELLED":
            error = PermanentProviderError("Runway cancelled the task.")
            return JobState("failed", dict(handle), error=error)
        return JobState("running" if status == "RUNNING" else "pending", dict(handle), progress)

    def failure(self, data: Mapping[str, Any]) -> PermanentProviderError:
        code = str(data.get("failureCode") or "")
        detail = data.get("failure") or code or "no details"
        if code.startswith(MODERATION_PREFIXES):
            return PermanentProviderError(
                f"Runway refused the content ({code}): {detail}", vendor_code=code, moderated=True
            )
        return PermanentProviderError(
            f"Runway failed the job{f' ({code})' if code else ''}: {detail}",
            vendor_code=code or None,
        )

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """``DELETE /v1/tasks/{id}``: cancels a running task (or deletes a finished one)."""
        if not handle.get("id"):
            return False
        self.call("DELETE", f"/v1/tasks/{handle['id']}")
        return True

    def poll_interval(self, attempt: int) -> float:
        # Runway asks clients to poll no more often than every 5 seconds.
        return min(5.0 * (1.4 ** (attempt - 1)), 30.0)
