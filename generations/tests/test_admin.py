"""The staff admin for generations: list, read-only page with preview, cancel and refund."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.credits import balance_get
from billing.models import LedgerEntry, LedgerKind
from billing.tests.factories import AccountFactory
from generations.models import Generation, Status
from tests.helpers import run_to_completion

GENERATIONS = "/admin/generations/generation/"
GENERATE = "mutation G($input: GenerateInput!) { generate(input: $input) { id creditCost } }"


def _generate(gql, **input_):
    result = gql(GENERATE, {"input": input_})
    assert not result.errors, result.json
    return result.data["generate"]


def _video(gql):
    return _generate(
        gql, type="VIDEO", provider="kling", input={"text": "A fox"}, options={"duration": 5}
    )


def _action(client, action, generations):
    response = client.post(
        GENERATIONS,
        {"action": action, "_selected_action": [g["id"] for g in generations]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_cancel_and_refund_cancels_a_queued_generation_and_gives_the_hold_back(
    gql, staff_client, account
):
    # Given a queued generation holding its price
    before = balance_get(account=account, mode="test")
    made = _video(gql)
    assert balance_get(account=account, mode="test") == before - made["creditCost"]
    # When staff cancel and refund it
    messages = _action(staff_client, "cancel_and_refund", [made])
    # Then it is cancelled, the hold is released in full and staff are told
    assert Generation.objects.get(id=made["id"]).status == Status.CANCELLED
    assert balance_get(account=account, mode="test") == before
    release = LedgerEntry.objects.get(generation_id=made["id"], kind=LedgerKind.RELEASE)
    assert release.amount == made["creditCost"]
    assert any("Cancelled 1 generation" in m and "0 already finished" in m for m in messages)


def test_cancel_and_refund_leaves_a_finished_generation_alone(gql, staff_client, account):
    # Given a completed generation
    made = _video(gql)
    run_to_completion(made["id"])
    after_capture = balance_get(account=account, mode="test")
    # When staff cancel it
    messages = _action(staff_client, "cancel_and_refund", [made])
    # Then nothing changes and staff are told it had already finished
    assert Generation.objects.get(id=made["id"]).status == Status.COMPLETED
    assert balance_get(account=account, mode="test") == after_capture
    assert any("Cancelled 0 generations" in m and "1 already finished" in m for m in messages)


def test_refund_gives_a_completed_generations_credits_back_exactly_once(
    gql, staff_client, staff, account
):
    # Given a completed generation whose price was captured
    before = balance_get(account=account, mode="test")
    made = _video(gql)
    assert run_to_completion(made["id"]).status == Status.COMPLETED
    assert balance_get(account=account, mode="test") == before - made["creditCost"]
    # When staff refund it twice
    first = _action(staff_client, "refund", [made])
    second = _action(staff_client, "refund", [made])
    # Then the credits came back once, by that staff user, and the second run did nothing
    assert balance_get(account=account, mode="test") == before
    refund = LedgerEntry.objects.get(generation_id=made["id"], kind=LedgerKind.REFUND)
    assert refund.amount == made["creditCost"] and refund.actor == staff
    assert refund.reason == f"Staff refund of {made['id']}"
    assert any(f"Refunded 1 generation ({made['creditCost']} credits)" in m for m in first)
    assert any("Refunded 0 generations" in m and "skipped 1" in m for m in second)


def test_refund_skips_a_generation_that_is_not_completed(gql, staff_client, account):
    # Given a queued generation
    made = _video(gql)
    held = balance_get(account=account, mode="test")
    # When staff refund it
    messages = _action(staff_client, "refund", [made])
    # Then nothing is refunded: the hold stays until the job settles
    assert balance_get(account=account, mode="test") == held
    assert not LedgerEntry.objects.filter(generation_id=made["id"], kind=LedgerKind.REFUND)
    assert any("skipped 1" in m for m in messages)


def _make_generations(count):
    for n in range(count):
        Generation.objects.create(
            account=AccountFactory(),
            mode="test",
            type="IMAGE",
            provider=f"provider-{n % 3}",
            credit_cost=10,
        )


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_generation_changelist_runs_a_constant_number_of_queries(staff_client, plans):
    # Given two generations of two accounts
    _make_generations(2)
    staff_client.get(GENERATIONS)  # warm caches (content types, session)
    few = _query_count(staff_client, GENERATIONS)
    # When ten more generations of ten more accounts exist
    _make_generations(10)
    many = _query_count(staff_client, GENERATIONS)
    # Then the list runs the same number of queries
    assert Generation.objects.count() == 12
    assert many == few


def test_the_generation_list_is_searchable_by_id_and_email(staff_client, plans):
    _make_generations(3)
    wanted = Generation.objects.select_related("account__user").first()
    by_id = staff_client.get(GENERATIONS, {"q": wanted.id})
    by_email = staff_client.get(GENERATIONS, {"q": wanted.account.user.email})
    assert list(by_id.context["cl"].result_list) == [wanted]
    assert list(by_email.context["cl"].result_list) == [wanted]


def test_the_generation_page_previews_a_completed_video_and_is_read_only(
    gql, staff_client, account
):
    # Given a completed video
    made = _video(gql)
    done = run_to_completion(made["id"])
    # When staff open its page
    response = staff_client.get(f"{GENERATIONS}{done.id}/change/")
    page = response.content.decode()
    # Then it shows a playable preview of the stored file, the metadata and the attempts
    assert response.status_code == 200
    assert f'<video src="{done.output.url}" controls' in page
    assert "&quot;duration&quot;" in page and "kling" in page
    # ... and offers no way to edit, add or delete
    assert 'name="_save"' not in page
    assert staff_client.get(f"{GENERATIONS}add/").status_code == 403


def test_staff_can_redeliver_a_webhook_from_the_admin(
    client, gql, django_capture_on_commit_callbacks
):

    from generations.models import WebhookDelivery
    from tests.helpers import run_to_completion

    staff = get_user_model().objects.create_superuser("root@example.com", "root@example.com", "x")
    gen_id = gql(
        "mutation G($input: GenerateInput!) { generate(input: $input) { id } }",
        {
            "input": {
                "type": "IMAGE",
                "provider": "flux-dev",
                "input": {"text": "x"},
                "webhookUrl": "https://hooks.example.com/x",
            }
        },
    ).data["generate"]["id"]
    run_to_completion(gen_id)
    delivery = WebhookDelivery.objects.get(generation_id=gen_id)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="exhausted", attempt_count=9)
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/admin/generations/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302 and len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempt_count == 9
    page = client.get(f"/admin/generations/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and delivery.id.encode() in page.content
