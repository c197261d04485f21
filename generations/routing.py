"""Fallback: moving a job whose provider is down to the next candidate.

An auto-selected job (or one sent with ``allowFallback``) whose provider fails
transiently before producing output moves to the next candidate in
``generation.routing["candidates"]``. It keeps its id and webhook; its options are
re-validated for the new provider from the client's own options, its price is
re-quoted, and the hold is adjusted in the same transaction (never a second
charge). Each attempt is recorded in ``generation.attempts``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from billing.credits import InsufficientCredits, credits_requote
from generations.models import Generation, Status
from providers import health
from providers.base import Inputs, InvalidInput, ProviderError, ProviderSpec
from providers.registry import get_spec, is_available
from providers.validation import clean_options


class _Finished(Exception):
    """The job left PROCESSING (e.g. cancelled) while we re-routed it."""


def can_fall_back(generation: Generation) -> bool:
    return bool((generation.routing or {}).get("candidates"))


def _next_candidate(
    generation: Generation, remaining: list[str]
) -> tuple[ProviderSpec, dict[str, Any], int] | None:
    inputs = Inputs(**generation.input)
    requested = (generation.routing or {}).get("requested_options") or {}
    while remaining:
        spec = get_spec(remaining.pop(0))
        if spec is None or not is_available(spec, generation.mode):
            continue
        if generation.mode == "live" and health.status(spec.id) == health.COOLING_DOWN:
            continue
        try:
            cleaned = clean_options(spec, inputs, requested, mode=generation.mode)
        except InvalidInput:
            continue
        return spec, cleaned, spec.price(cleaned, inputs)
    return None


def fall_back(generation: Generation, error: ProviderError) -> bool:
    """Move ``generation`` to its next candidate; False when none is left or affordable.

    On False the caller fails the job (and releases the hold).
    """
    remaining = list((generation.routing or {}).get("candidates") or [])
    attempts = list(generation.attempts or [{"provider": generation.provider}])
    attempts[-1] = {**attempts[-1], "status": "failed", "error": error.message}
    while (choice := _next_candidate(generation, remaining)) is not None:
        spec, cleaned, cost = choice
        number = len(attempts) + 1
        try:
            with transaction.atomic():
                credits_requote(
                    account=generation.account,
                    mode=generation.mode,
                    generation_id=generation.id,
                    old=generation.credit_cost,
                    new=cost,
                    attempt=number,
                    reason=f"Re-quote: {generation.provider} was unavailable, moved to {spec.id}",
                )
                changed = Generation.objects.filter(
                    id=generation.id, status=Status.PROCESSING
                ).update(
                    provider=spec.id,
                    options=cleaned,
                    credit_cost=cost,
                    estimated_time=spec.estimated_time,
                    provider_job={},
                    provider_job_id="",
                    progress=0,
                    attempts=[
                        *attempts,
                        {"provider": spec.id, "status": "queued", "creditCost": cost},
                    ],
                    routing={**generation.routing, "candidates": remaining},
                    updated_at=timezone.now(),
                )
                if not changed:
                    raise _Finished
        except InsufficientCredits:
            attempts.append(
                {
                    "provider": spec.id,
                    "status": "skipped",
                    "error": f"costs {cost} credits, more than the balance allows",
                }
            )
            continue
        except _Finished:
            return True  # nothing to do: the job was settled elsewhere
        return True
    generation.attempts = attempts
    return False
