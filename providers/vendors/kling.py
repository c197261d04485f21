"""Kling (Kuaishou): ``kling`` (text→video, or image→video with input.image) and
``kling-animation`` (image→video).

Docs (the global developer site):
- text→video: https://app.klingai.com/global/dev/document-api/apiReference/model/textToVideo
- image→video: https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo
- auth and error codes: https://app.klingai.com/global/dev/document-api/apiReference/commonInfo

- Base URL ``https://api-singapore.klingai.com``.
- Auth: ``Authorization: Bearer <jwt>``; the JWT is signed HS256 with the secret key,
  claims ``iss`` = access key, ``exp`` = now + 1800 s, ``nbf`` = now − 5 s. A fresh token
  is made for every call, so it never expires between polls.
- Submit: ``POST /v1/videos/{text2video|image2video}``; poll:
  ``GET /v1/videos/{text2video|image2video}/{task_id}``. No cancel endpoint.
- Every answer is ``{code, message, request_id, data}``; ``code`` ≠ 0 is an error even
  on HTTP 200, and it is the code (not the HTTP status) that decides the error class:
  HTTP 429 with code 1102 means the account has no credit left, which no retry fixes.
- ``data.task_status``: submitted, processing, succeed, failed;
  ``data.task_result.videos[0].url`` is an MP4 kept for 30 days (copied at once anyway).
- ``duration`` is the string "5" or "10"; ``cfg_scale`` (0–1) is not sent to v2 models;
  image→video has no ``aspect_ratio`` (the video keeps the image's shape) and takes
  ``image`` as a URL or bare base64 (no ``data:`` prefix), JPG/PNG, ≤10 MB, ≥300 px.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt
import requests

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)
from providers.vendors.base import VendorAdapter, decode_data_uri, retry_after_seconds

# Our model names -> Kling `model_name`.
MODELS = {
    "v1": "kling-v1",
    "v1.5": "kling-v1-5",
    "v1.6": "kling-v1-6",
    "v2-master": "kling-v2-master",
    "v2.1": "kling-v2-1",
    "v2.1-master": "kling-v2-1-master",
}
TOKEN_LIFETIME = 1800  # seconds
# Words in a failed task's `task_status_msg` that mean Kling's content review refused it.
MODERATION_WORDS = ("risk", "safety", "security", "sensitive", "policy", "inappropriate")


def kling_error(code: int, message: str, retry_after: float | None = None) -> ProviderError:
    """The error class for one of Kling's own ``code`` values (see commonInfo)."""
    detail = f"(code {code}): {message or 'no details'}"
    vendor_code = str(code)
    if 1000 <= code <= 1004:
        return PermanentProviderError(
            f"Kling rejected Doitong's credentials {detail}", vendor_code=vendor_code
        )
    if code in (1101, 1102):  # arrears, or the resource pack is used up
        return PermanentProviderError(
            f"Kling could not take the job: the vendor account is out of credit {detail}",
            vendor_code=vendor_code,
        )
    if code in (1100, 1103, 1304):  # account exception, no access, IP allow-list
        return PermanentProviderError(
            f"Kling refused Doitong's account {detail}", vendor_code=vendor_code
        )
    if code in (1300, 1301):  # platform policy, content security policy
        return PermanentProviderError(
            f"Kling refused the content {detail}", vendor_code=vendor_code, moderated=True
        )
    if code in (1302, 1303):  # request rate, parallel-task limit (per account)
        return TransientProviderError(
            f"Kling is busy: too many requests or parallel tasks {detail}",
            vendor_code=vendor_code,
            retry_after=retry_after,
        )
    if code >= 5000:  # server error, unavailable, timeout
        return TransientProviderError(
            f"Kling is failing {detail}", vendor_code=vendor_code, retry_after=retry_after
        )
    return PermanentProviderError(f"Kling rejected the request {detail}", vendor_code=vendor_code)


def _code(body: Any) -> int | None:
    if isinstance(body, dict) and isinstance(body.get("code"), int):
        return body["code"]
    return None


