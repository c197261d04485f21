"""Shared option builders and rule helpers for the catalogue modules.

Option names follow the normalised vocabulary the sandbox and validation rely
on: ``duration``, ``aspectRatio``, ``resolution``, ``width``/``height``,
``outputFormat``, ``seed``, ``negativePrompt``, ``model``, ``mode``, ``voice``
and ``speed``. Each builder returns a plain `OptionSpec`; catalogue modules
only fill in the vendor's allowed values and defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from providers.base import Inputs, OptionSpec, Rule

CREDITS_PER_USD = 2000
"""1 credit ≈ $0.0005 of vendor cost."""

SEED_MAX = 4_294_967_294
"""The largest seed every vendor accepts (Stability caps at 2**32 - 2)."""


def usd(amount: float) -> int:
    """Credits for a vendor cost given in US dollars."""
    return round(amount * CREDITS_PER_USD)


# --------------------------------------------------------------------------
# Option builders
# --------------------------------------------------------------------------


def _enum(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def model_option(values: Iterable[str], default: str, description: str) -> OptionSpec:
    return OptionSpec(
        name="model",
        type="string",
        description=description,
        allowed_values=_enum(values),
        default=default,
    )


def duration_option(
    values: Iterable[int], default: int, description: str | None = None
) -> OptionSpec:
    allowed = _enum(values)
    shown = ", ".join(str(v) for v in allowed)
    return OptionSpec(
        name="duration",
        type="integer",
        description=description or f"Length of the video in seconds ({shown}).",
        allowed_values=allowed,
        default=default,
        unit="seconds",
    )


def aspect_ratio_option(
    values: Iterable[str], default: str, description: str | None = None
) -> OptionSpec:
    return OptionSpec(
        name="aspectRatio",
        type="string",
        description=description or "Output aspect ratio, width:height.",
        allowed_values=_enum(values),
        default=default,
    )


def resolution_option(
    values: Iterable[str], default: str, description: str | None = None
) -> OptionSpec:
    return OptionSpec(
        name="resolution",
        type="string",
        description=description or "Output resolution (height of the frame).",
        allowed_values=_enum(values),
        default=default,
    )


def output_format_option(
    values: Iterable[str], default: str, description: str | None = None
) -> OptionSpec:
    return OptionSpec(
        name="outputFormat",
        type="string",
        description=description or "File format of the result.",
        allowed_values=_enum(values),
        default=default,
    )


def seed_option(description: str | None = None) -> OptionSpec:
    return OptionSpec(
        name="seed",
        type="integer",
        description=description
        or "Random seed; the same seed and inputs give a similar result. Omit for a random seed.",
        minimum=0,
        maximum=SEED_MAX,
    )


def negative_prompt_option(max_length: int = 2000) -> OptionSpec:
    return OptionSpec(
        name="negativePrompt",
        type="string",
        description="What the output should not contain, e.g. 'blurry, text, watermark'.",
        max_length=max_length,
    )


def speed_option(minimum: float, maximum: float, default: float, description: str) -> OptionSpec:
    return OptionSpec(
        name="speed",
        type="number",
        description=description,
        default=default,
        minimum=minimum,
        maximum=maximum,
    )


def boolean_option(name: str, default: bool, description: str) -> OptionSpec:
    return OptionSpec(name=name, type="boolean", description=description, default=default)


def width_height_options() -> tuple[OptionSpec, OptionSpec]:
    """BFL ``width``/``height``: 256-1440 px, multiples of 32 (see `multiple_of_32`)."""

    def one(name: str) -> OptionSpec:
        return OptionSpec(
            name=name,
            type="integer",
            description=(
                f"Image {name} in pixels, 256-1440 and a multiple of 32. Overrides "
                "aspectRatio; when only one of width/height is given, the other follows "
                "aspectRatio. Without both, the size comes from aspectRatio (about 1 MP)."
            ),
            minimum=256,
            maximum=1440,
            unit="pixels",
        )

    return one("width"), one("height")


def safety_tolerance_option() -> OptionSpec:
    return OptionSpec(
        name="safetyTolerance",
        type="integer",
        description="Moderation strictness, 0 (strictest) to 6 (most permissive).",
        default=2,
        minimum=0,
        maximum=6,
    )


def prompt_upsampling_option() -> OptionSpec:
    return boolean_option(
        "promptUpsampling",
        False,
        "Let the vendor rewrite the prompt with more detail before generating.",
    )


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


def multiple_of_32(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    """BFL rejects a width or height that is not a multiple of 32."""
    for name in ("width", "height"):
        value = options.get(name)
        if value is not None and value % 32:
            lower = value - value % 32
            return (
                f"options.{name} must be a multiple of 32 (got {value}); "
                f"try {max(lower, 256)} or {min(lower + 32, 1440)}."
            )
    return None


def needs_image(option: str, values: Iterable[Any], reason: str) -> Rule:
    """A rule rejecting ``options.<option>`` in ``values`` when there is no ``input.image``.

    ``reason`` completes the message, e.g. "works from an image only: add input.image
    or use model 'gen-4.5'".
    """
    blocked = frozenset(values)

    def rule(options: Mapping[str, Any], inputs: Inputs) -> str | None:
        value = options.get(option)
        if value in blocked and not inputs.image:
            return f"options.{option} {value!r} {reason}"
        return None

    rule.__name__ = f"{option}_needs_image"
    return rule


def image_url_only(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    """For vendors that fetch the image themselves and take no inline data."""
    if inputs.image and inputs.image.startswith("data:"):
        return "input.image must be an http(s) URL for this provider; it does not take data: URIs."
    return None
