"""Celery tasks: thin wrappers that take ids and call the pipeline or services.

Each task re-fetches its row, does nothing when the work is already done, and
schedules the next poll with a countdown instead of sleeping.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from generations import pipeline
from generations.models import ACTIVE_STATUSES, Generation, Status
from generations.services import generation_fail
from providers.registry import adapter_for, get_spec

log = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True)
def generation_advance(generation_id: str, step: int) -> None:
    """Run one step of a generation and schedule the next one."""
    try:
        delay = pipeline.advance(generation_id, step)
    except SoftTimeLimitExceeded:
        log.warning("generation %s: step %s hit the soft time limit", generation_id, step)
        delay = settings.PROVIDER_RETRY_BASE_SECONDS
        # The step was claimed; re-run it by claiming the next number.
    except Exception:
        log.exception("generation %s: step %s crashed", generation_id, step)
        _fail_internal(generation_id)
        return
    if delay is not None:
        generation_advance.apply_async(args=(generation_id, step + 1), countdown=delay)


def _fail_internal(generation_id: str) -> None:
    generation = Generation.objects.select_related("account").filter(id=generation_id).first()
    if generation is not None:
        generation_fail(
            generation=generation,
            code="GENERATION_FAILED",
            message=(
                "Doitong could not finish this job because of an internal error. "
                f"The {generation.credit_cost} held credits were released."
            ),
        )


@shared_task(acks_late=True, soft_time_limit=30, time_limit=45, ignore_result=True)
def generation_cancel_at_vendor(generation_id: str) -> None:
    """Best effort: ask the vendor to stop a cancelled job (credits are already back)."""
    generation = Generation.objects.filter(id=generation_id).first()
    spec = get_spec(generation.provider) if generation else None
    if generation is None or spec is None:
        return
    try:
        adapter_for(spec, generation.mode).cancel(
            pipeline.job_request(generation), generation.provider_job
        )
    except Exception:
        log.warning("generation %s: vendor cancel failed", generation_id, exc_info=True)


@shared_task(ignore_result=True)
def generations_expire_stuck() -> int:
    """Beat housekeeping: fail jobs past the timeout, re-enqueue lost QUEUED jobs.

    Returns how many jobs were failed.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.GENERATION_TIMEOUT_SECONDS)
    failed = 0
    stuck = Generation.objects.select_related("account").filter(
        status__in=ACTIVE_STATUSES, created_at__lt=cutoff
    )
    for generation in stuck[:500]:
        failed += generation_fail(
            generation=generation,
            code="GENERATION_FAILED",
            message=(
                f"The job did not finish within {settings.GENERATION_TIMEOUT_SECONDS} seconds. "
                f"The {generation.credit_cost} held credits were released."
            ),
        )
    lost = Generation.objects.filter(
        status=Status.QUEUED, poll_count=0, updated_at__lt=now - timedelta(seconds=120)
    ).values_list("id", flat=True)
    for generation_id in lost[:500]:
        generation_advance.apply_async(args=(generation_id, 0))
    return failed


@shared_task(ignore_result=True)
def idempotency_keys_purge() -> int:
    """Beat housekeeping: forget Idempotency-Keys older than 24 hours."""
    from generations.idempotency import idempotency_purge

    return idempotency_purge()


# Retries further out than this wait for the beat sweep instead of a broker countdown
# (a Redis broker redelivers long-ETA tasks after its visibility timeout).
COUNTDOWN_LIMIT_SECONDS = 600


@shared_task(acks_late=True, soft_time_limit=40, time_limit=60, ignore_result=True)
def webhook_deliver(delivery_id: str, attempt: int) -> None:
    """Make one webhook attempt; schedule a near retry, or leave it for the sweep."""
    from generations.webhooks import webhook_attempt

    delay = webhook_attempt(delivery_id, attempt)
    if delay is not None and delay <= COUNTDOWN_LIMIT_SECONDS:
        webhook_deliver.apply_async(args=(delivery_id, attempt + 1), countdown=delay)


@shared_task(ignore_result=True)
def webhooks_dispatch_due() -> int:
    """Beat: enqueue pending deliveries whose next attempt is due (the outbox sweep)."""
    from generations.webhooks import deliveries_due

    due = deliveries_due()
    for delivery_id, attempts in due:
        webhook_deliver.apply_async(args=(delivery_id, attempts))
    return len(due)
