"""Checking a request against a catalogue entry's declaration.

Every rule here raises `InvalidInput` with the offending field named, before
any credits are held or rows written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from providers.base import Inputs, InvalidInput, ProviderSpec
from providers.ssrf import UnsafeURL, check_url

# The reserved option that steers the sandbox (test keys only); see docs/test-mode.md.
SANDBOX_OPTION = "sandbox"
SANDBOX_OUTCOMES = ("succeed", "fail", "moderated", "unavailable")
MEDIA_FIELDS = ("image", "audio", "video")
MAX_URL_LENGTH = 2048


def check_inputs(inputs: Inputs, mode: str = "live") -> None:
    """Checks that do not depend on the provider: URL shape, SSRF safety, lengths.

    Media URLs must be public http(s) addresses (`providers.ssrf.check_url`). In test
    mode a host that does not resolve is accepted, since the sandbox never fetches it.
    """
    for name in MEDIA_FIELDS:
        value = getattr(inputs, name)
        if value is None:
            continue
        if value.startswith("data:"):
            if len(value) > 15 * 1024 * 1024:
                raise InvalidInput(f"input.{name} is larger than 10 MB.", field=f"input.{name}")
            continue
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(
                f"input.{name} must be an http(s) URL or a data: URI.", field=f"input.{name}"
            )
        if len(value) > MAX_URL_LENGTH:
            raise InvalidInput(
                f"input.{name} must be at most {MAX_URL_LENGTH} characters.", field=f"input.{name}"
            )
        try:
            check_url(value, must_resolve=mode == "live")
        except UnsafeURL as exc:
            raise InvalidInput(
                f"input.{name} is not allowed: {exc.message}", field=f"input.{name}"
            ) from exc
    if inputs.voice is not None and len(inputs.voice) > 100:
        raise InvalidInput("input.voice must be at most 100 characters.", field="input.voice")


def clean_options(
    spec: ProviderSpec, inputs: Inputs, options: Mapping[str, Any] | None, *, mode: str
) -> dict[str, Any]:
    """Validate ``inputs`` and ``options`` for ``spec``; return options with defaults.

    Raises `InvalidInput` for a missing required input, a too-long prompt, an
    image on an entry that takes none (or none on one that needs one), an
    unknown option, a bad value, or a violated cross-field rule.
    """
    _check_inputs_for(spec, inputs)
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise InvalidInput("options must be a JSON object.", field="options")
    cleaned: dict[str, Any] = {}
    declared = {opt.name for opt in spec.options}
    for name, value in options.items():
        if name == SANDBOX_OPTION:
            cleaned[name] = _clean_sandbox(value, mode)
        elif name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise InvalidInput(
                f"options.{name} is not an option of {spec.id}. Its options are: {known}.",
                field=f"options.{name}",
            )
        elif value is not None:
            cleaned[name] = spec.option(name).clean(value)  # type: ignore[union-attr]
    for opt in spec.options:
        if opt.name not in cleaned:
            if opt.required:
                raise InvalidInput(
                    f"options.{opt.name} is required for {spec.id}.", field=f"options.{opt.name}"
                )
            if opt.default is not None:
                cleaned[opt.name] = opt.default
    for rule in spec.rules:
        message = rule(cleaned, inputs)
        if message:
            raise InvalidInput(message, field="options")
    return cleaned


def _check_inputs_for(spec: ProviderSpec, inputs: Inputs) -> None:
    for name in spec.required_inputs:
        if not getattr(inputs, name, None):
            raise InvalidInput(f"input.{name} is required for {spec.id}.", field=f"input.{name}")
    if inputs.text is not None and len(inputs.text) > spec.max_text_length:
        raise InvalidInput(
            f"input.text is {len(inputs.text)} characters; {spec.id} accepts at most "
            f"{spec.max_text_length}.",
            field="input.text",
        )
    if spec.image_input == "required" and not inputs.image:
        raise InvalidInput(
            f"{spec.id} animates an image: input.image is required.", field="input.image"
        )
    if spec.image_input == "none" and inputs.image:
        raise InvalidInput(f"{spec.id} does not take input.image.", field="input.image")


def _clean_sandbox(value: Any, mode: str) -> str:
    if mode != "test":
        raise InvalidInput(
            "options.sandbox is only accepted with a dt_test_ key.", field="options.sandbox"
        )
    if value not in SANDBOX_OUTCOMES:
        raise InvalidInput(
            f"options.sandbox must be one of: {', '.join(SANDBOX_OUTCOMES)}.",
            field="options.sandbox",
        )
    return value
