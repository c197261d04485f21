"""Choosing a provider: the named one, or the best candidate for a priority."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from providers.base import (
    GenerationType,
    Inputs,
    InvalidInput,
    Priority,
    ProviderSpec,
    ProviderUnavailable,
)
from providers.health import COOLING_DOWN, HEALTHY, statuses
from providers.registry import get_spec, is_available, specs_for_type
from providers.validation import check_inputs, clean_options


@dataclass(frozen=True)
class Selection:
    """The chosen entry, its cleaned options and price (credits), and the runners-up."""

    spec: ProviderSpec
    options: dict[str, Any]
    credit_cost: int
    auto_selected: bool
    candidates: tuple[str, ...] = ()


def select(
    *,
    type: GenerationType | str,
    provider: str | None,
    inputs: Inputs,
    options: Mapping[str, Any] | None,
    priority: Priority | str,
    mode: str,
    allow_fallback: bool = False,
) -> Selection:
    """Resolve the request to one catalogue entry.

    Auto-selection skips providers that are cooling down and ranks healthy ones
    before degraded ones; ``candidates`` lists the runners-up, best first, for
    fallback. A named provider gets candidates only when ``allow_fallback``.
    Raises `InvalidInput` (unknown provider or type, bad option, wrong input) or
    `ProviderUnavailable` (the entry, or every candidate, is not configured).
    """
    check_inputs(inputs, mode)
    if provider:
        spec = get_spec(provider)
        if spec is None:
            raise InvalidInput(
                f"Unknown provider {provider!r}. The providers query lists them.",
                field="provider",
            )
        if spec.type != type:
            raise InvalidInput(
                f"{spec.id} makes {spec.type} generations, not {type}.", field="provider"
            )
        cleaned = clean_options(spec, inputs, options, mode=mode)
        if not is_available(spec, mode):
            raise ProviderUnavailable(
                f"{spec.id} is not configured on this server. Omit provider to let Doitong "
                "choose an available one."
            )
        candidates: tuple[str, ...] = ()
        if allow_fallback:
            try:
                ranked = _auto_select(type, inputs, options, Priority(priority), mode)
                candidates = tuple(c for c in (ranked.spec.id, *ranked.candidates) if c != spec.id)
            except (InvalidInput, ProviderUnavailable):
                candidates = ()
        return Selection(spec, cleaned, spec.price(cleaned, inputs), False, candidates)
    return _auto_select(type, inputs, options, Priority(priority), mode)


def _auto_select(
    kind: str, inputs: Inputs, options: Mapping[str, Any] | None, priority: Priority, mode: str
) -> Selection:
    fits: list[tuple[ProviderSpec, dict[str, Any], int]] = []
    first_error: InvalidInput | None = None
    for spec in specs_for_type(kind):
        if spec.image_input == "required" and not inputs.image:
            continue
        if spec.image_input == "none" and inputs.image:
            continue
        try:
            cleaned = clean_options(spec, inputs, options, mode=mode)
        except InvalidInput as exc:
            first_error = first_error or exc
            continue
        fits.append((spec, cleaned, spec.price(cleaned, inputs)))
    if not fits:
        detail = f" For example: {first_error.message}" if first_error else ""
        raise InvalidInput(f"No {kind} provider accepts this input and these options.{detail}")
    available = [fit for fit in fits if is_available(fit[0], mode)]
    if not available:
        raise ProviderUnavailable(f"No {kind} provider that fits this request is configured.")
    health = statuses([fit[0].id for fit in available])
    if mode == "live":
        available = [fit for fit in available if health[fit[0].id] != COOLING_DOWN]
        if not available:
            raise ProviderUnavailable(
                f"Every {kind} provider that fits this request is cooling down after errors. "
                "Retry in a minute or two."
            )
    ranked = sorted(
        available,
        key=lambda fit: (health[fit[0].id] == HEALTHY, _score(fit, available, priority)),
        reverse=True,
    )
    spec, cleaned, cost = ranked[0]
    return Selection(spec, cleaned, cost, True, tuple(f[0].id for f in ranked[1:]))


def _score(
    fit: tuple[ProviderSpec, dict[str, Any], int],
    pool: list[tuple[ProviderSpec, dict[str, Any], int]],
    priority: Priority,
) -> tuple[float, ...]:
    spec, _, cost = fit
    cheapness = 10.0 * min(f[2] for f in pool) / cost
    if priority is Priority.QUALITY:
        return (spec.quality, spec.speed, cheapness)
    if priority is Priority.SPEED:
        return (spec.speed, -spec.estimated_time, spec.quality)
    if priority is Priority.COST:
        return (cheapness, spec.quality)
    return (0.45 * spec.quality + 0.3 * spec.speed + 0.25 * cheapness, spec.quality)
