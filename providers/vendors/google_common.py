"""Shared plumbing for Google's APIs: the API-key header, Google's error shape, safety refusals.

Both the Gemini API (Veo, Imagen) and Cloud Text-to-Speech take an API key in the
``x-goog-api-key`` header (https://cloud.google.com/docs/authentication/api-keys-use)
and answer errors as ``{error: {code, message, status}}``, e.g.
``{"error": {"code": 400, "message": "…", "status": "INVALID_ARGUMENT"}}``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import requests

from providers.base import PermanentProviderError
from providers.vendors.base import VendorAdapter, error_text

# Wording Google uses when its safety filters refuse a prompt or an output.
SAFETY_WORDING = (
    "responsible ai",
    "sensitive words",
    "usage guidelines",
    "safety filter",
    "harmful content",
    "content policy",
)


def looks_moderated(text: str) -> bool:
    """Whether a Google error message is a safety refusal rather than a bad request."""
    lowered = text.lower()
    return any(words in lowered for words in SAFETY_WORDING)


def google_status_text(error: Any) -> str:
    """``{code, message, status}`` → ``"INVALID_ARGUMENT: message"``."""
    if not isinstance(error, dict):
        return str(error)
    message = str(error.get("message") or "no details")
    status = error.get("status")
    return f"{status}: {message}" if status else message


def decode_base64(value: Any, what: str) -> bytes:
    """Decode a base64 field of a Google answer, or fail the job clearly."""
    if not isinstance(value, str) or not value:
        raise PermanentProviderError(f"{what} is missing from the answer.")
    try:
        return base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise PermanentProviderError(f"{what} is not valid base64.") from exc


class GoogleAdapter(VendorAdapter):
    """A Google API authenticated by an API key; subclasses set ``key_name``."""

    vendor = "Google"
    key_name = "GEMINI_API_KEY"

    def api_key(self) -> str:
        return self.credentials.get(self.key_name, "")

    def auth_headers(self) -> dict[str, str]:
        return {"x-goog-api-key": self.api_key()}

    def error_detail(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return error_text(response)
        if isinstance(body, list) and body:
            body = body[0]
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return google_status_text(body["error"])[:500]
        return error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return response.status_code == 400 and looks_moderated(detail)
