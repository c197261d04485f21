"""The staff admin for accounts, the ledger, API keys and plans."""

from __future__ import annotations

import re
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.admin import LEDGER_INLINE_LIMIT
from billing.credits import balance_get, credits_change
from billing.keys import api_key_create
from billing.models import Account, APIKey, LedgerEntry, LedgerKind, Plan
from billing.tests.factories import AccountFactory

ACCOUNTS = "/admin/billing/account/"
LEDGER = "/admin/billing/ledgerentry/"
KEYS = "/admin/billing/apikey/"


def _credit_action(client, action, accounts, **fields):
    """POST the action's intermediate form, as its "apply" button does."""
    data = {
        "action": action,
        "_selected_action": [a.pk for a in accounts],
        "apply": "1",
        "token": str(uuid.uuid4()),
        **fields,
    }
    return client.post(ACCOUNTS, data, follow=True)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _form_inputs(html):
    """name → value of the hidden, text and number inputs of a rendered admin form."""
    return dict(re.findall(r'<input type="(?:hidden|number)" name="([^"]+)" value="([^"]*)"', html))


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_grant_action_shows_a_form_for_the_selected_accounts(staff_client, account):
    # When staff pick "Grant credits" for one account
    response = staff_client.post(
        ACCOUNTS, {"action": "grant_credits", "_selected_action": [account.pk]}
    )
    # Then the intermediate page lists the account and asks for mode, amount and reason
    assert response.status_code == 200
    page = response.content.decode()
    assert account.user.email in page
    assert 'name="amount"' in page and 'name="reason"' in page and 'name="mode"' in page
    assert 'name="token"' in page


def test_a_staff_grant_is_in_the_ledger_with_the_staff_actor_and_raises_the_balance(
    staff_client, staff, account
):
    # Given an account with no live credits
    assert balance_get(account=account, mode="live") == 0
    # When staff grant 500 live credits through the admin action's form
    response = _credit_action(
        staff_client, "grant_credits", [account], mode="live", amount=500, reason="Welcome pack"
    )
    # Then the balance rose, the ledger shows the grant by that staff user, and staff are told
    assert balance_get(account=account, mode="live") == 500
    entry = LedgerEntry.objects.get(account=account, mode="live")
    assert (entry.kind, entry.amount, entry.reason) == (LedgerKind.GRANT, 500, "Welcome pack")
    assert entry.actor == staff
    assert any("1 account changed" in m for m in _messages(response))


def test_a_grant_must_be_positive_and_have_a_reason(staff_client, account):
    # When staff submit a negative grant without a reason
    response = _credit_action(
        staff_client, "grant_credits", [account], mode="live", amount=-5, reason=" "
    )
    # Then the form is shown again with errors and nothing changed
    assert response.context["form"].errors.keys() == {"amount", "reason"}
    assert balance_get(account=account, mode="live") == 0
    assert not LedgerEntry.objects.filter(account=account, mode="live").exists()


def test_an_adjustment_below_zero_is_refused_with_a_message_and_changes_nothing(
    staff_client, plans
):
    # Given one account with 100 live credits and one with none
    funded, empty = AccountFactory(), AccountFactory()
    credits_change(account=funded, mode="live", amount=100, reason="Top-up")
    ledger_before = LedgerEntry.objects.count()
    # When staff adjust both by -60
    response = _credit_action(
        staff_client, "adjust_credits", [funded, empty], mode="live", amount=-60, reason="Fix"
    )
    # Then the empty account is refused with a message and left unchanged ...
    messages = _messages(response)
    assert any(empty.user.email in m and "below zero" in m for m in messages)
    assert balance_get(account=empty, mode="live") == 0
    assert not LedgerEntry.objects.filter(account=empty, kind=LedgerKind.ADJUSTMENT).exists()
    # ... while the funded one is adjusted
    assert balance_get(account=funded, mode="live") == 40
    assert LedgerEntry.objects.count() == ledger_before + 1
    assert any("1 account changed" in m for m in messages)


def test_a_zero_adjustment_is_rejected_by_the_form(staff_client, account):
    response = _credit_action(
        staff_client, "adjust_credits", [account], mode="test", amount=0, reason="Nothing"
    )
    assert "amount" in response.context["form"].errors


def test_submitting_the_same_credit_form_twice_changes_the_balance_once(staff_client, account):
    # Given a filled-in grant form
    data = {
        "action": "grant_credits",
        "_selected_action": [account.pk],
        "apply": "1",
        "token": str(uuid.uuid4()),
        "mode": "live",
        "amount": 250,
        "reason": "Goodwill",
    }
    # When it is submitted twice (a double click, a browser resubmit)
    staff_client.post(ACCOUNTS, data)
    response = staff_client.post(ACCOUNTS, data, follow=True)
    # Then the credits were granted once and staff are told the second time did nothing
    assert balance_get(account=account, mode="live") == 250
    assert any("already applied" in m for m in _messages(response))


