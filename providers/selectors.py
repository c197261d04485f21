"""Reads on the catalogue for the API and the portal."""

from __future__ import annotations

from functools import cache

from providers.base import Inputs, ProviderSpec

# A typical prompt, for prices that follow the text length (TTS, avatars).
SAMPLE_TEXT = "Welcome to the future of artificial intelligence. " * 2


def default_price(spec: ProviderSpec) -> int:
    """Credits for the entry's default options (and a ~100-character text)."""
    return _default_price(spec.id)


@cache
def _default_price(provider_id: str) -> int:
    from providers.registry import get_spec

    spec = get_spec(provider_id)
    assert spec is not None
    defaults = {opt.name: opt.default for opt in spec.options if opt.default is not None}
    return spec.price(defaults, Inputs(text=SAMPLE_TEXT))
