"""The base of every live vendor adapter: one HTTP seam, credentials, error classes.

`VendorAdapter.call` sends one request through `providers.http.session` with
timeouts and Doitong's User-Agent, never follows redirects, and classifies what
comes back:

- timeouts, connection errors, 429 and 5xx → `TransientProviderError` (retried
  with backoff, or moved to another provider); ``Retry-After`` is kept;
- 400/401/403/404/422 and other 4xx → `PermanentProviderError` (the job fails and
  its credits are released), with the vendor's own message.

Vendors that hide errors in a 200 body (MiniMax ``base_resp``, Kling ``code``,
HeyGen ``code``) check them in their own adapters with `PermanentProviderError`
or `TransientProviderError`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

import requests
from django.conf import settings

from providers.base import (
    JobRequest,
    PermanentProviderError,
    ProviderAdapter,
    ProviderError,
    ProviderSpec,
    TransientProviderError,
)
from providers.http import CONNECT_TIMEOUT, READ_TIMEOUT, download, session
from providers.registry import credentials_for

# HTTP statuses that mean "try again later" at any vendor.
TRANSIENT_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})


class VendorAdapter(ProviderAdapter):
    """An adapter for one vendor HTTP API. Subclasses set ``vendor`` and ``base_url``."""

    vendor: str = "the provider"
    base_url: str = ""

    def __init__(self, spec: ProviderSpec, credentials: Mapping[str, str] | None = None) -> None:
        super().__init__(spec)
        self.credentials: Mapping[str, str] = credentials or credentials_for(spec) or {}
        self.http = session()

    # -- subclasses -------------------------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        """Headers that authenticate every call (override per vendor)."""
        return {}

    def error_detail(self, response: requests.Response) -> str:
        """The vendor's own error message from a non-2xx response body."""
        return error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        """Whether a 4xx answer is a content-moderation refusal (override per vendor)."""
        return False

    def classify(self, response: requests.Response) -> ProviderError | None:
        """The error a non-2xx answer means, when the vendor's body says more than its
        HTTP status (Kling's ``code``: 429 + 1102 is an empty account, not a busy one).
        None lets the status rules below decide."""
        return None

    # -- the seam ---------------------------------------------------------------
    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: float = READ_TIMEOUT,
    ) -> requests.Response:
        """One request to the vendor; returns a 2xx response or raises a ProviderError."""
        all_headers = {**(self.auth_headers() if auth else {}), **(headers or {})}
        try:
            response = self.http.request(
                method,
                self.url(path),
                json=json,
                data=data,
                files=files,
                params=params,
                headers=all_headers,
                timeout=(CONNECT_TIMEOUT, timeout),
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise TransientProviderError(f"{self.vendor} did not answer in time.") from exc
        except requests.ConnectionError as exc:
            raise TransientProviderError(
                f"Could not connect to {self.vendor}: {exc}"[:500]
            ) from exc
        if response.status_code < 300:
            return response
        if (error := self.classify(response)) is not None:
            raise error
        detail = self.error_detail(response)
        status = response.status_code
        if status in TRANSIENT_STATUSES:
            raise TransientProviderError(
                f"{self.vendor} is busy or failing (HTTP {status}): {detail}",
                vendor_code=str(status),
                retry_after=retry_after_seconds(response),
            )
        if self.is_moderation(response, detail):
            raise PermanentProviderError(
                f"{self.vendor} refused the content: {detail}",
                vendor_code=str(status),
                moderated=True,
            )
        if status in (401, 403):
            raise PermanentProviderError(
                f"{self.vendor} rejected Doitong's credentials (HTTP {status}): {detail}",
                vendor_code=str(status),
            )
        raise PermanentProviderError(
            f"{self.vendor} rejected the request (HTTP {status}): {detail}",
            vendor_code=str(status),
        )

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`call`, then decode the JSON body (a non-JSON 2xx body is transient)."""
        response = self.call(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise TransientProviderError(
                f"{self.vendor} answered with a body that is not JSON."
            ) from exc

    # -- inputs -----------------------------------------------------------------
    def fetch_input(self, job: JobRequest, field: str) -> tuple[bytes, str]:
        """The bytes and content type of ``input.<field>`` (a URL or a data: URI)."""
        value = getattr(job.inputs, field)
        if not value:
            raise PermanentProviderError(f"input.{field} is required for {self.spec.id}.")
        if value.startswith("data:"):
            return decode_data_uri(value)
        try:
            return download(value, max_bytes=settings.INPUT_MAX_BYTES, untrusted=True)
        except TransientProviderError as exc:
            raise PermanentProviderError(f"Could not fetch input.{field}: {exc.message}") from exc


def error_text(response: requests.Response, limit: int = 300) -> str:
    """A short, human-readable error from a JSON or text body."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:limit] or "no details"
    return _find_message(body)[:limit] or "no details"


def _find_message(body: Any) -> str:
    if isinstance(body, str):
        return body
    if isinstance(body, list):
        return "; ".join(_find_message(item) for item in body[:3])
    if isinstance(body, dict):
        for key in (
            "message",
            "msg",
            "error",
            "detail",
            "details",
            "failure",
            "status_msg",
            "error_message",
            "errors",
            "base_resp",
        ):
            if body.get(key):
                return _find_message(body[key])
        return ", ".join(f"{k}: {v}" for k, v in list(body.items())[:3])
    return str(body)


def retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def decode_data_uri(value: str) -> tuple[bytes, str]:
    """``data:image/png;base64,…`` → (bytes, "image/png")."""
    header, _, payload = value.partition(",")
    content_type = header[5:].split(";")[0] or "application/octet-stream"
    try:
        return base64.b64decode(payload, validate=False), content_type
    except (binascii.Error, ValueError) as exc:
        raise PermanentProviderError("An input data: URI is not valid base64.") from exc


def as_data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def copy_options(source: Mapping[str, Any], target: dict[str, Any], **names: str) -> None:
    """Copy the options that are set, from our camelCase names to the vendor's names.

    ``copy_options(job.options, body, seed="seed", aspectRatio="aspect_ratio")``
    """
    for ours, theirs in names.items():
        if source.get(ours) is not None:
            target[theirs] = source[ours]