class KlingAdapter(VendorAdapter):
    """Kling text→video and image→video through the asynchronous task API."""

    vendor = "Kling"
    base_url = "https://api-singapore.klingai.com"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def token(self, now: float | None = None) -> str:
        """A JWT (HS256) for the access key, valid from now − 5 s to now + 1800 s."""
        now = int(time.time() if now is None else now)
        claims = {
            "iss": self.credentials.get("KLING_ACCESS_KEY", ""),
            "exp": now + TOKEN_LIFETIME,
            "nbf": now - 5,
        }
        secret = self.credentials.get("KLING_SECRET_KEY", "")
        return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": "JWT"})

    def classify(self, response: requests.Response) -> ProviderError | None:
        """Kling's own ``code`` decides the class, whatever the HTTP status."""
        try:
            body = response.json()
        except ValueError:
            return None
        code = _code(body)
        if not code:
            return None
        return kling_error(code, str(body.get("message") or ""), retry_after_seconds(response))

    def call_data(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """`json`, then the hidden error check: ``code`` ≠ 0 in a 200 body raises."""
        body = self.json(method, path, **kwargs)
        code = _code(body)
        if code:
            raise kling_error(code, str(body.get("message") or ""))
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise TransientProviderError("Kling answered without a `data` object.")
        return data

    # -- request ----------------------------------------------------------------
    @staticmethod
    def kind(job: JobRequest) -> str:
        """The endpoint: image2video when there is an input image, else text2video."""
        return "image2video" if job.inputs.image else "text2video"

    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as Kling's JSON body (snake_case; duration as a string)."""
        o = job.options
        model = MODELS[o.get("model") or "v1.6"]
        body: dict[str, Any] = {
            "model_name": model,
            "mode": o.get("mode") or "std",
            "duration": str(o.get("duration") or 5),
        }
        if job.inputs.text:
            body["prompt"] = job.inputs.text
        if o.get("negativePrompt"):
            body["negative_prompt"] = o["negativePrompt"]
        if o.get("cfgScale") is not None and not model.startswith("kling-v2"):
            body["cfg_scale"] = o["cfgScale"]
        if self.kind(job) == "image2video":
            body["image"] = self.image(job.inputs.image or "")
        else:
            body["aspect_ratio"] = o.get("aspectRatio") or "16:9"
        if job.webhook_hint:
            body["callback_url"] = job.webhook_hint
        return body

    @staticmethod
    def image(value: str) -> str:
        """An http(s) URL as is; a data: URI as the bare base64 Kling wants."""
        if not value.startswith("data:"):
            return value
        _, content_type = decode_data_uri(value)  # validates the payload
        if content_type not in ("image/jpeg", "image/jpg", "image/png"):
            raise PermanentProviderError(
                f"Kling takes a JPG or PNG input.image, not {content_type}."
            )
        return value.partition(",")[2]

    # -- contract -----------------------------------------------------------------
    def submit(self, job: JobRequest) -> JobState:
        kind = self.kind(job)
        data = self.call_data("POST", f"/v1/videos/{kind}", json=self.body(job))
        if not data.get("task_id"):
            raise TransientProviderError("Kling answered without a task id.")
        return JobState("pending", {"id": data["task_id"], "kind": kind})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.call_data("GET", f"/v1/videos/{handle['kind']}/{handle['id']}")
        status = data.get("task_status")
        if status == "succeed":
            videos = (data.get("task_result") or {}).get("videos") or []
            url = videos[0].get("url") if videos else None
            if not url:
                raise PermanentProviderError("Kling reported success without a video.")
            return JobState("succeeded", dict(handle), 100, Output("video/mp4", url=url))
        if status == "failed":
            message = data.get("task_status_msg") or "no reason given"
            moderated = any(word in message.lower() for word in MODERATION_WORDS)
            error = PermanentProviderError(
                f"Kling failed the job: {message}", vendor_code="failed", moderated=moderated
            )
            return JobState("failed", dict(handle), error=error)
        return JobState("running" if status == "processing" else "pending", dict(handle))

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        return False  # Kling has no cancel endpoint

    def poll_interval(self, attempt: int) -> float:
        return min(5.0 * (1.5 ** (attempt - 1)), 30.0)
