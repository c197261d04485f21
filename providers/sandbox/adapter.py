"""The sandbox: a provider adapter for test keys that never calls a vendor.

It behaves like an asynchronous vendor. ``submit`` returns a pending job;
``poll`` reports progress over ``SANDBOX_SECONDS`` and then renders a real,
valid file (PNG/JPEG/WebP, H.264 MP4, WAV/MP3/OGG) that honours the options.

``options.sandbox`` steers the outcome (test keys only):
- ``"succeed"`` (default): COMPLETED with a real file;
- ``"fail"``: FAILED with GENERATION_FAILED, as if the vendor refused the job;
- ``"moderated"``: FAILED with GENERATION_FAILED, as a content-moderation refusal;
- ``"unavailable"``: the vendor is down (transient errors); the job ends FAILED
  with PROVIDER_UNAVAILABLE once retries are exhausted.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from providers.base import (
    JobRequest,
    JobState,
    Output,
    PermanentProviderError,
    ProviderAdapter,
    TransientProviderError,
)
from providers.media import CONTENT_TYPES, probe
from providers.sandbox.media import render_audio, render_image, render_video
from providers.sandbox.plan import MediaPlan, plan_for


class SandboxAdapter(ProviderAdapter):
    """Test-mode adapter for any catalogue entry (see module docstring)."""

    def submit(self, job: JobRequest) -> JobState:
        if job.options.get("sandbox") == "unavailable":
            raise TransientProviderError(
                f'Sandbox: {self.spec.id} is unavailable (options.sandbox = "unavailable").'
            )
        handle = {"sandbox": True, "started": time.time(), "seconds": settings.SANDBOX_SECONDS}
        return JobState(status="pending", handle=handle, progress=0)

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        elapsed = time.time() - float(handle["started"])
        total = float(handle["seconds"])
        if elapsed < total:
            return JobState("running", dict(handle), progress=min(99, int(100 * elapsed / total)))
        outcome = job.options.get("sandbox", "succeed")
        if outcome == "fail":
            error = PermanentProviderError(
                f'Sandbox: {self.spec.id} failed on purpose (options.sandbox = "fail").'
            )
            return JobState("failed", dict(handle), error=error)
        if outcome == "moderated":
            error = PermanentProviderError(
                f"Sandbox: {self.spec.id} refused the prompt as unsafe "
                '(options.sandbox = "moderated").',
                moderated=True,
            )
            return JobState("failed", dict(handle), error=error)
        return JobState("succeeded", dict(handle), progress=100, output=self.render(job))

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        return True

    def poll_interval(self, attempt: int) -> float:
        return max(0.0, min(1.0, float(settings.SANDBOX_SECONDS) / 4))

    def render(self, job: JobRequest) -> Output:
        """Render the planned file and describe it (pixels, seconds, bytes)."""
        plan = plan_for(job.type, job.options, job.inputs)
        content = _render(plan, job)
        info = probe(content)
        return Output(
            content_type=CONTENT_TYPES[plan.fmt], content=content, metadata=info.as_metadata()
        )


def _render(plan: MediaPlan, job: JobRequest) -> bytes:
    prompt = job.inputs.text or job.provider
    seed = int(job.options.get("seed") or _seed(job.generation_id))
    if plan.kind == "image":
        assert plan.width and plan.height
        return render_image(
            width=plan.width, height=plan.height, fmt=plan.fmt, prompt=prompt, seed=seed
        )
    if plan.kind == "audio":
        assert plan.duration
        return render_audio(duration=plan.duration, fmt=plan.fmt, text=prompt, seed=seed)
    assert plan.width and plan.height and plan.duration
    return render_video(
        width=plan.width,
        height=plan.height,
        duration=plan.duration,
        prompt=prompt,
        seed=seed,
        speech_text=plan.speech_text,
    )


def _seed(generation_id: str) -> int:
    return int.from_bytes(hashlib.sha256(generation_id.encode()).digest()[:4], "big")
