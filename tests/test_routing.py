"""Routing: fallback to the next candidate, the circuit breaker, named providers."""

from __future__ import annotations

import pytest

from billing.credits import balance_get, ledger_mismatches
from billing.models import LedgerEntry
from providers import health
from providers.base import Inputs, TransientProviderError
from providers.sandbox.adapter import SandboxAdapter
from providers.selection import select
from tests.helpers import run_to_completion

GENERATE = """mutation G($input: GenerateInput!) {
  generate(input: $input) { id provider creditCost } }"""
STATUS = """query S($id: ID!) { generation(id: $id) {
  status provider creditCost attempts errorCode } }"""


def _ranked(kind="IMAGE", priority="QUALITY", mode="test"):
    choice = select(
        type=kind, provider=None, inputs=Inputs(text="x"), options={}, priority=priority, mode=mode
    )
    return [choice.spec.id, *choice.candidates]


@pytest.fixture
def outage(monkeypatch):
    """Make the sandbox of the given providers answer like a vendor that is down."""
    down: set[str] = set()
    original = SandboxAdapter.submit

    def submit(self, job):
        if self.spec.id in down:
            raise TransientProviderError(f"{self.spec.id}: HTTP 503 from the vendor")
        return original(self, job)

    monkeypatch.setattr(SandboxAdapter, "submit", submit)
    return down


def test_an_auto_selected_job_completes_on_the_second_provider_with_one_charge(
    gql, account, outage
):
    # Given the top-ranked image provider is down
    first, second = _ranked()[:2]
    outage.add(first)
    before = balance_get(account=account, mode="test")
    # When a client asks for the best image
    made = gql(
        GENERATE, {"input": {"type": "IMAGE", "input": {"text": "x"}, "priority": "QUALITY"}}
    ).data["generate"]
    assert made["provider"] == first
    run_to_completion(made["id"])
    # Then it completes on the second, charged once at the second's price
    status = gql(STATUS, {"id": made["id"]}).data["generation"]
    assert status["status"] == "COMPLETED" and status["provider"] == second
    assert [a["provider"] for a in status["attempts"]] == [first, second]
    assert status["attempts"][0]["status"] == "failed" and "503" in status["attempts"][0]["error"]
    assert status["attempts"][1]["status"] == "succeeded"
    assert balance_get(account=account, mode="test") == before - status["creditCost"]
    assert LedgerEntry.objects.filter(generation_id=made["id"], kind="capture").count() == 1
    assert ledger_mismatches() == []


def test_when_every_candidate_is_down_the_job_fails_once_and_refunds(gql, account, outage):
    outage.update(_ranked("AUDIO"))
    before = balance_get(account=account, mode="test")
    made = gql(GENERATE, {"input": {"type": "AUDIO", "input": {"text": "Hello"}}}).data["generate"]
    run_to_completion(made["id"])
    status = gql(STATUS, {"id": made["id"]}).data["generation"]
    assert status["status"] == "FAILED" and status["errorCode"] == "PROVIDER_UNAVAILABLE"
    assert len(status["attempts"]) == 2
    assert balance_get(account=account, mode="test") == before
    assert ledger_mismatches() == []


def test_a_named_provider_without_fallback_fails_cleanly(gql, account, outage):
    outage.add("flux-dev")
    before = balance_get(account=account, mode="test")
    made = gql(
        GENERATE, {"input": {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "x"}}}
    ).data["generate"]
    run_to_completion(made["id"])
    status = gql(STATUS, {"id": made["id"]}).data["generation"]
    assert status["status"] == "FAILED" and status["errorCode"] == "PROVIDER_UNAVAILABLE"
    assert [a["provider"] for a in status["attempts"]] == ["flux-dev"]
    assert balance_get(account=account, mode="test") == before


def test_a_named_provider_may_ask_for_fallback(gql, outage):
    outage.add("flux-dev")
    made = gql(
        GENERATE,
        {
            "input": {
                "type": "IMAGE",
                "provider": "flux-dev",
                "allowFallback": True,
                "input": {"text": "x"},
            }
        },
    ).data["generate"]
    run_to_completion(made["id"])
    status = gql(STATUS, {"id": made["id"]}).data["generation"]
    assert status["status"] == "COMPLETED" and status["provider"] != "flux-dev"


def test_a_fallback_re_validates_the_clients_own_options(gql, outage):
    # kling's defaults (mode, model…) must not leak into the next provider's options
    first = _ranked("VIDEO", "QUALITY")[0]
    outage.add(first)
    made = gql(
        GENERATE,
        {
            "input": {
                "type": "VIDEO",
                "input": {"text": "x"},
                "priority": "QUALITY",
                "options": {"duration": 10},
            }
        },
    ).data["generate"]
    run_to_completion(made["id"])
    status = gql(STATUS, {"id": made["id"]}).data["generation"]
    assert status["status"] == "COMPLETED", status


def test_repeated_failures_cool_a_provider_down_and_auto_selection_skips_it(monkeypatch):
    monkeypatch.setattr("providers.selection.is_available", lambda spec, mode: True)
    first, second = _ranked(mode="live")[:2]
    for _ in range(health.THRESHOLD):
        health.record_failure(first)
    assert health.status(first) == health.COOLING_DOWN
    assert _ranked(mode="live")[0] == second
    health.record_success(first)
    assert health.status(first) == health.HEALTHY
    assert _ranked(mode="live")[0] == first


def test_one_failure_degrades_and_degraded_providers_rank_after_healthy_ones(monkeypatch):
    monkeypatch.setattr("providers.selection.is_available", lambda spec, mode: True)
    first, second = _ranked(mode="live")[:2]
    health.record_failure(first)
    assert health.status(first) == health.DEGRADED
    assert _ranked(mode="live")[0] == second


def test_providers_expose_health(gql):
    health.record_failure("kling")
    providers = {p["id"]: p["health"] for p in gql("{ providers { id health } }").data["providers"]}
    assert providers["kling"] == "degraded" and providers["luma"] == "healthy"
