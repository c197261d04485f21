"""What a sandbox job renders: dimensions (pixels), duration (seconds) and format.

The plan reads the catalogue's normalised options (``aspectRatio``, ``width``,
``height``, ``duration``, ``outputFormat``, ``speed``) so every entry's sandbox
honours what the client asked for. Videos are rendered small (a 320-pixel long
side) to stay fast; images keep the requested size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from providers.base import GenerationType, Inputs
from providers.pricing import speech_seconds

VIDEO_LONG_SIDE = 320
IMAGE_LONG_SIDE = 1024
DEFAULT_VIDEO_SECONDS = 5


@dataclass(frozen=True)
class MediaPlan:
    kind: str  # "image", "video" or "audio"
    fmt: str  # png/jpeg/webp, mp4, wav/mp3/ogg
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    speech_text: str | None = None


def parse_ratio(value: Any, default: tuple[int, int]) -> tuple[int, int]:
    """``"16:9"`` → (16, 9); anything unparseable gives ``default``."""
    try:
        a, b = (int(part) for part in str(value).split(":"))
    except (TypeError, ValueError):
        return default
    return (a, b) if a > 0 and b > 0 else default


def fit(ratio: tuple[int, int], long_side: int, multiple: int) -> tuple[int, int]:
    """Width and height at ``ratio`` with the longer side ``long_side``."""
    a, b = ratio
    if a >= b:
        w, h = long_side, long_side * b / a
    else:
        w, h = long_side * a / b, long_side
    return (
        max(multiple, round(w / multiple) * multiple),
        max(multiple, round(h / multiple) * multiple),
    )


def plan_for(kind: GenerationType | str, options: Mapping[str, Any], inputs: Inputs) -> MediaPlan:
    """The sandbox output for a request of ``kind`` with cleaned ``options``."""
    ratio = parse_ratio(options.get("aspectRatio"), (16, 9) if kind != "IMAGE" else (1, 1))
    if kind == "IMAGE":
        if options.get("width") and options.get("height"):
            width, height = int(options["width"]), int(options["height"])
        else:
            width, height = fit(ratio, IMAGE_LONG_SIDE, 8)
        fmt = str(options.get("outputFormat") or "png").lower().replace("jpg", "jpeg")
        return MediaPlan("image", fmt, width, height)
    if kind == "AUDIO":
        seconds = speech_seconds(inputs.text or "", float(options.get("speed") or 1.0))
        fmt = str(options.get("outputFormat") or "mp3").lower()
        return MediaPlan("audio", fmt, duration=round(seconds, 2))
    width, height = fit(ratio, VIDEO_LONG_SIDE, 2)
    if kind == "AVATAR":
        seconds = speech_seconds(inputs.text or "Hello", float(options.get("speed") or 1.0))
        return MediaPlan("video", "mp4", width, height, round(seconds, 2), inputs.text or "Hello")
    seconds = float(options.get("duration") or DEFAULT_VIDEO_SECONDS)
    return MediaPlan("video", "mp4", width, height, seconds)
