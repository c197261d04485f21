"""The ledger is append-only, balances reconcile, and the reconcile command says so."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from billing.credits import credits_change, credits_refund, ledger_mismatches
from billing.models import CreditBalance, LedgerEntry


def test_a_ledger_row_cannot_be_updated(account):
    entry = LedgerEntry.objects.filter(account=account).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=10**9)
    entry.refresh_from_db()
    assert entry.amount != 10**9


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE guard is PostgreSQL's")
def test_a_ledger_row_cannot_be_deleted_on_postgresql(account):
    entry = LedgerEntry.objects.filter(account=account).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_reconcile_passes_when_balances_match_the_ledger(account, capsys):
    credits_change(account=account, mode="live", amount=700, reason="grant")
    call_command("credits_reconcile")
    assert "All balances match" in capsys.readouterr().out


def test_reconcile_exits_non_zero_on_a_mismatch(account):
    CreditBalance.objects.filter(account=account, mode="test").update(balance=1)
    assert ledger_mismatches()
    with pytest.raises(CommandError):
        call_command("credits_reconcile")


def test_a_negative_adjustment_never_takes_a_balance_below_zero(account):
    from billing.credits import InsufficientCredits, balance_get

    before = balance_get(account=account, mode="test")
    with pytest.raises(InsufficientCredits):
        credits_change(
            account=account, mode="test", amount=-(before + 1), reason="too much", kind="adjustment"
        )
    assert balance_get(account=account, mode="test") == before
    assert ledger_mismatches() == []


def test_a_refund_needs_a_capture_and_happens_once(account, gql):
    from tests.helpers import run_to_completion

    gen_id = gql(
        'mutation { generate(input: { type: IMAGE, provider: "flux-dev", '
        'input: { text: "x" } }) { id } }'
    ).data["generate"]["id"]
    assert credits_refund(account=account, mode="test", generation_id=gen_id, reason="r") is None
    run_to_completion(gen_id)
    assert credits_refund(account=account, mode="test", generation_id=gen_id, reason="r")
    assert credits_refund(account=account, mode="test", generation_id=gen_id, reason="r") is None
    assert ledger_mismatches() == []
