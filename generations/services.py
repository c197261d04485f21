"""Writes on generations: create (hold + row + enqueue), cancel, and settle.

Every state change is a conditional UPDATE on the status, so two workers, or a
worker and a cancel, can never both settle one generation; the ledger's
``settle:<id>`` key makes the credit side exactly-once as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from billing.accounts import account_limits
from billing.credits import credits_capture, credits_hold, credits_release
from billing.limits import RateLimited, seconds_until_utc_midnight, start_of_utc_day
from billing.models import Account, APIKey
from generations.models import ACTIVE_STATUSES, Generation, Status
from providers.base import GenerationType, Inputs, Priority
from providers.selection import select


class GenerationNotFound(Exception):
    """Unknown id, or one that belongs to another account (code NOT_FOUND)."""

    code = "NOT_FOUND"

    def __init__(self, generation_id: str) -> None:
        super().__init__(f"No generation with id {generation_id!r}.")
        self.message = str(self)


@dataclass(frozen=True)
class GenerateRequest:
    type: GenerationType
    inputs: Inputs
    provider: str | None = None
    options: Mapping[str, Any] | None = None
    priority: Priority = Priority.BALANCED
    webhook_url: str = ""
    allow_fallback: bool = False


def _webhook_event_record(generation_id: str) -> None:
    from generations.webhooks import webhook_event_record

    webhook_event_record(generation_id=generation_id)


def generation_create(*, api_key: APIKey, request: GenerateRequest) -> Generation:
    """Validate, choose a provider, hold its price and queue the job.

    The hold and the row are written in one transaction; the worker task is
    enqueued on commit. Raises `InvalidInput`, `ProviderUnavailable` or
    `InsufficientCredits`, in which case nothing is written.
    """
    account = api_key.account
    if request.webhook_url:
        from generations.webhooks import check_webhook_url

        check_webhook_url(request.webhook_url, must_resolve=api_key.mode == "live")
    choice = select(
        type=request.type,
        provider=request.provider,
        inputs=request.inputs,
        options=request.options,
        priority=request.priority,
        mode=api_key.mode,
        allow_fallback=request.allow_fallback,
    )
    generation = Generation(
        account=account,
        api_key=api_key,
        mode=api_key.mode,
        type=request.type,
        provider=choice.spec.id,
        auto_selected=choice.auto_selected,
        priority=request.priority,
        input=request.inputs.as_dict(),
        options=choice.options,
        webhook_url=request.webhook_url,
        credit_cost=choice.credit_cost,
        estimated_time=choice.spec.estimated_time,
        attempts=[{"provider": choice.spec.id, "status": "queued"}],
        routing={
            "requested_options": dict(request.options or {}),
            "candidates": list(choice.candidates),
        },
    )
    with transaction.atomic():
        credits_hold(
            account=account,
            mode=api_key.mode,
            amount=choice.credit_cost,
            generation_id=generation.id,
        )
        _check_capacity(account, api_key.mode)
        generation.save(force_insert=True)
        transaction.on_commit(lambda: _enqueue(generation.id))
    return generation


def _check_capacity(account: Account, mode: str) -> None:
    """Enforce concurrency and the daily cap, in one query. Raises `RateLimited`.

    Call after `credits_hold`: its conditional UPDATE locks the account's balance
    row for this mode until commit, which serialises concurrent ``generate`` calls
    of one account, so two requests can never both see the last free slot.
    """
    limits = account_limits(account)
    daily = limits["daily"]
    day_start = start_of_utc_day()
    active_q = Q(status__in=ACTIVE_STATUSES)
    counts: dict[str, Any] = {"active": Count("pk", filter=active_q)}
    scope = active_q
    if daily is not None:
        counts["today"] = Count("pk", filter=Q(created_at__gte=day_start))
        scope |= Q(created_at__gte=day_start)
    mine = Generation.objects.filter(account=account, mode=mode)
    found = mine.filter(scope).aggregate(**counts)
    if found["active"] >= limits["concurrent"]:
        oldest = (
            mine.filter(active_q).order_by("created_at").values("created_at", "estimated_time")
        ).first()
        retry = 5
        if oldest:
            elapsed = (timezone.now() - oldest["created_at"]).total_seconds()
            retry = int(min(60, max(1, (oldest["estimated_time"] or 5) - elapsed)))
        raise RateLimited(
            limit="concurrent",
            allowed=limits["concurrent"],
            retry_after=retry,
            message=(
                f"Your plan runs {limits['concurrent']} generation(s) at a time. Wait for one "
                "to finish (or cancel it) and try again."
            ),
        )
    if daily is not None and found["today"] >= daily:
        raise RateLimited(
            limit="daily",
            allowed=daily,
            retry_after=seconds_until_utc_midnight(),
            message=f"Your plan allows {daily} generation requests per UTC day.",
        )


def _enqueue(generation_id: str) -> None:
    from generations.tasks import generation_advance

    generation_advance.apply_async(args=(generation_id, 0))


def generation_cancel(*, account: Account, generation_id: str) -> bool:
    """Cancel a QUEUED or PROCESSING job and release its hold.

    Returns False for a job that already finished. Raises `GenerationNotFound`
    for an unknown id or one owned by another account.
    """
    generation = Generation.objects.filter(id=generation_id, account=account).first()
    if generation is None:
        raise GenerationNotFound(generation_id)
    with transaction.atomic():
        changed = Generation.objects.filter(
            id=generation_id, account=account, status__in=ACTIVE_STATUSES
        ).update(status=Status.CANCELLED, completed_at=timezone.now(), updated_at=timezone.now())
        if not changed:
            return False
        credits_release(
            account=account,
            mode=generation.mode,
            generation_id=generation_id,
            reason=f"Release: {generation_id} was cancelled",
        )
        _webhook_event_record(generation_id)
    if generation.provider_job.get("submitted"):
        from generations.tasks import generation_cancel_at_vendor

        transaction.on_commit(lambda: generation_cancel_at_vendor.delay(generation_id))
    return True


def generation_fail(*, generation: Generation, code: str, message: str) -> bool:
    """Move an active job to FAILED and release its hold. True if this call did it."""
    now = timezone.now()
    with transaction.atomic():
        changed = Generation.objects.filter(id=generation.id, status__in=ACTIVE_STATUSES).update(
            status=Status.FAILED,
            error_code=code,
            error_message=message[:2000],
            completed_at=now,
            updated_at=now,
            attempts=generation.attempts,
        )
        if not changed:
            return False
        credits_release(
            account=generation.account,
            mode=generation.mode,
            generation_id=generation.id,
            reason=f"Release: {generation.id} failed ({code})",
        )
        _webhook_event_record(generation.id)
    return True


def generation_complete(
    *,
    generation: Generation,
    output_name: str,
    metadata: dict[str, Any],
    provider_job: dict[str, Any] | None = None,
) -> bool:
    """Move a PROCESSING job to COMPLETED and capture its hold. True if this call did it."""
    now = timezone.now()
    with transaction.atomic():
        changed = Generation.objects.filter(id=generation.id, status=Status.PROCESSING).update(
            status=Status.COMPLETED,
            progress=100,
            output=output_name,
            metadata=metadata,
            provider_job=provider_job if provider_job is not None else generation.provider_job,
            completed_at=now,
            updated_at=now,
            attempts=generation.attempts,
        )
        if not changed:
            return False
        credits_capture(
            account=generation.account, mode=generation.mode, generation_id=generation.id
        )
        _webhook_event_record(generation.id)
    return True
