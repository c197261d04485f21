"""generation, generations, providers and me over GraphQL."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import run_to_completion

GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id } }"


def _make(gql, **input_):
    input_.setdefault("type", "IMAGE")
    input_.setdefault("provider", "flux-dev")
    input_.setdefault("input", {"text": "A lighthouse"})
    result = gql(GENERATE, {"input": input_})
    assert not result.errors, result.json
    return result.data["generate"]["id"]


def test_bare_metadata_and_error_selections_return_whole_objects(gql):
    done = run_to_completion(_make(gql))
    failed = run_to_completion(_make(gql, options={"sandbox": "fail"}))
    query = "query Q($id: ID!) { generation(id: $id) { id status url metadata error errorCode } }"
    ok = gql(query, {"id": done.id}).data["generation"]
    assert ok["status"] == "COMPLETED"
    assert ok["metadata"]["width"] == 1024 and ok["metadata"]["format"] in ("png", "jpeg")
    assert ok["url"].startswith("http://testserver/media/generations/")
    assert ok["error"] is None and ok["errorCode"] is None
    bad = gql(query, {"id": failed.id}).data["generation"]
    assert bad["status"] == "FAILED" and bad["errorCode"] == "GENERATION_FAILED"
    assert set(bad["error"]) == {"code", "message"}
    assert "released" in bad["error"]["message"]


def test_expanded_selections_work_too(gql):
    gen_id = run_to_completion(_make(gql)).id
    query = (
        "query Q($id: ID!) { generation(id: $id) { metadata { width height format bytes } "
        "error { code message } createdAt completedAt } }"
    )
    data = gql(query, {"id": gen_id}).data["generation"]
    assert data["metadata"]["height"] == 1024 and data["metadata"]["bytes"] > 0
    assert data["error"] is None and data["completedAt"] >= data["createdAt"]


def test_generation_of_another_account_is_not_found(gql, client):
    from billing.keys import api_key_create
    from billing.tests.factories import AccountFactory

    other_key = api_key_create(account=AccountFactory(), mode="test")[1]
    gen_id = _make(gql)
    result = gql(f'query {{ generation(id: "{gen_id}") {{ id }} }}', key=other_key)
    assert result.codes == ["NOT_FOUND"]
    assert result.data == {"generation": None}


def test_generation_reads_do_not_grow_with_the_data(gql, django_assert_max_num_queries):
    ids = [_make(gql) for _ in range(3)]
    query = "query Q($id: ID!) { generation(id: $id) { id status url metadata error progress } }"
    with CaptureQueriesContext(connection) as first:
        gql(query, {"id": ids[0]})
    for _ in range(10):
        _make(gql)
    with CaptureQueriesContext(connection) as later:
        gql(query, {"id": ids[-1]})
    assert len(later) == len(first) <= 3


def test_generate_uses_a_constant_number_of_queries(gql):
    _make(gql)
    with CaptureQueriesContext(connection) as first:
        _make(gql)
    for _ in range(10):
        _make(gql)
    with CaptureQueriesContext(connection) as later:
        _make(gql)
    assert len(later) == len(first) <= 12


def test_generations_is_a_paginated_filterable_connection(gql):
    ids = [_make(gql) for _ in range(5)]
    video = _make(gql, type="VIDEO", provider="kling", input={"text": "x"})
    query = """query P($first: Int, $after: String, $type: GenerationType) {
      generations(first: $first, after: $after, type: $type) {
        edges { cursor node { id type } } pageInfo { hasNextPage endCursor } } }"""
    page1 = gql(query, {"first": 4, "type": "IMAGE"}).data["generations"]
    assert [e["node"]["id"] for e in page1["edges"]] == ids[::-1][:4]
    assert page1["pageInfo"]["hasNextPage"] is True
    page2 = gql(query, {"first": 4, "type": "IMAGE", "after": page1["pageInfo"]["endCursor"]})
    assert [e["node"]["id"] for e in page2.data["generations"]["edges"]] == [ids[0]]
    assert page2.data["generations"]["pageInfo"]["hasNextPage"] is False
    videos = gql(query, {"type": "VIDEO"}).data["generations"]["edges"]
    assert [e["node"]["id"] for e in videos] == [video]
    status = gql("{ generations(status: CANCELLED) { edges { node { id } } } }")
    assert status.data["generations"]["edges"] == []
    bad = gql(query, {"after": "not-a-cursor"})
    assert bad.codes == ["INVALID_INPUT"]


def test_providers_lists_the_ten_video_entries_with_options_and_prices(gql):
    query = """query GetProviders($type: GenerationType!) { providers(type: $type) {
      id name vendor description features limitations models available
      pricing { creditCost estimatedTime }
      options { name type required description allowedValues default } } }"""
    providers = gql(query, {"type": "VIDEO"}).data["providers"]
    assert len(providers) == 10
    ids = {p["id"] for p in providers}
    assert {
        "kling",
        "minimax",
        "veo-3",
        "runway",
        "luma",
        "seedance",
        "wan",
        "vidu",
        "kling-animation",
        "runway-animation",
    } == ids
    for provider in providers:
        assert provider["available"] is True  # test keys run every entry in the sandbox
        assert provider["pricing"]["creditCost"] > 0
        names = {o["name"] for o in provider["options"]}
        assert {"duration", "aspectRatio"} <= names
    everything = gql("{ providers { id type } }").data["providers"]
    assert len(everything) == 23


def test_providers_are_unavailable_for_live_keys_without_credentials(gql, live_key):
    providers = gql("{ providers(type: IMAGE) { id available } }", key=live_key).data["providers"]
    assert providers and not any(p["available"] for p in providers)


def test_me_reports_plan_balances_and_usage(gql, account):
    _make(gql)
    me = gql(
        "{ me { email mode plan { name requestsPerMinute concurrent daily } "
        "credits { live test } usage { concurrent today } } }"
    ).data["me"]
    assert me["email"] == account.user.email and me["mode"] == "test"
    assert me["plan"] == {
        "name": "Enterprise",
        "requestsPerMinute": 120,
        "concurrent": 25,
        "daily": None,
    }
    assert me["credits"]["live"] == 0 and me["credits"]["test"] > 0
    assert me["usage"] == {"concurrent": 1, "today": 1}
