"""Account services: creating an account with its balances and starter credits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from billing.credits import credits_change
from billing.models import Account, CreditBalance, LedgerKind, Mode, Plan

DEFAULT_PLAN = "free"


@transaction.atomic
def account_create(*, user: AbstractBaseUser, plan_slug: str = DEFAULT_PLAN) -> Account:
    """Create the user's account on ``plan_slug`` with live and test balances.

    The test balance starts at ``STARTER_TEST_CREDITS`` so a new developer can
    try every provider in the sandbox at once; the account gets its ``whsec_``
    webhook signing secret.
    """
    from generations.webhooks import new_secret

    account = Account.objects.create(
        user=user, plan=Plan.objects.get(slug=plan_slug), webhook_secret=new_secret()
    )
    CreditBalance.objects.bulk_create(
        [CreditBalance(account=account, mode=mode) for mode in Mode.values]
    )
    if settings.STARTER_TEST_CREDITS > 0:
        credits_change(
            account=account,
            mode=Mode.TEST,
            amount=settings.STARTER_TEST_CREDITS,
            reason="Starter test credits",
            kind=LedgerKind.GRANT,
            idempotency_key=f"starter:{account.pk}",
        )
    return account


def account_limits(account: Account) -> dict[str, int | None]:
    """The effective limits: per-account overrides first, then the plan's."""
    plan = account.plan
    return {
        "requests_per_minute": account.requests_per_minute_override or plan.requests_per_minute,
        "concurrent": account.concurrent_override or plan.concurrent,
        "daily": account.daily_override if account.daily_override is not None else plan.daily,
        "reads_per_minute": plan.reads_per_minute,
    }
