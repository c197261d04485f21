"""HeyGen stock avatars: ``heygen`` (a presenter reads input.text).

Docs: https://docs.heygen.com/reference/create-an-avatar-video-v2,
https://docs.heygen.com/reference/video-status and
https://docs.heygen.com/reference/delete-a-video.

- Base ``https://api.heygen.com``; auth ``X-Api-Key: <HEYGEN_API_KEY>``.
- Submit: ``POST /v2/video/generate {video_inputs: [{character: {type: "avatar",
  avatar_id, avatar_style}, voice: {type: "text", input_text, voice_id, speed
  (0.5–1.5), emotion?}, background: {type: "color", value} | {type: "image", url}}],
  dimension: {width, height}}`` → ``{error, data: {video_id}}``.
- Poll: ``GET /v1/video_status.get?video_id=`` → ``{code: 100, data: {status:
  pending|waiting|processing|completed|failed, video_url, thumbnail_url, duration
  (seconds), error: {code, message, detail}}}``. ``video_url`` lasts 7 days.
- Errors also come in HTTP 200 bodies: ``code`` ≠ 100 (v1) or a non-null ``error``
  ``{code, message}`` (v2); 4xx bodies have the same shapes.
- Cancel: ``DELETE /v1/video.delete?video_id=`` (deletes the video, stopping it).
"""

from __future__ import annotations

import re
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
from providers.vendors.base import VendorAdapter, error_text

# ---------------------------------------------------------------------------
# Configuration: our friendly names → HeyGen ids. These are public HeyGen stock
# ids; check them against GET /v2/avatars and GET /v2/voices for the account
# (HeyGen retires looks now and then) and change them here.
# ---------------------------------------------------------------------------
# avatarId → (HeyGen avatar_id, default voice name). There is no public "Kate";
# kate is Kristin's professional look.
AVATARS: dict[str, tuple[str, str]] = {
    "kate": ("Kristin_public_2_20240108", "professional_female"),
    "josh": ("josh_lite3_20230714", "professional_male"),
    "anna": ("Anna_public_3_20240108", "professional_female"),
    "daisy": ("Daisy-inskirt-20220818", "professional_female"),
    "tyler": ("Tyler-incasualsuit-20220721", "professional_male"),
    "monica": ("Monica_inSleeveless_20220819", "professional_female"),
    "eric": ("Eric_public_pro2_20230608", "professional_male"),
    "lily": ("Lily_public_pro1_20230614", "professional_female"),
}
# input.voice → HeyGen voice_id. A HeyGen voice id (32 hex digits) is sent unchanged.
VOICES: dict[str, str] = {
    "professional_female": "1bd001e7e50f421d891986aad5158bc8",
    "professional_male": "2d5b0e6cf36f460aa7fc47e3eee4ba54",
}
# background → ("color", "#rrggbb") or ("image", URL of a hosted picture). The scene
# pictures are ours to host: until an image URL is configured, a scene is drawn as
# the plain colour that suits it.
BACKGROUNDS: dict[str, tuple[str, str]] = {
    "white": ("color", "#FFFFFF"),
    "green_screen": ("color", "#00B140"),
    "modern_office": ("color", "#E6E9ED"),
    "home_office": ("color", "#EFE6DA"),
    "studio": ("color", "#2B2F36"),
    "living_room": ("color", "#E9E1D4"),
    "classroom": ("color", "#DDE7DF"),
}
# gesture → (avatar_style, voice emotion). HeyGen has no gesture field: the voice's
# emotion (for voices that support one) and the framing carry the style.
GESTURES: dict[str, tuple[str, str | None]] = {
    "neutral": ("normal", None),
    "friendly": ("normal", "Friendly"),
    "professional": ("normal", "Serious"),
    "enthusiastic": ("normal", "Excited"),
    "calm": ("normal", "Soothing"),
}
# (aspectRatio, resolution) → output size in pixels.
SHORT_SIDE = {"720p": 720, "1080p": 1080}
VOICE_ID = re.compile(r"^[0-9a-f]{32}$", re.I)
OK = 100
MODERATION_WORDS = ("moderat", "inappropriate", "violat", "nsfw", "content policy")


