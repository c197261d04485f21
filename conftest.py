"""Shared fixtures: accounts, keys and a GraphQL client for the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from billing.tests.factories import AccountFactory


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


class FakeDNS:
    """Resolves names without the network: a table, else one public address.

    Numeric hosts (``127.0.0.1``, ``2130706433``, ``[::1]``) go to the real
    resolver, which decodes them locally.
    """

    PUBLIC = "93.184.215.14"

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {"localhost": ["127.0.0.1", "::1"]}

    def __call__(self, host: str, port: int) -> list[str]:
        import ipaddress
        import socket

        if host in self.table:
            return self.table[host]
        try:
            ipaddress.ip_address(host)
            numeric = True
        except ValueError:
            numeric = host.replace(".", "").isdigit() or host.startswith("0x")
        if numeric:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            return [str(info[4][0]) for info in infos]
        return [self.PUBLIC]


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Tests never touch the network: DNS answers come from this table."""
    fake = FakeDNS()
    monkeypatch.setattr("providers.ssrf.resolve", fake)
    return fake


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def plans(db: None) -> None:
    """The plan rows; transactional tests flush what the data migration created."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("billing.migrations.0002_plans")
    migration.create_plans(apps, None)


@pytest.fixture
def account(plans: None) -> Any:
    """An Enterprise account: room for the many jobs a test makes. Limit tests use Free."""
    return AccountFactory(plan="enterprise")


@pytest.fixture
def free_account(plans: None) -> Any:
    return AccountFactory(plan="free")


@pytest.fixture
def staff(db: None) -> Any:
    """A superuser for the admin tests."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="staff@doitong.test", email="staff@doitong.test", password="not-used"
    )


@pytest.fixture
def staff_client(client: Client, staff: Any) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture
def test_key(account: Any) -> str:
    from billing.keys import api_key_create

    return api_key_create(account=account, mode="test", name="tests")[1]


@pytest.fixture
def live_key(account: Any) -> str:
    from billing.keys import api_key_create

    return api_key_create(account=account, mode="live", name="tests")[1]


class GraphQLResponse:
    def __init__(self, response: Any) -> None:
        self.response = response
        self.status_code = response.status_code
        self.json = json.loads(response.content)
        self.data = self.json.get("data")
        self.errors = self.json.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


@pytest.fixture
def gql(client: Client, test_key: str) -> Callable[..., GraphQLResponse]:
    """Post a GraphQL operation with the test key (or ``key=``) and decode it."""

    def post(
        query: str, variables: dict | None = None, *, key: str | None = None, **headers: str
    ) -> GraphQLResponse:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
        response = client.post(
            "/graphql",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key or test_key}",
            **extra,
        )
        return GraphQLResponse(response)

    return post