def test_the_account_changelist_shows_balances_in_a_constant_number_of_queries(staff_client, plans):
    # Given two accounts with live credits
    for _ in range(2):
        credits_change(account=AccountFactory(), mode="live", amount=7, reason="Seed")
    staff_client.get(ACCOUNTS)  # warm caches (content types, session)
    # When staff open the list with 2 accounts, and again with 12
    few = _query_count(staff_client, ACCOUNTS)
    for _ in range(10):
        AccountFactory(plan="pro")
    response = staff_client.get(ACCOUNTS)
    many = _query_count(staff_client, ACCOUNTS)
    # Then the number of queries did not grow with the rows, and balances are shown
    assert Account.objects.count() == 12
    assert many == few
    rows = list(response.context["cl"].result_list)
    assert sorted((a.live_balance, a.test_balance) for a in rows)[-1] == (7, 100_000)


def test_the_ledger_changelist_runs_a_constant_number_of_queries(staff_client, staff, plans):
    # Given two ledger rows (two accounts' starter credits)
    first, second = AccountFactory(), AccountFactory()
    staff_client.get(LEDGER)
    few = _query_count(staff_client, LEDGER)
    # When ten more rows are written, some by staff
    for n in range(5):
        credits_change(account=first, mode="live", amount=n + 1, reason="Seed", actor=staff)
        credits_change(account=second, mode="test", amount=n + 1, reason="Seed")
    many = _query_count(staff_client, LEDGER)
    # Then the list still runs the same number of queries
    assert LedgerEntry.objects.count() == 12
    assert many == few


def test_the_ledger_admin_is_read_only_and_searchable(staff_client, account):
    # Given one ledger row (the starter grant)
    entry = LedgerEntry.objects.get(account=account)
    # When staff open the list and the row, and search by idempotency key and email
    page = staff_client.get(f"{LEDGER}{entry.pk}/change/").content.decode()
    by_key = staff_client.get(LEDGER, {"q": entry.idempotency_key})
    by_email = staff_client.get(LEDGER, {"q": account.user.email})
    # Then there is no way to add, save or delete, and search finds the row
    assert staff_client.get(f"{LEDGER}add/").status_code == 403
    assert 'name="_save"' not in page
    assert staff_client.post(f"{LEDGER}{entry.pk}/delete/").status_code == 403
    assert list(by_key.context["cl"].result_list) == [entry]
    assert list(by_email.context["cl"].result_list) == [entry]


def test_the_account_page_edits_plan_and_overrides_and_shows_the_latest_ledger_rows(
    staff_client, plans
):
    # Given a Free account with more ledger rows than the page shows
    account = AccountFactory(plan="free")
    for n in range(LEDGER_INLINE_LIMIT + 5):
        credits_change(account=account, mode="live", amount=n + 1, reason=f"Seed {n}")
    url = f"{ACCOUNTS}{account.pk}/change/"
    page = staff_client.get(url)
    # Then the page shows the balances and only the newest rows, newest first
    formset = page.context["inline_admin_formsets"][0].formset
    shown = [form.instance for form in formset.forms]
    assert len(shown) == LEDGER_INLINE_LIMIT
    assert shown[0].reason == f"Seed {LEDGER_INLINE_LIMIT + 4}"
    assert str(balance_get(account=account, mode="live")) in page.content.decode()
    # When staff move the account to Enterprise with its own limits, posting the page back
    enterprise = Plan.objects.get(slug="enterprise")
    data = _form_inputs(page.content.decode())
    data.update(
        plan=enterprise.pk,
        requests_per_minute_override=500,
        concurrent_override=40,
        daily_override="",
        _save="Save",
    )
    response = staff_client.post(url, data)
    # Then the plan and overrides are saved and the ledger is untouched
    assert response.status_code == 302, response.context["errors"]
    account.refresh_from_db()
    assert account.plan == enterprise
    assert (account.requests_per_minute_override, account.concurrent_override) == (500, 40)
    assert account.daily_override is None
    assert LedgerEntry.objects.filter(account=account).count() == LEDGER_INLINE_LIMIT + 6


def test_the_api_key_change_page_never_contains_the_digest(staff_client, account):
    # Given a key
    key, raw = api_key_create(account=account, mode="live", name="CI")
    # When staff open the list and the key
    listing = staff_client.get(KEYS).content.decode()
    page = staff_client.get(f"{KEYS}{key.pk}/change/").content.decode()
    # Then the prefix is shown, never the digest nor the secret, and only the name is editable
    for html in (listing, page):
        assert f"{key.prefix}…" in html
        assert key.digest not in html and raw not in html
    assert 'name="name"' in page and 'name="digest"' not in page and 'name="mode"' not in page
    assert staff_client.get(f"{KEYS}add/").status_code == 403


def test_the_revoke_action_revokes_the_selected_keys(staff_client, account):
    # Given an active key and an already revoked one
    active, _ = api_key_create(account=account, mode="live", name="active")
    revoked, _ = api_key_create(account=account, mode="test", name="old")
    APIKey.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00:00Z")
    # When staff revoke both
    response = staff_client.post(
        KEYS,
        {"action": "revoke_keys", "_selected_action": [active.pk, revoked.pk]},
        follow=True,
    )
    # Then the active key is revoked and staff are told what happened
    active.refresh_from_db()
    assert active.revoked_at is not None
    assert any("Revoked 1 key; 1 already revoked" in m for m in _messages(response))


def test_the_plan_list_shows_the_limits(staff_client, plans):
    page = staff_client.get("/admin/billing/plan/").content.decode()
    assert "Enterprise" in page and "Requests per minute" in page.replace("\n", " ")
    assert "Doitong staff" in page
