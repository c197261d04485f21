"""Every code sample the portal shows.

Samples are written against two placeholders: ``BASE_URL`` (replaced by this
instance's own base URL when a page renders) and ``YOUR_API_KEY`` (which the
reader, or the dashboard right after a key is created, fills in). A sample that
needs an existing generation names it ``GENERATION_ID``.

The code is the same in every language (as in the seed pages); only the prose
around it is translated. The test suite fetches each page from a live server,
extracts every sample from the HTML and runs it (portal/tests/test_samples.py):
the portal never shows an example that does not run.

- `base`: `Sample`, `curl()` and the placeholders;
- `quickstart`: the home page's tabs;
- `docs`: the guides, concepts, test-mode and dashboard samples;
- `providers`: one generate call per catalogue entry.
"""

from __future__ import annotations

from portal.samples.base import BASE, GENERATION_ID, KEY, RUNNABLE, Sample, curl
from portal.samples.docs import _docs_samples
from portal.samples.providers import provider_sample
from portal.samples.quickstart import QUICKSTART

SAMPLES: dict[str, Sample] = {
    s.id: s for group in (*QUICKSTART.values(), _docs_samples()) for s in group
}


def variables_of(sample_id: str) -> list[Sample]:
    """The variables blocks shown with a GraphQL sample, in order."""
    return [s for s in SAMPLES.values() if s.variables_for == sample_id]


__all__ = [
    "BASE",
    "GENERATION_ID",
    "KEY",
    "QUICKSTART",
    "RUNNABLE",
    "SAMPLES",
    "Sample",
    "curl",
    "provider_sample",
    "variables_of",
]
