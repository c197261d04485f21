"""Create (or refresh) the demo developer and print a funded test key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from billing.accounts import account_create
from billing.credits import balance_get, credits_change
from billing.keys import api_key_create
from billing.models import Account, Mode

DEMO_EMAIL = "demo@doitong.local"
DEMO_PASSWORD = "doitong-demo"


class Command(BaseCommand):
    help = "Create the demo developer with a funded test key; print the key once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--key-only", action="store_true", help="Print only the key.")

    @transaction.atomic
    def handle(self, *args: Any, key_only: bool = False, **options: Any) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_EMAIL, defaults={"email": DEMO_EMAIL}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # Pro, so the quick-start examples can run back to back (Free runs one job at a time).
        account = Account.objects.filter(user=user).first() or account_create(
            user=user, plan_slug="pro"
        )
        shortfall = settings.STARTER_TEST_CREDITS - balance_get(account=account, mode=Mode.TEST)
        if shortfall > 0:
            credits_change(account=account, mode=Mode.TEST, amount=shortfall, reason="Demo top-up")
        _, secret = api_key_create(account=account, mode=Mode.TEST, name="demo")
        if key_only:
            self.stdout.write(secret)
            return
        self.stdout.write(f"Demo developer: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"Test key (shown once): {secret}")
