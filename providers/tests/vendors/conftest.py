"""Fixtures for live-adapter tests: vendor credentials, a funded live key, real media bytes.

No test here touches the network: `responses` intercepts every request, and an
unmatched request fails the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import responses as responses_lib

from billing.credits import credits_change
from billing.keys import api_key_create
from generations.models import Generation
from generations.services import GenerateRequest, generation_create
from providers.base import GenerationType, Inputs, Priority
from providers.registry import all_specs
from providers.sandbox.media import render_audio, render_image, render_video


@pytest.fixture(autouse=True)
def vendor_credentials(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every vendor env var set to ``test-<NAME>``, so every entry is available live."""
    values = {}
    for spec in all_specs():
        for name in spec.credentials:
            values[name] = f"test-{name}"
            monkeypatch.setenv(name, values[name])
    return values


@pytest.fixture
def mocked() -> Iterator[responses_lib.RequestsMock]:
    """`responses` with assert_all_requests_are_fired off (pollers may stop early)."""
    with responses_lib.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def live_key(account: Any) -> Any:
    credits_change(account=account, mode="live", amount=10**9, reason="tests")
    return api_key_create(account=account, mode="live", name="live tests")[0]


@pytest.fixture
def make_live(live_key: Any) -> Callable[..., Generation]:
    """Create a live generation through the service, as the API would."""

    def make(
        provider: str | None,
        type: str,
        text: str | None = "A lighthouse at dusk",
        options: dict | None = None,
        priority: str = "BALANCED",
        **inputs: str,
    ) -> Generation:
        return generation_create(
            api_key=live_key,
            request=GenerateRequest(
                type=GenerationType(type),
                provider=provider,
                inputs=Inputs(text=text, **inputs),
                options=options or {},
                priority=Priority(priority),
            ),
        )

    return make


@pytest.fixture(scope="session")
def png() -> bytes:
    return render_image(width=64, height=64, fmt="png", prompt="x")


@pytest.fixture(scope="session")
def jpeg() -> bytes:
    return render_image(width=64, height=48, fmt="jpeg", prompt="x")


@pytest.fixture(scope="session")
def mp4() -> bytes:
    return render_video(width=64, height=36, duration=2, fps=6)


@pytest.fixture(scope="session")
def avatar_mp4() -> bytes:
    return render_video(width=64, height=36, duration=2, fps=6, speech_text="Hello there")


@pytest.fixture(scope="session")
def mp3() -> bytes:
    return render_audio(duration=1.5, fmt="mp3")


@pytest.fixture(scope="session")
def wav() -> bytes:
    return render_audio(duration=1.5, fmt="wav")
