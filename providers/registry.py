"""The provider registry: catalogue lookup, availability and the adapter for a mode.

Test mode runs every entry through the sandbox. Live mode needs the entry's
credentials in the environment and its live adapter class; without them the
entry is unavailable (PROVIDER_UNAVAILABLE when named explicitly).
"""

from __future__ import annotations

import os
from functools import cache

from django.utils.module_loading import import_string

from providers.base import GenerationType, ProviderAdapter, ProviderSpec
from providers.catalogue import CATALOGUE

_BY_ID: dict[str, ProviderSpec] = {spec.id: spec for spec in CATALOGUE}
# Names that clients use and that resolve to a catalogue id.
ALIASES: dict[str, str] = {
    "hailuo": "minimax",
    "hailuo-02": "minimax",
    "veo3": "veo-3",
    "imagen": "imagen-3",
    "flux-pro-1.1-ultra": "flux-ultra",
    "dream-machine": "luma",
}


def all_specs() -> tuple[ProviderSpec, ...]:
    return CATALOGUE


def specs_for_type(kind: GenerationType | str) -> list[ProviderSpec]:
    return [spec for spec in CATALOGUE if spec.type == kind]


def get_spec(provider_id: str) -> ProviderSpec | None:
    """The entry for an id or alias (case-insensitive), or None."""
    key = provider_id.strip().lower()
    return _BY_ID.get(ALIASES.get(key, key))


@cache
def _adapter_class(path: str) -> type[ProviderAdapter] | None:
    try:
        return import_string(path)
    except ImportError:
        return None


def credentials_for(spec: ProviderSpec) -> dict[str, str] | None:
    """The entry's credentials from the environment, or None if any is missing."""
    values = {name: os.environ.get(name, "") for name in spec.credentials}
    return values if all(values.values()) else None


def is_available(spec: ProviderSpec, mode: str) -> bool:
    """Whether ``spec`` can take jobs in ``mode`` ("live" or "test")."""
    if mode == "test":
        return True
    if _adapter_class(spec.adapter) is None:
        return False
    if credentials_for(spec) is not None:
        return True
    alternatives = spec.alternative_credentials
    return bool(alternatives) and all(os.environ.get(name) for name in alternatives)


def adapter_for(spec: ProviderSpec, mode: str) -> ProviderAdapter:
    """The sandbox in test mode, the vendor adapter in live mode."""
    if mode == "test":
        from providers.sandbox.adapter import SandboxAdapter

        return SandboxAdapter(spec)
    cls = _adapter_class(spec.adapter)
    if cls is None:
        raise LookupError(f"No live adapter for {spec.id}")
    return cls(spec)
