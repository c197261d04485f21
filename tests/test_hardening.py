"""GraphQL hardening: token, depth and alias limits; introspection on; no batching."""

from __future__ import annotations

import json

from generations.graphql.documents import MAX_ALIASES, MAX_TOKENS


def test_introspection_and_typename_stay_available(gql):
    result = gql("{ __typename __schema { queryType { name } mutationType { name } } }")
    assert result.status_code == 200 and not result.errors
    assert result.data["__schema"]["queryType"]["name"] == "Query"


def test_the_graphiql_introspection_query_passes_the_limits(gql):
    from graphql import get_introspection_query

    result = gql(get_introspection_query(descriptions=True))
    assert not result.errors and result.data["__schema"]["types"]


def test_too_many_aliases_are_refused(gql):
    fields = " ".join(f"a{i}: me {{ email }}" for i in range(MAX_ALIASES + 1))
    result = gql("{ " + fields + " }")
    assert result.data is None
    assert any("aliases" in error["message"] for error in result.errors)


def test_a_too_deep_document_is_refused(gql):
    deep = "{ generations { edges { node { id } } } }"
    for _ in range(12):
        deep = "{ generations { edges { node " + deep + " } } }"
    result = gql(deep)
    assert result.data is None
    assert any("depth" in error["message"] for error in result.errors)


def test_a_document_with_too_many_tokens_is_refused(gql):
    result = gql("{ " + "__typename " * (MAX_TOKENS + 1) + "}")
    assert result.data is None
    assert any("token" in error["message"].lower() for error in result.errors)


def test_batched_requests_are_refused(client, test_key):
    body = json.dumps([{"query": "{ me { email } }"}, {"query": "{ me { email } }"}])
    response = client.post(
        "/graphql", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {test_key}"
    )
    assert response.status_code == 400
