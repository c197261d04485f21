"""The worker side of a generation: one step at a time, never sleeping.

`advance` claims step ``n`` with a conditional UPDATE on ``poll_count`` (so a
redelivered or duplicated task does nothing), submits to or polls the adapter,
and returns the seconds until the next step, or None when the job is final.
Outputs are copied into Doitong's storage at once; vendor URLs expire.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from generations.models import Generation, Status, output_path
from generations.routing import can_fall_back, fall_back
from generations.services import generation_complete, generation_fail
from providers import health
from providers.base import (
    GenerationType,
    Inputs,
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    ProviderAdapter,
    ProviderError,
    TransientProviderError,
)
from providers.http import download
from providers.media import MediaError, extension_for, probe
from providers.registry import adapter_for, get_spec

log = logging.getLogger(__name__)

# Consecutive transient failures (429, 5xx, timeouts) before a job gives up.
MAX_TRANSIENT_FAILURES = 4
ALLOWED_KINDS = {
    "IMAGE": ("image/",),
    "VIDEO": ("video/",),
    "AVATAR": ("video/",),
    "AUDIO": ("audio/",),
}


def job_request(generation: Generation) -> JobRequest:
    return JobRequest(
        generation_id=generation.id,
        type=GenerationType(generation.type),
        provider=generation.provider,
        inputs=Inputs(**generation.input),
        options=generation.options,
    )


def _claim(generation_id: str, step: int) -> bool:
    now = timezone.now()
    if step == 0:
        return bool(
            Generation.objects.filter(id=generation_id, status=Status.QUEUED, poll_count=0).update(
                status=Status.PROCESSING, started_at=now, poll_count=1, updated_at=now
            )
        )
    return bool(
        Generation.objects.filter(
            id=generation_id, status=Status.PROCESSING, poll_count=step
        ).update(poll_count=step + 1, updated_at=now)
    )


def advance(generation_id: str, step: int) -> float | None:
    """Run step ``step`` of a generation; seconds until the next step, or None."""
    if not _claim(generation_id, step):
        return None
    generation = Generation.objects.select_related("account").get(id=generation_id)
    spec = get_spec(generation.provider)
    if spec is None:
        _fail(generation, PermanentProviderError(f"Unknown provider {generation.provider}."))
        return None
    adapter = adapter_for(spec, generation.mode)
    job = job_request(generation)
    handle: dict[str, Any] = dict(generation.provider_job)
    try:
        if handle.get("submitted"):
            state = adapter.poll(job, handle)
        else:
            state = adapter.submit(job)
            state.handle = {**handle, **state.handle, "submitted": True}
    except TransientProviderError as exc:
        return _transient(generation, handle, exc, adapter=adapter)
    except PermanentProviderError as exc:
        _fail(generation, exc)
        return None
    state.handle = {**handle, **state.handle, "transient_failures": 0}
    return _apply(generation, adapter, state, step)


def _apply(
    generation: Generation, adapter: ProviderAdapter, state: JobState, step: int
) -> float | None:
    if state.status == "failed":
        _fail(generation, state.error or PermanentProviderError("The provider failed the job."))
        return None
    if state.status == "succeeded" and state.output is not None:
        try:
            name, metadata = store_output(generation, state.output)
        except TransientProviderError as exc:
            return _transient(generation, state.handle, exc)
        except PermanentProviderError as exc:
            _fail(generation, exc)
            return None
        _mark_attempt(generation, "succeeded")
        if generation.mode == "live":
            health.record_success(generation.provider)
        if not generation_complete(
            generation=generation, output_name=name, metadata=metadata, provider_job=state.handle
        ):
            default_storage.delete(name)  # cancelled meanwhile: keep no orphan file
        return None
    Generation.objects.filter(id=generation.id, status=Status.PROCESSING).update(
        progress=max(0, min(99, state.progress)),
        provider_job=state.handle,
        provider_job_id=str(state.handle.get("id", ""))[:255],
        updated_at=timezone.now(),
    )
    return adapter.poll_interval(step + 1)


def store_output(generation: Generation, output: Output) -> tuple[str, dict[str, Any]]:
    """Copy the output into our storage; returns (storage name, metadata).

    Raises `PermanentProviderError` for a body that is not valid media of the
    generation's kind or is over ``OUTPUT_MAX_BYTES``.
    """
    content = output.content
    if content is None:
        if not output.url:
            raise PermanentProviderError("The provider reported success without an output.")
        content, _ = download(
            output.url, headers=output.headers, max_bytes=settings.OUTPUT_MAX_BYTES
        )
    if len(content) > settings.OUTPUT_MAX_BYTES:
        raise PermanentProviderError("The output is larger than Doitong accepts.")
    try:
        info = probe(content)
    except MediaError as exc:
        raise PermanentProviderError(f"The provider returned an invalid file: {exc}") from exc
    if not info.content_type.startswith(ALLOWED_KINDS[generation.type]):
        raise PermanentProviderError(
            f"The provider returned {info.content_type}, not a {generation.type.lower()} file."
        )
    filename = f"{generation.provider}.{extension_for(info.content_type)}"
    name = default_storage.save(output_path(generation, filename), ContentFile(content))
    return name, {**output.metadata, **info.as_metadata()}


def _transient(
    generation: Generation,
    handle: dict[str, Any],
    exc: TransientProviderError,
    adapter: ProviderAdapter | None = None,
) -> float | None:
    """Retry with backoff; or, for a job that may fall back, move to the next provider.

    A job that was never accepted by the vendor falls back at once; one already
    running there is retried first and, once the retries are spent, is cancelled
    at the vendor (best effort) and falls back.
    """
    if generation.mode == "live":
        health.record_failure(generation.provider)
    failures = int(handle.get("transient_failures", 0)) + 1
    submitted = bool(handle.get("submitted"))
    if can_fall_back(generation) and (not submitted or failures > MAX_TRANSIENT_FAILURES):
        if submitted and adapter is not None:
            _cancel_quietly(adapter, generation, handle)
        if fall_back(generation, exc):
            return 0.0
    if failures > MAX_TRANSIENT_FAILURES or (submitted is False and can_fall_back(generation)):
        _fail(generation, exc)
        return None
    handle = {**handle, "transient_failures": failures, "last_error": exc.message}
    Generation.objects.filter(id=generation.id, status=Status.PROCESSING).update(
        provider_job=handle, updated_at=timezone.now()
    )
    log.warning("generation %s: transient provider error (%s): %s", generation.id, failures, exc)
    backoff = settings.PROVIDER_RETRY_BASE_SECONDS * (2 ** (failures - 1))
    return max(backoff, exc.retry_after or 0.0)


def _cancel_quietly(adapter: ProviderAdapter, generation: Generation, handle: dict) -> None:
    try:
        adapter.cancel(job_request(generation), handle)
    except Exception:  # best effort: the job is moving on either way
        log.info("generation %s: vendor cancel before fallback failed", generation.id)


def _fail(generation: Generation, exc: ProviderError) -> None:
    _mark_attempt(generation, "failed", exc.message)
    reason = "The provider refused the prompt as unsafe. " if exc.moderated else ""
    message = f"{reason}{exc.message} The {generation.credit_cost} held credits were released."
    generation_fail(generation=generation, code=exc.code, message=message)


def _mark_attempt(generation: Generation, status: str, error: str | None = None) -> None:
    attempts = list(generation.attempts or [{"provider": generation.provider}])
    attempts[-1] = {**attempts[-1], "status": status, **({"error": error} if error else {})}
    generation.attempts = attempts
