"""generate, cancelGeneration and videoCreate over GraphQL, with every error code."""

from __future__ import annotations

import pytest

from billing.credits import balance_get, credits_change
from billing.models import LedgerEntry
from generations.models import Generation

GENERATE = """
mutation G($input: GenerateInput!) {
  generate(input: $input) { id status type provider creditCost estimatedTime progress url }
}
"""


def _generate(gql, key=None, **input_):
    return gql(GENERATE, {"input": input_}, key=key)


def test_generate_holds_the_price_and_queues_a_generation(gql, account):
    # Given a funded test balance
    before = balance_get(account=account, mode="test")
    # When a client asks kling for a 5-second video
    result = _generate(
        gql, type="VIDEO", provider="kling", input={"text": "A fox"}, options={"duration": 5}
    )
    # Then a queued generation holds exactly its price
    assert result.status_code == 200 and not result.errors
    generation = result.data["generate"]
    assert generation["id"].startswith("gen_")
    assert generation["status"] == "QUEUED"
    assert generation["provider"] == "kling"
    assert generation["progress"] == 0 and generation["url"] is None
    assert generation["creditCost"] > 0 and generation["estimatedTime"] > 0
    assert balance_get(account=account, mode="test") == before - generation["creditCost"]
    hold = LedgerEntry.objects.get(generation_id=generation["id"])
    assert (hold.kind, hold.amount) == ("hold", -generation["creditCost"])


def test_generate_accepts_options_as_a_json_object_and_fills_defaults(gql):
    result = _generate(
        gql,
        type="VIDEO",
        provider="kling",
        input={"text": "A fox"},
        options={"mode": "pro", "duration": 10, "aspectRatio": "16:9"},
    )
    row = Generation.objects.get(id=result.data["generate"]["id"])
    assert row.options["mode"] == "pro" and row.options["duration"] == 10
    assert "model" in row.options  # a declared default was filled in


def test_a_longer_video_costs_more(gql):
    five = _generate(
        gql, type="VIDEO", provider="kling", input={"text": "x"}, options={"duration": 5}
    )
    ten = _generate(
        gql, type="VIDEO", provider="kling", input={"text": "x"}, options={"duration": 10}
    )
    assert ten.data["generate"]["creditCost"] == 2 * five.data["generate"]["creditCost"]


@pytest.mark.parametrize(
    ("input_", "field"),
    [
        ({"type": "VIDEO", "provider": "no-such", "input": {"text": "x"}}, "provider"),
        ({"type": "IMAGE", "provider": "kling", "input": {"text": "x"}}, "provider"),
        (
            {
                "type": "VIDEO",
                "provider": "kling",
                "input": {"text": "x"},
                "options": {"duration": 7},
            },
            "options.duration",
        ),
        (
            {"type": "VIDEO", "provider": "kling", "input": {"text": "x"}, "options": {"nope": 1}},
            "options.nope",
        ),
        (
            {
                "type": "VIDEO",
                "provider": "kling",
                "input": {"text": "x"},
                "options": '{"duration": 5}',
            },
            "options",
        ),
        ({"type": "VIDEO", "provider": "kling-animation", "input": {"text": "x"}}, "input.image"),
        ({"type": "VIDEO", "provider": "kling", "input": {"text": "x" * 2501}}, "input.text"),
        ({"type": "VIDEO", "provider": "kling", "input": {}}, "input.text"),
        (
            {
                "type": "VIDEO",
                "provider": "kling",
                "input": {"text": "x", "image": "ftp://x/y.png"},
            },
            "input.image",
        ),
        (
            {
                "type": "IMAGE",
                "provider": "flux-dev",
                "input": {"text": "x"},
                "options": {"width": "wide"},
            },
            "options.width",
        ),
        (
            {
                "type": "VIDEO",
                "provider": "kling",
                "input": {"text": "x"},
                "options": {"sandbox": "explode"},
            },
            "options.sandbox",
        ),
    ],
)
def test_bad_input_gets_invalid_input_and_writes_nothing(gql, account, input_, field):
    before = balance_get(account=account, mode="test")
    result = _generate(gql, **input_)
    assert result.status_code == 200
    assert result.codes == ["INVALID_INPUT"], result.json
    assert result.errors[0]["extensions"].get("field", "").startswith(field.split(".")[0])
    assert result.data == {"generate": None}
    assert not Generation.objects.exists()
    assert LedgerEntry.objects.filter(kind="hold").count() == 0
    assert balance_get(account=account, mode="test") == before


def test_an_unknown_type_is_rejected_by_the_schema(gql):
    result = _generate(gql, type="HOLOGRAM", input={"text": "x"})
    assert result.status_code == 400 and result.errors
    assert not Generation.objects.exists()


def test_insufficient_credits_writes_nothing(gql, account):
    credits_change(
        account=account,
        mode="test",
        amount=-balance_get(account=account, mode="test") + 10,
        reason="drain",
        kind="adjustment",
    )
    result = _generate(gql, type="VIDEO", provider="veo-3", input={"text": "x"})
    assert result.codes == ["INSUFFICIENT_CREDITS"]
    assert "credits" in result.errors[0]["message"]
    assert not Generation.objects.exists()
    assert balance_get(account=account, mode="test") == 10


