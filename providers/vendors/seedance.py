"""Seedance 1.0 (ByteDance): seedance, through BytePlus ModelArk or, failing that, fal.ai.

Docs:
- ModelArk video generation API (create, query, cancel task):
  https://docs.byteplus.com/en/docs/ModelArk/1520757
- fal.ai route: https://fal.ai/models/fal-ai/bytedance/seedance/v1/pro/text-to-video/api

ModelArk (the default route, credential ``ARK_API_KEY``):

- Base ``https://ark.ap-southeast.bytepluses.com/api/v3``; ``Authorization: Bearer <key>``.
- Submit: ``POST /contents/generations/tasks`` with ``{model, content: [{type: "text",
  text}, {type: "image_url", image_url: {url}, role: "first_frame"}], resolution,
  ratio, duration, seed, camera_fixed}`` → ``{id}``. The create-task doc gives two
  ways to set resolution/ratio/duration/seed/camera_fixed: as request-body fields
  (strictly validated: a bad value is a 400) or as the older text commands appended
  to the prompt (``--rs 720p --rt 16:9 --dur 5 --seed 7 --cf false``, loosely
  validated: a bad value silently falls back to the default). We send body fields,
  so a wrong value fails loudly, and never both.
- Poll: ``GET /contents/generations/tasks/{id}`` → ``{id, status, content: {video_url},
  error: {code, message}}``; status is queued, running, succeeded, failed, cancelled
  or expired. ``video_url`` expires after 24 h; the pipeline copies it at once.
- Cancel: ``DELETE /contents/generations/tasks/{id}``; only a queued task is cancelled.
- Errors: ``{error: {code, message, param, type}}``; moderation codes contain
  ``SensitiveContentDetected`` (e.g. InputTextSensitiveContentDetected,
  OutputVideoSensitiveContentDetected).

fal.ai (the alternative): when the adapter has no ``ARK_API_KEY`` but the environment
has ``FAL_KEY``, jobs go to ``fal-ai/bytedance/seedance/v1/{pro|lite}/{text|image}-to-
video`` on the fal queue (`providers.vendors.fal`), with ``{prompt, image_url,
aspect_ratio, resolution, duration: "5", camera_fixed, seed}`` → ``{video: {url}}``.
The route is stored in the handle, so a job is polled and cancelled where it started.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import requests

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    ProviderError,
    ProviderSpec,
    TransientProviderError,
)
from providers.vendors.base import VendorAdapter, error_text
from providers.vendors.fal import RUNNING_PROGRESS, FalQueueAdapter

log = logging.getLogger(__name__)

ARK_MODELS = {  # our model option → ModelArk model id (text-to-video, image-to-video)
    "pro": ("seedance-1-0-pro-250528", "seedance-1-0-pro-250528"),
    "lite": ("seedance-1-0-lite-t2v-250428", "seedance-1-0-lite-i2v-250428"),
}
TASKS = "/contents/generations/tasks"


class SeedanceFalRoute(FalQueueAdapter):
    """Seedance 1.0 on the fal queue (used when only ``FAL_KEY`` is configured)."""

    vendor = "fal.ai (Seedance)"

    def model_id(self, job: JobRequest) -> str:
        tier = job.options.get("model") or "pro"
        kind = "image-to-video" if job.inputs.image else "text-to-video"
        return f"fal-ai/bytedance/seedance/v1/{tier}/{kind}"

    def arguments(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        body: dict[str, Any] = {
            "prompt": job.inputs.text or "",
            "aspect_ratio": o.get("aspectRatio") or "16:9",
            "resolution": o.get("resolution") or "1080p",
            "duration": str(o.get("duration") or 5),  # fal takes the string "2"–"12"
            "camera_fixed": bool(o.get("cameraFixed")),
        }
        if o.get("seed") is not None:
            body["seed"] = o["seed"]
        if job.inputs.image:
            body["image_url"] = job.inputs.image
        return body

    def output(self, job: JobRequest, result: Mapping[str, Any]) -> Output:
        return self.video_output(result)


class SeedanceAdapter(VendorAdapter):
    """Seedance text/image-to-video through ModelArk, or fal.ai without an Ark key."""

    vendor = "BytePlus ModelArk"
    base_url = "https://ark.ap-southeast.bytepluses.com/api/v3"

    def __init__(self, spec: ProviderSpec, credentials: Mapping[str, str] | None = None) -> None:
        super().__init__(spec, credentials)
        fal_key = os.environ.get("FAL_KEY", "")
        self.route = "fal" if not self.credentials.get("ARK_API_KEY") and fal_key else "ark"
        self.fal = SeedanceFalRoute(spec, {"FAL_KEY": fal_key})

    # -- the seam --------------------------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.get('ARK_API_KEY', '')}"}

    def error_detail(self, response: requests.Response) -> str:
        code, _ = ark_error(response)
        text = error_text(response)
        return f"{code}: {text}" if code and code not in text else text

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return "SensitiveContent" in ark_error(response)[0]

    # -- the job ---------------------------------------------------------------
    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as ModelArk's create-task body (parameters as body fields)."""
        o = job.options
        t2v, i2v = ARK_MODELS[o.get("model") or "pro"]
        content: list[dict[str, Any]] = [{"type": "text", "text": job.inputs.text or ""}]
        if job.inputs.image:  # a URL or a data: URI (base64); ModelArk takes both
            content.append(
                {"type": "image_url", "image_url": {"url": job.inputs.image}, "role": "first_frame"}
            )
        body: dict[str, Any] = {
            "model": i2v if job.inputs.image else t2v,
            "content": content,
            "resolution": o.get("resolution") or "1080p",
            "ratio": o.get("aspectRatio") or "16:9",
            "duration": int(o.get("duration") or 5),
            "camera_fixed": bool(o.get("cameraFixed")),
        }
        if o.get("seed") is not None:
            body["seed"] = o["seed"]
        return body

    def submit(self, job: JobRequest) -> JobState:
        if self.route == "fal":
            return self.fal.submit(job)
        data = self.json("POST", TASKS, json=self.body(job))
        if not data.get("id"):
            raise TransientProviderError("ModelArk answered without a task id.")
        return JobState("pending", {"route": "ark", "id": data["id"]})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        if handle.get("route") == "fal":
            return self.fal.poll(job, handle)
        data = self.json("GET", f"{TASKS}/{handle['id']}")
        status = data.get("status")
        if status == "queued":
            return JobState("pending", dict(handle))
        if status == "running":
            return JobState("running", dict(handle), RUNNING_PROGRESS)
        if status == "succeeded":
            url = (data.get("content") or {}).get("video_url")
            if not url:
                raise PermanentProviderError("ModelArk reported success without a video.")
            return JobState("succeeded", dict(handle), 100, Output("video/mp4", url=url))
        if status in ("failed", "cancelled", "expired"):
            return JobState("failed", dict(handle), error=task_error(status, data.get("error")))
        raise TransientProviderError(f"ModelArk reported an unknown task status {status!r}.")

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """DELETE the task; True when ModelArk accepted it (only while it is queued)."""
        if handle.get("route") == "fal":
            return self.fal.cancel(job, handle)
        if not handle.get("id"):
            return False
        try:
            self.call("DELETE", f"{TASKS}/{handle['id']}")
        except ProviderError as exc:  # already running or finished, or ModelArk unreachable
            log.info("ModelArk did not cancel %s: %s", handle.get("id"), exc.message)
            return False
        return True


def ark_error(response: requests.Response) -> tuple[str, str]:
    """(code, message) from ModelArk's ``{error: {code, message}}`` body, or ("", "")."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", str(error)
    return str(error.get("code") or ""), str(error.get("message") or "")


def task_error(status: str, error: Mapping[str, Any] | None) -> ProviderError:
    """The error for a task that ended failed, cancelled or expired."""
    code = str((error or {}).get("code") or "")
    message = str((error or {}).get("message") or "") or f"the task was {status}"
    detail = f"{code}: {message}" if code else message
    if status == "expired":  # ModelArk never ran it in time: a capacity problem
        return TransientProviderError(f"ModelArk let the task expire: {detail}", vendor_code=code)
    return PermanentProviderError(
        f"ModelArk failed the job: {detail}",
        vendor_code=code or None,
        moderated="SensitiveContent" in code,
    )
