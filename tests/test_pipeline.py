"""The worker pipeline on the sandbox: real files, progress, failure, settlement."""

from __future__ import annotations

import io
import time

import av
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from billing.credits import balance_get, credits_capture, credits_release
from billing.models import LedgerEntry
from generations import pipeline
from generations.models import Generation
from tests.helpers import run_to_completion

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id creditCost } }"


def _make(gql, **input_):
    result = gql(GENERATE, {"input": input_})
    assert not result.errors, result.json
    return result.data["generate"]


def _read(generation: Generation) -> bytes:
    with default_storage.open(generation.output.name, "rb") as handle:
        return handle.read()


def test_a_sandbox_video_is_an_h264_mp4_of_the_requested_duration_and_ratio(gql, account):
    before = balance_get(account=account, mode="test")
    made = _make(
        gql,
        type="VIDEO",
        provider="kling",
        input={"text": "A fox"},
        options={"duration": 10, "aspectRatio": "9:16"},
    )
    done = run_to_completion(made["id"])
    assert done.status == "COMPLETED" and done.progress == 100 and done.completed_at
    with av.open(io.BytesIO(_read(done))) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.height > stream.width
        assert abs(stream.width / stream.height - 9 / 16) < 0.02
        assert abs(float(container.duration / av.time_base) - 10) < 0.15
    assert done.metadata["duration"] == pytest.approx(10, abs=0.15)
    assert balance_get(account=account, mode="test") == before - made["creditCost"]
    kinds = list(LedgerEntry.objects.filter(generation_id=done.id).values_list("kind", flat=True))
    assert sorted(kinds) == ["capture", "hold"]


@pytest.mark.parametrize(
    ("provider", "options", "size", "fmt"),
    [
        ("flux-ultra", {"aspectRatio": "16:9", "quality": "ultra", "seed": 42}, None, "JPEG"),
        ("flux-dev", {"width": 768, "height": 512, "outputFormat": "jpeg"}, (768, 512), "JPEG"),
        ("imagen-3", {"aspectRatio": "9:16"}, None, "PNG"),
    ],
)
def test_a_sandbox_image_has_the_requested_size_and_format(gql, provider, options, size, fmt):
    done = run_to_completion(
        _make(
            gql, type="IMAGE", provider=provider, input={"text": "A lighthouse"}, options=options
        )["id"]
    )
    image = Image.open(io.BytesIO(_read(done)))
    assert image.format == fmt
    if size:
        assert image.size == size
    else:
        a, b = (int(x) for x in options["aspectRatio"].split(":"))
        assert abs(image.width / image.height - a / b) < 0.02


def test_sandbox_audio_length_follows_the_text(gql):
    short = run_to_completion(
        _make(gql, type="AUDIO", provider="elevenlabs", input={"text": "Hello there"})["id"]
    )
    long = run_to_completion(
        _make(
            gql,
            type="AUDIO",
            provider="elevenlabs",
            input={"text": "Welcome to the future of AI. " * 8},
        )["id"]
    )
    durations = []
    for done in (short, long):
        with av.open(io.BytesIO(_read(done))) as container:
            assert container.streams.audio
            durations.append(float(container.duration / av.time_base))
    assert durations[1] > durations[0] * 3


def test_a_sandbox_avatar_is_an_mp4_with_speech(gql):
    done = run_to_completion(
        _make(
            gql,
            type="AVATAR",
            provider="heygen",
            input={"text": "Hello, I'm your AI assistant", "voice": "professional_female"},
            options={"avatarId": "kate", "background": "modern_office", "gesture": "friendly"},
        )["id"]
    )
    with av.open(io.BytesIO(_read(done))) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio


@pytest.mark.parametrize(
    ("trigger", "code"),
    [
        ("fail", "GENERATION_FAILED"),
        ("moderated", "GENERATION_FAILED"),
        ("unavailable", "PROVIDER_UNAVAILABLE"),
    ],
)
def test_the_sandbox_trigger_fails_the_job_and_releases_the_hold(gql, account, trigger, code):
    before = balance_get(account=account, mode="test")
    made = _make(
        gql, type="IMAGE", provider="flux-dev", input={"text": "x"}, options={"sandbox": trigger}
    )
    done = run_to_completion(made["id"])
    assert done.status == "FAILED" and done.error_code == code
    assert f"{made['creditCost']} held credits were released" in done.error_message
    assert balance_get(account=account, mode="test") == before
    assert not done.output


def test_progress_is_reported_while_the_sandbox_works(gql, settings):
    settings.SANDBOX_SECONDS = 30
    gen_id = _make(gql, type="IMAGE", provider="flux-dev", input={"text": "x"})["id"]
    assert pipeline.advance(gen_id, 0) is not None  # submitted
    time.sleep(0.4)
    assert pipeline.advance(gen_id, 1) is not None  # still running
    row = Generation.objects.get(id=gen_id)
    assert row.status == "PROCESSING" and 0 <= row.progress < 100
    assert row.provider_job["submitted"] is True


def test_a_duplicated_step_does_nothing(gql):
    gen_id = _make(gql, type="IMAGE", provider="flux-dev", input={"text": "x"})["id"]
    assert pipeline.advance(gen_id, 0) is not None
    assert pipeline.advance(gen_id, 0) is None  # the same step redelivered
    run_to_completion_from = pipeline.advance(gen_id, 1)
    assert run_to_completion_from is None
    assert Generation.objects.get(id=gen_id).status == "COMPLETED"


def test_cancel_during_processing_keeps_the_job_cancelled(gql, account, settings):
    settings.SANDBOX_SECONDS = 30
    before = balance_get(account=account, mode="test")
    gen_id = _make(gql, type="IMAGE", provider="flux-dev", input={"text": "x"})["id"]
    pipeline.advance(gen_id, 0)
    assert gql(f'mutation {{ cancelGeneration(id: "{gen_id}") }}').data["cancelGeneration"]
    assert pipeline.advance(gen_id, 1) is None
    row = Generation.objects.get(id=gen_id)
    assert row.status == "CANCELLED"
    assert balance_get(account=account, mode="test") == before


def test_settlement_runs_once_however_often_it_is_called(gql, account):
    made = _make(gql, type="IMAGE", provider="flux-dev", input={"text": "x"})
    done = run_to_completion(made["id"])
    after = balance_get(account=account, mode="test")
    assert credits_capture(account=account, mode="test", generation_id=done.id) is False
    assert credits_release(account=account, mode="test", generation_id=done.id, reason="x") is False
    assert balance_get(account=account, mode="test") == after


def test_the_housekeeping_task_fails_and_refunds_jobs_past_the_timeout(gql, account, settings):
    from generations.tasks import generations_expire_stuck

    before = balance_get(account=account, mode="test")
    gen_id = _make(gql, type="IMAGE", provider="flux-dev", input={"text": "x"})["id"]
    settings.GENERATION_TIMEOUT_SECONDS = -1
    assert generations_expire_stuck() == 1
    row = Generation.objects.get(id=gen_id)
    assert row.status == "FAILED" and "did not finish" in row.error_message
    assert balance_get(account=account, mode="test") == before