class HeygenAdapter(VendorAdapter):
    """HeyGen avatar videos through the v2 generate and v1 status endpoints."""

    vendor = "HeyGen"
    base_url = "https://api.heygen.com"

    def auth_headers(self) -> dict[str, str]:
        return {"X-Api-Key": self.credentials.get("HEYGEN_API_KEY", "")}

    def error_detail(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return error_text(response)
        return message_of(body) or error_text(response)

    def is_moderation(self, response: requests.Response, detail: str) -> bool:
        return any(word in detail.lower() for word in MODERATION_WORDS)

    # -- request ----------------------------------------------------------------
    def body(self, job: JobRequest) -> dict[str, Any]:
        """Our request as HeyGen's v2 body."""
        o = job.options
        avatar_id, default_voice = AVATARS[o.get("avatarId") or "kate"]
        style, emotion = GESTURES[o.get("gesture") or "neutral"]
        voice: dict[str, Any] = {
            "type": "text",
            "input_text": job.inputs.text or "",
            "voice_id": voice_id(job.inputs.voice or default_voice),
            "speed": float(o.get("speed") or 1.0),
        }
        if emotion:
            voice["emotion"] = emotion
        kind, value = BACKGROUNDS[o.get("background") or "white"]
        background = {"type": kind, "value" if kind == "color" else "url": value}
        return {
            "video_inputs": [
                {
                    "character": {"type": "avatar", "avatar_id": avatar_id, "avatar_style": style},
                    "voice": voice,
                    "background": background,
                }
            ],
            "dimension": dimension(o.get("aspectRatio") or "16:9", o.get("resolution") or "720p"),
        }

    def checked(self, data: Any) -> dict[str, Any]:
        """A 200 body, or the error hidden in it raised as a ProviderError."""
        if not isinstance(data, dict):
            raise TransientProviderError("HeyGen answered with an unexpected body.")
        code = data.get("code")
        if data.get("error") or (code is not None and code != OK):
            raise body_error(data, code)
        return data

    def submit(self, job: JobRequest) -> JobState:
        data = self.checked(self.json("POST", "/v2/video/generate", json=self.body(job)))
        video_id = (data.get("data") or {}).get("video_id")
        if not video_id:
            raise TransientProviderError("HeyGen accepted the video without a video_id.")
        return JobState("pending", {"id": str(video_id)})

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        data = self.checked(
            self.json("GET", "/v1/video_status.get", params={"video_id": handle["id"]})
        )
        info = data.get("data") or {}
        status = str(info.get("status") or "").lower()
        if status == "completed":
            if not info.get("video_url"):
                raise PermanentProviderError("HeyGen reported the video done without a URL.")
            metadata = {"duration": info["duration"]} if info.get("duration") else {}
            output = Output("video/mp4", url=info["video_url"], metadata=metadata)
            return JobState("succeeded", dict(handle), 100, output)
        if status == "failed":
            error = info.get("error")
            detail = message_of(error) if error else "no details"
            moderated = any(word in detail.lower() for word in MODERATION_WORDS)
            what = "refused the content" if moderated else "failed the video"
            return JobState(
                "failed",
                dict(handle),
                error=PermanentProviderError(f"HeyGen {what}: {detail}", moderated=moderated),
            )
        return JobState("running" if status == "processing" else "pending", dict(handle), 0)

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """Delete the video at HeyGen (its documented way to stop one); True if accepted."""
        if not handle.get("id"):
            return False
        response = self.call("DELETE", "/v1/video.delete", params={"video_id": handle["id"]})
        try:
            code = response.json().get("code")
        except (ValueError, AttributeError):
            code = None
        return code in (None, OK)

    def poll_interval(self, attempt: int) -> float:
        return min(5.0 * (1.4 ** (attempt - 1)), 30.0)


def voice_id(name: str) -> str:
    """HeyGen's voice_id for our voice name (or a HeyGen voice id passed through)."""
    name = name.strip()
    if VOICE_ID.match(name):
        return name
    try:
        return VOICES[name.lower()]
    except KeyError:
        raise PermanentProviderError(
            f"HeyGen has no voice called {name!r}; use one of {', '.join(sorted(VOICES))} "
            "or a HeyGen voice id."
        ) from None


def dimension(aspect_ratio: str, resolution: str) -> dict[str, int]:
    """{width, height} in pixels: the short side from the resolution, e.g. 1280×720."""
    short = SHORT_SIDE.get(resolution, 720)
    wide, tall = (int(part) for part in aspect_ratio.split(":"))
    long_side = round(short * max(wide, tall) / min(wide, tall))
    width, height = (long_side, short) if wide >= tall else (short, long_side)
    return {"width": width, "height": height}


def message_of(body: Any) -> str:
    """HeyGen's message from ``{error: {code, message}}``, ``{code, message}`` or a string."""
    if isinstance(body, str):
        return body
    if not isinstance(body, dict):
        return ""
    inner = body.get("error")
    if isinstance(inner, dict | str) and inner:
        return message_of(inner)
    text = body.get("message") or body.get("msg") or body.get("detail") or ""
    code = body.get("code")
    return f"{text} (code {code})" if text and code not in (None, OK) else str(text)


def body_error(data: Mapping[str, Any], code: Any) -> ProviderError:
    """The class of an error HeyGen returned with HTTP 200."""
    detail = message_of(data) or f"code {code}"
    if any(word in detail.lower() for word in MODERATION_WORDS):
        return PermanentProviderError(f"HeyGen refused the content: {detail}", moderated=True)
    if "rate" in detail.lower() and "limit" in detail.lower():
        return TransientProviderError(f"HeyGen is busy: {detail}", vendor_code=str(code))
    return PermanentProviderError(f"HeyGen rejected the request: {detail}", vendor_code=str(code))
