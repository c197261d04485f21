"""fal.ai queue client, and the entries that run on it: wan (Wan 2.2 A14B) and flux-krea.

Docs:
- Queue API: https://docs.fal.ai/documentation/model-apis/inference/queue
- Model errors: https://fal.ai/docs/documentation/model-apis/errors
- Wan 2.2: https://fal.ai/models/fal-ai/wan/v2.2-a14b/text-to-video/api
  (and https://fal.ai/models/fal-ai/wan/v2.2-a14b/image-to-video/api)
- Flux Krea: https://fal.ai/models/fal-ai/flux/krea/api

The queue:

- Auth: ``Authorization: Key <FAL_KEY>``.
- Submit: ``POST https://queue.fal.run/{model_id}`` with the model's input JSON →
  ``{request_id, status_url, response_url, cancel_url}``. Later calls use those URLs
  as returned (never rebuilt: sub-paths such as ``/text-to-video`` are not part of
  them).
- Status: ``GET {status_url}`` → ``{status, queue_position?, response_url}``; status is
  IN_QUEUE (with ``queue_position``), IN_PROGRESS or COMPLETED. fal reports no
  percentage.
- Result: ``GET {response_url}`` → the model's output JSON. A request that failed in
  the model answers here with its HTTP status and ``{detail: [{loc, msg, type}]}``
  (422 validation, ``type: "content_policy_violation"`` for moderation, 5xx for
  runner failures), which `VendorAdapter.call` classifies.
- Cancel: ``PUT {cancel_url}`` → 202 ``{status: "CANCELLATION_REQUESTED"}``; only a
  request that has not started can be cancelled (otherwise 400 ``ALREADY_COMPLETED``).
- Output files live on fal's CDN (``*.fal.media``); the pipeline copies them at once.
"""

from __future__ import annotations

import logging
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
from providers.sandbox.plan import fit, parse_ratio
from providers.vendors.base import VendorAdapter, copy_options

log = logging.getLogger(__name__)

# fal gives no percentage; a started job shows this much progress.
RUNNING_PROGRESS = 50
MODERATION_TYPES = frozenset({"content_policy_violation"})


class FalQueueAdapter(VendorAdapter):
    """The fal.ai queue: submit, poll status, fetch the result, cancel before start.

    Subclasses implement `model_id` (the fal endpoint id), `arguments` (its input
    JSON) and `output` (the model's result JSON → an `Output`).
    """

    vendor = "fal.ai"
    base_url = "https://queue.fal.run"

    # -- per model -------------------------------------------------------------
    def model_id(self, job: JobRequest) -> str:
        raise NotImplementedError

    def arguments(self, job: JobRequest) -> dict[str, Any]:
        raise NotImplementedError

    def output(self, job: JobRequest, result: Mapping[str, Any]) -> Output:
        raise NotImplementedError

    # -- the seam --------------------------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Key {self.credentials.get('FAL_KEY', '')}"}

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return bool(MODERATION_TYPES & error_types(response))

    # -- the queue -------------------------------------------------------------
    def submit(self, job: JobRequest) -> JobState:
        model = self.model_id(job)
        data = self.json("POST", f"/{model}", json=self.arguments(job))
        if not data.get("request_id") or not data.get("status_url"):
            raise TransientProviderError("fal.ai answered without a request id or status URL.")
        handle = {
            "route": "fal",
            "id": data["request_id"],
            "model": model,
            "status_url": data["status_url"],
            "response_url": data.get("response_url") or data["status_url"].rsplit("/", 1)[0],
            "cancel_url": data.get("cancel_url") or "",
        }
        return JobState("pending", handle)

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.json("GET", handle["status_url"])
        status = data.get("status")
        if status == "IN_QUEUE":
            return JobState("pending", {**handle, "queue_position": data.get("queue_position")})
        if status == "IN_PROGRESS":
            return JobState("running", dict(handle), RUNNING_PROGRESS)
        if status == "COMPLETED":
            # A failed request is COMPLETED too: fetching its result raises the
            # classified error (422 validation, moderation, 5xx).
            result = self.json("GET", handle["response_url"])
            return JobState("succeeded", dict(handle), 100, self.output(job, result))
        if status in ("FAILED", "CANCELED", "CANCELLED"):
            detail = data.get("error") or status.lower()
            error = PermanentProviderError(f"{self.vendor} failed the job: {detail}")
            return JobState("failed", dict(handle), error=error)
        raise TransientProviderError(f"{self.vendor} reported an unknown status {status!r}.")

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """PUT the cancel URL; True when fal accepted it (only before the job started)."""
        if not handle.get("cancel_url"):
            return False
        try:
            data = self.json("PUT", handle["cancel_url"])
        except ProviderError as exc:  # 400 ALREADY_COMPLETED, or fal unreachable
            log.info("fal.ai did not cancel %s: %s", handle.get("id"), exc.message)
            return False
        return data.get("status", "CANCELLATION_REQUESTED") == "CANCELLATION_REQUESTED"

    def video_output(self, result: Mapping[str, Any]) -> Output:
        """``{video: {url, content_type?}}`` → an `Output` to copy."""
        video = result.get("video") or {}
        if not video.get("url"):
            raise PermanentProviderError(f"{self.vendor} finished without a video.")
        return Output(video.get("content_type") or "video/mp4", url=video["url"])