def test_a_live_key_without_vendor_credentials_gets_provider_unavailable(gql, live_key, account):
    credits_change(account=account, mode="live", amount=100_000, reason="grant")
    result = _generate(gql, key=live_key, type="IMAGE", provider="flux-dev", input={"text": "x"})
    assert result.codes == ["PROVIDER_UNAVAILABLE"]
    assert balance_get(account=account, mode="live") == 100_000
    auto = _generate(gql, key=live_key, type="IMAGE", input={"text": "x"})
    assert auto.codes == ["PROVIDER_UNAVAILABLE"]


def test_the_sandbox_trigger_is_refused_on_live_keys(gql, live_key, account):
    credits_change(account=account, mode="live", amount=100_000, reason="grant")
    result = _generate(
        gql,
        key=live_key,
        type="IMAGE",
        provider="flux-dev",
        input={"text": "x"},
        options={"sandbox": "fail"},
    )
    assert result.codes == ["INVALID_INPUT"]


@pytest.mark.parametrize("priority", ["QUALITY", "SPEED", "COST", "BALANCED"])
def test_auto_selection_picks_a_provider_for_each_priority(gql, priority):
    result = _generate(gql, type="IMAGE", input={"text": "A lighthouse"}, priority=priority)
    assert not result.errors
    row = Generation.objects.get(id=result.data["generate"]["id"])
    assert row.auto_selected and row.type == "IMAGE"


def test_auto_selection_ranks_by_priority(gql):
    from providers.registry import specs_for_type
    from providers.selectors import default_price

    picks = {}
    for priority in ("QUALITY", "COST"):
        result = _generate(gql, type="IMAGE", input={"text": "A lighthouse"}, priority=priority)
        picks[priority] = result.data["generate"]
    images = specs_for_type("IMAGE")
    best_quality = max(spec.quality for spec in images if spec.image_input != "required")
    chosen = next(s for s in images if s.id == picks["QUALITY"]["provider"])
    assert chosen.quality == best_quality
    cheapest = min(default_price(s) for s in images if s.image_input != "required")
    assert picks["COST"]["creditCost"] == cheapest


def test_auto_selection_with_an_image_considers_image_to_video(gql):
    result = _generate(
        gql, type="VIDEO", input={"text": "Dance", "image": "https://example.com/a.jpg"}
    )
    assert not result.errors, result.json
    assert Generation.objects.get(id=result.data["generate"]["id"]).input["image"]


CANCEL = "mutation C($id: ID!) { cancelGeneration(id: $id) }"


def test_cancel_releases_the_hold_once(gql, account):
    before = balance_get(account=account, mode="test")
    gen_id = _generate(gql, type="IMAGE", provider="flux-dev", input={"text": "x"}).data[
        "generate"
    ]["id"]
    assert gql(CANCEL, {"id": gen_id}).data == {"cancelGeneration": True}
    assert Generation.objects.get(id=gen_id).status == "CANCELLED"
    assert balance_get(account=account, mode="test") == before
    # A second cancel of a finished job returns false and gives nothing back twice
    assert gql(CANCEL, {"id": gen_id}).data == {"cancelGeneration": False}
    assert balance_get(account=account, mode="test") == before
    assert LedgerEntry.objects.filter(generation_id=gen_id, kind="release").count() == 1


def test_cancel_of_an_unknown_or_foreign_id_is_not_found(gql, client):
    from billing.keys import api_key_create
    from billing.tests.factories import AccountFactory

    other = AccountFactory()
    other_key = api_key_create(account=other, mode="test")[1]
    gen_id = _generate(
        gql, key=other_key, type="IMAGE", provider="flux-dev", input={"text": "x"}
    ).data["generate"]["id"]
    for target in (gen_id, "gen_doesnotexist"):
        result = gql(CANCEL, {"id": target})
        assert result.codes == ["NOT_FOUND"]
        assert "another" not in result.errors[0]["message"]
    assert Generation.objects.get(id=gen_id).status == "QUEUED"


VIDEO_CREATE = """
mutation CreateVideo($input: VideoCreateInput!) {
  videoCreate(input: $input) { id status videoUrl }
}
"""


def test_legacy_video_create_maps_onto_generate(gql):
    result = gql(
        VIDEO_CREATE,
        {"input": {"prompt": "Beautiful sunset over ocean", "model": "luma", "duration": 9}},
    )
    assert not result.errors, result.json
    payload = result.data["videoCreate"]
    assert payload["status"] == "QUEUED" and payload["videoUrl"] is None
    row = Generation.objects.get(id=payload["id"])
    assert (row.provider, row.type, row.options["duration"]) == ("luma", "VIDEO", 9)


def test_legacy_video_create_reports_bad_input(gql):
    result = gql(VIDEO_CREATE, {"input": {"prompt": "x", "model": "luma", "duration": 7}})
    assert result.codes == ["INVALID_INPUT"]


def test_minimax_prices_a_10_second_1080p_request_at_the_768p_it_renders(gql):
    def cost(**options):
        result = _generate(
            gql, type="VIDEO", provider="minimax", input={"text": "x"}, options=options
        )
        return result.data["generate"]["creditCost"]

    assert cost(duration=10, resolution="1080p") == cost(duration=10, resolution="768p")
    assert cost(duration=6, resolution="1080p") > cost(duration=6, resolution="768p")
