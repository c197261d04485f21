"""MiniMax: ``minimax`` (Hailuo-02 text/image→video) and ``minimax-image`` (image-01).

Docs: https://platform.minimax.io/docs/api-reference/video-generation and
https://platform.minimax.io/docs/api-reference/image-generation (OpenAPI:
https://platform.minimax.io/docs/api-reference/video/generation/api/openapi.json).

- Base ``https://api.minimax.io``; auth ``Authorization: Bearer <MINIMAX_API_KEY>``.
- Video: ``POST /v1/video_generation`` ``{model, prompt, duration (6|10, seconds),
  resolution ("512P"|"768P"|"1080P"), prompt_optimizer, first_frame_image}`` →
  ``{task_id, base_resp}``; poll ``GET /v1/query/video_generation?task_id=`` →
  ``{status: Preparing|Queueing|Processing|Success|Fail, file_id, video_width,
  video_height}``; then ``GET /v1/files/retrieve?file_id=`` → ``file.download_url``
  (valid about 9 h: the pipeline copies it at once).
- Image (synchronous): ``POST /v1/image_generation`` ``{model: "image-01", prompt,
  aspect_ratio, n: 1, response_format: "url", prompt_optimizer, seed}`` →
  ``data.image_urls[]`` (JPEG, valid 24 h) or ``data.image_base64[]``.
- Errors hide in HTTP 200 bodies: ``base_resp.status_code`` ≠ 0 (1002 rate limit,
  1004/2049 auth, 1008 balance, 1026/1027 sensitive input/output, 2013 bad
  parameters). MiniMax has no cancel endpoint.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    TransientProviderError,
)
from providers.vendors.base import VendorAdapter

VIDEO_MODEL = "MiniMax-Hailuo-02"
IMAGE_MODEL = "image-01"
# base_resp.status_code values.
TRANSIENT_CODES = frozenset({1000, 1001, 1002, 1013})  # unknown, timeout, rate limit, internal
AUTH_CODES = frozenset({1004, 2049})
BALANCE_CODES = frozenset({1008})
MODERATION_CODES = frozenset({1026, 1027})  # sensitive input / sensitive output
# Coarse progress (0-100) for MiniMax's statuses, which carry no percentage.
VIDEO_PROGRESS = {"Preparing": 0, "Queueing": 5, "Processing": 50}


def check_base_resp(body: Any) -> None:
    """Raise the right ProviderError for a ``base_resp.status_code`` other than 0."""
    base = body.get("base_resp") if isinstance(body, dict) else None
    base = base if isinstance(base, dict) else {}
    try:
        code = int(base.get("status_code") or 0)
    except (TypeError, ValueError):
        code = -1
    if code == 0:
        return
    msg = base.get("status_msg") or "no details"
    vendor_code = str(code)
    if code in MODERATION_CODES:
        raise PermanentProviderError(
            f"MiniMax refused the content ({code}): {msg}", vendor_code=vendor_code, moderated=True
        )
    if code in TRANSIENT_CODES:
        raise TransientProviderError(
            f"MiniMax is busy or failing ({code}): {msg}", vendor_code=vendor_code
        )
    if code in AUTH_CODES:
        raise PermanentProviderError(
            f"MiniMax rejected Doitong's credentials ({code}): {msg}", vendor_code=vendor_code
        )
    if code in BALANCE_CODES:
        raise PermanentProviderError(
            f"MiniMax refused the job: the account balance is too low ({code}): {msg}",
            vendor_code=vendor_code,
        )
    raise PermanentProviderError(
        f"MiniMax rejected the request ({code}): {msg}", vendor_code=vendor_code
    )


def with_hint(prompt: str, hint: str | None, limit: int) -> str:
    """``prompt`` with a prompt hint appended, unless it would pass ``limit`` characters."""
    if not hint:
        return prompt
    combined = f"{prompt.rstrip().rstrip('.,;')}, {hint}" if prompt.strip() else hint
    return combined if len(combined) <= limit else prompt


class MinimaxAdapter(VendorAdapter):
    """Shared MiniMax plumbing: Bearer auth and the ``base_resp`` check."""

    vendor = "MiniMax"
    base_url = "https://api.minimax.io"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.get('MINIMAX_API_KEY', '')}"}

    def api(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """`json`, then the hidden-error check of the 200 body."""
        body = self.json(method, path, **kwargs)
        if not isinstance(body, dict):
            raise TransientProviderError("MiniMax answered with an unexpected body.")
        check_base_resp(body)
        return body


class MinimaxVideoAdapter(MinimaxAdapter):
    """Hailuo-02 text→video, or image→video with ``input.image`` as the first frame."""

    def body(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        duration = int(o.get("duration") or 6)
        resolution = str(o.get("resolution") or "768p").upper()
        if resolution == "1080P" and duration == 10:
            resolution = "768P"  # MiniMax renders 10-second clips at 768P only
        # MiniMax has no style parameter: the catalogue declares it a prompt hint.
        style = o.get("style")
        hint = f"{style.replace('-', ' ')} style" if style else None
        body: dict[str, Any] = {
            "model": VIDEO_MODEL,
            "prompt": with_hint(job.inputs.text or "", hint, self.spec.max_text_length),
            "duration": duration,
            "resolution": resolution,
            "prompt_optimizer": bool(o.get("promptOptimizer", True)),
        }
        if job.inputs.image:
            body["first_frame_image"] = job.inputs.image  # a URL or a data: URI
        # aspectRatio is 16:9 only (i2v follows the image): MiniMax has no field for it.
        return body

    def submit(self, job: JobRequest) -> JobState:
        data = self.api("POST", "/v1/video_generation", json=self.body(job))
        if not data.get("task_id"):
            raise TransientProviderError("MiniMax answered without a task id.")
        return JobState("pending", {"id": str(data["task_id"])})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.api("GET", "/v1/query/video_generation", params={"task_id": handle["id"]})
        status = data.get("status")
        if status == "Success":
            return self.finished(data, handle)
        if status == "Fail":
            msg = (data.get("base_resp") or {}).get("status_msg") or "no details"
            error = PermanentProviderError(f"MiniMax failed the job: {msg}")
            return JobState("failed", dict(handle), error=error)
        progress = VIDEO_PROGRESS.get(str(status), 0)
        return JobState("running" if status == "Processing" else "pending", dict(handle), progress)

    def finished(self, data: Mapping[str, Any], handle: Mapping[str, Any]) -> JobState:
        file_id = data.get("file_id")
        if not file_id:
            raise PermanentProviderError("MiniMax reported Success without a file id.")
        found = self.api("GET", "/v1/files/retrieve", params={"file_id": file_id})
        url = (found.get("file") or {}).get("download_url")
        if not url:
            raise PermanentProviderError("MiniMax returned the file without a download URL.")
        metadata = {
            k: int(data[v])
            for k, v in (("width", "video_width"), ("height", "video_height"))
            if data.get(v)
        }
        output = Output("video/mp4", url=url, metadata=metadata)
        return JobState("succeeded", {**handle, "file_id": str(file_id)}, 100, output)

    def poll_interval(self, attempt: int) -> float:
        return min(5.0 * (1.5 ** (attempt - 1)), 30.0)


class MinimaxImageAdapter(MinimaxAdapter):
    """image-01 text→image; synchronous, so ``submit`` returns the finished job."""

    def body(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        body: dict[str, Any] = {
            "model": IMAGE_MODEL,
            "prompt": job.inputs.text or "",
            "aspect_ratio": o.get("aspectRatio") or "1:1",
            "n": 1,
            "response_format": "url",
            "prompt_optimizer": bool(o.get("promptOptimizer", False)),
        }
        if o.get("seed") is not None:
            body["seed"] = int(o["seed"])
        return body  # outputFormat is "jpeg" only: MiniMax has no field for it

    def submit(self, job: JobRequest) -> JobState:
        data = self.api("POST", "/v1/image_generation", json=self.body(job))
        images = data.get("data") or {}
        handle = {"id": str(data.get("id") or "")}
        if images.get("image_urls"):
            return JobState(
                "succeeded", handle, 100, Output("image/jpeg", url=images["image_urls"][0])
            )
        if images.get("image_base64"):
            try:
                content = base64.b64decode(images["image_base64"][0])
            except (binascii.Error, ValueError) as exc:
                raise PermanentProviderError(
                    "MiniMax returned an image that is not base64."
                ) from exc
            return JobState("succeeded", handle, 100, Output("image/jpeg", content=content))
        if int((data.get("metadata") or {}).get("failed_count") or 0):
            # MiniMax drops images that fail its content check and counts them here.
            raise PermanentProviderError(
                "MiniMax refused the content: the image failed its content check.",
                moderated=True,
            )
        raise PermanentProviderError("MiniMax answered without an image.")