def error_types(response: requests.Response) -> set[str]:
    """The ``type`` of every error in fal's ``{detail: [{loc, msg, type}]}`` body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return set()
    if not isinstance(detail, list):
        return set()
    return {str(item.get("type")) for item in detail if isinstance(item, dict)}


# --------------------------------------------------------------------------
# Wan 2.2 A14B: wan
# --------------------------------------------------------------------------

WAN_TEXT = "fal-ai/wan/v2.2-a14b/text-to-video"
WAN_IMAGE = "fal-ai/wan/v2.2-a14b/image-to-video"
WAN_FPS = 16  # frames per second of the output (fal's default)
WAN_FRAMES = (17, 161)  # fal's num_frames range


def wan_frames(seconds: int, fps: int = WAN_FPS) -> int:
    """Our duration (seconds) → fal's ``num_frames``: seconds × fps + 1, within 17–161.

    5 s at 16 fps is 81 frames (fal's default); 10 s is the 161-frame maximum.
    """
    return max(WAN_FRAMES[0], min(WAN_FRAMES[1], seconds * fps + 1))


class WanAdapter(FalQueueAdapter):
    """Wan 2.2 A14B text-to-video, or image-to-video when ``input.image`` is given."""

    vendor = "fal.ai (Wan 2.2)"

    def model_id(self, job: JobRequest) -> str:
        return WAN_IMAGE if job.inputs.image else WAN_TEXT

    def arguments(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        body: dict[str, Any] = {
            "prompt": job.inputs.text or "",
            "num_frames": wan_frames(int(o.get("duration") or 5)),
            "frames_per_second": WAN_FPS,
            "resolution": o.get("resolution") or "720p",
            "aspect_ratio": o.get("aspectRatio") or "16:9",
        }
        copy_options(o, body, negativePrompt="negative_prompt", seed="seed")
        if job.inputs.image:
            body["image_url"] = job.inputs.image  # a URL or a data: URI; fal takes both
        return body

    def output(self, job: JobRequest, result: Mapping[str, Any]) -> Output:
        return self.video_output(result)


# --------------------------------------------------------------------------
# Flux Krea: flux-krea
# --------------------------------------------------------------------------

KREA_MODEL = "fal-ai/flux/krea"
KREA_SIZES = {  # our aspectRatio → fal's image_size preset (pixels in comments)
    "1:1": "square_hd",  # 1024×1024
    "4:3": "landscape_4_3",  # 1024×768
    "3:4": "portrait_4_3",  # 768×1024
    "16:9": "landscape_16_9",  # 1024×576
    "9:16": "portrait_16_9",  # 576×1024
}


class FluxKreaAdapter(FalQueueAdapter):
    """FLUX.1 Krea [dev] text-to-image, one image per job."""

    vendor = "fal.ai (Flux Krea)"

    def model_id(self, job: JobRequest) -> str:
        return KREA_MODEL

    def image_size(self, ratio: str | None) -> str | dict[str, int]:
        """A preset name, or ``{width, height}`` (multiples of 16, long side 1024)."""
        if (ratio or "1:1") in KREA_SIZES:
            return KREA_SIZES[ratio or "1:1"]
        width, height = fit(parse_ratio(ratio, (1, 1)), 1024, 16)
        return {"width": width, "height": height}

    def arguments(self, job: JobRequest) -> dict[str, Any]:
        o = job.options
        body: dict[str, Any] = {
            "prompt": job.inputs.text or "",
            "image_size": self.image_size(o.get("aspectRatio")),
            "num_images": 1,
            "enable_safety_checker": True,
        }
        copy_options(
            o,
            body,
            steps="num_inference_steps",
            guidance="guidance_scale",
            seed="seed",
            outputFormat="output_format",
        )
        return body

    def output(self, job: JobRequest, result: Mapping[str, Any]) -> Output:
        """``{images: [{url, width, height, content_type}], has_nsfw_concepts: [bool]}``.

        fal's safety checker blanks a flagged image and sets ``has_nsfw_concepts``:
        that is a moderation refusal, not an output.
        """
        if any(result.get("has_nsfw_concepts") or []):
            raise PermanentProviderError(
                "fal.ai's safety checker flagged the image (has_nsfw_concepts).",
                moderated=True,
            )
        images = result.get("images") or []
        if not images or not images[0].get("url"):
            raise PermanentProviderError("fal.ai finished without an image.")
        image = images[0]
        metadata = {k: image[k] for k in ("width", "height") if image.get(k)}
        return Output(image.get("content_type") or "image/*", url=image["url"], metadata=metadata)

    def poll_interval(self, attempt: int) -> float:
        return min(1.0 * (1.5 ** (attempt - 1)), 10.0)
