"""Provider reference pages: one generate call per catalogue entry."""

from __future__ import annotations

from typing import Any

from portal.samples.base import Sample, curl
from portal.samples.docs import IMAGE_QUERY
from providers.base import ProviderSpec

SAMPLE_IMAGE = "https://example.com/portrait.jpg"
PROMPTS = {
    "VIDEO": "A paper boat drifting down a rainy street",
    "IMAGE": "A lighthouse at dawn, golden light",
    "AUDIO": "Welcome to Doitong. Your first generation is ready.",
    "AVATAR": "Hello! I am your new AI presenter.",
}


def provider_sample(spec: ProviderSpec) -> Sample:
    """A curl call of ``spec`` with its default options spelled out."""
    inputs: dict[str, str] = {}
    if "text" in spec.required_inputs or spec.type in ("AUDIO", "AVATAR"):
        inputs["text"] = PROMPTS[str(spec.type)]
    elif spec.image_input == "required":
        inputs["text"] = "Slow, natural motion"
    if spec.image_input == "required":
        inputs["image"] = SAMPLE_IMAGE
    options = {opt.name: opt.default for opt in spec.options if opt.default is not None}
    variables: dict[str, Any] = {
        "input": {"type": str(spec.type), "provider": spec.id, "input": inputs}
    }
    if options:
        variables["input"]["options"] = options
    return Sample(f"provider-{spec.id}", "curl", curl(IMAGE_QUERY, variables))
