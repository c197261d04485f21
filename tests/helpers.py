"""Test helpers: drive a generation through the pipeline without a broker."""

from __future__ import annotations

from generations import pipeline
from generations.models import Generation


def run_to_completion(generation_id: str, max_steps: int = 50) -> Generation:
    """Call the worker's steps in order, as the scheduled tasks would."""
    step = 0
    while step < max_steps:
        delay = pipeline.advance(generation_id, step)
        if delay is None:
            break
        step += 1
    return Generation.objects.get(id=generation_id)
