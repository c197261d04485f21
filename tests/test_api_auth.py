"""Bearer-key authentication on /graphql."""

from __future__ import annotations

import json

import pytest

from billing.keys import api_key_authenticate, api_key_create, api_key_revoke
from billing.models import APIKey

QUERY = json.dumps({"query": "{ me { email } }"})


def _post(client, authorization=None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    return client.post("/graphql", QUERY, content_type="application/json", **headers)


@pytest.mark.django_db
def test_it_answers_401_unauthenticated_without_a_key(client):
    response = _post(client)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response["X-Request-Id"].startswith("req_")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["Bearer dt_test_nope", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_it_answers_401_for_unknown_or_malformed_keys(client, authorization):
    response = _post(client, authorization)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_it_answers_401_for_a_revoked_key(client, account):
    key, secret = api_key_create(account=account, mode="test")
    assert _post(client, f"Bearer {secret}").status_code == 200
    api_key_revoke(key=key)
    assert _post(client, f"Bearer {secret}").status_code == 401


def test_it_stores_only_a_prefix_and_a_digest(account):
    key, secret = api_key_create(account=account, mode="live", name="prod")
    assert secret.startswith("dt_live_")
    row = APIKey.objects.get(pk=key.pk)
    assert secret.startswith(row.prefix) and len(row.prefix) < len(secret)
    assert secret not in (row.digest, row.prefix)
    assert api_key_authenticate(secret).pk == key.pk
    assert api_key_authenticate(secret[:-1] + ("a" if secret[-1] != "a" else "b")) is None


def test_it_records_last_used_at(client, account):
    key, secret = api_key_create(account=account, mode="test")
    assert key.last_used_at is None
    _post(client, f"Bearer {secret}")
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.django_db
def test_a_browser_get_shows_graphiql_without_a_key(client):
    response = client.get("/graphql", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_cookies_never_authenticate_graphql(client, account):
    client.force_login(account.user)
    assert _post(client).status_code == 401
