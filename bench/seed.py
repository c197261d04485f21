"""Create the benchmark's accounts and test keys; run inside Django.

Usage (the harness does this for you)::

    DJANGO_SETTINGS_MODULE=doitong.settings python -m bench.seed --users 50 --out keys.json

Each user gets an enterprise account whose limits are overridden with huge
numbers (so plan limits never interfere), a large test-credit top-up and one
test key. The secrets are written as a JSON list to ``--out``. Running it again
on the same database reuses the users and adds fresh keys.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

HUGE_LIMIT = 10**9
TOP_UP = 10**12
EMAIL_DOMAIN = "bench.invalid"


def seed(users: int) -> list[str]:
    """Make ``users`` funded, unlimited bench accounts and return one test key each."""
    from django.contrib.auth import get_user_model

    from billing.accounts import account_create
    from billing.credits import balance_get, credits_change
    from billing.keys import api_key_create
    from billing.models import Account

    user_model = get_user_model()
    secrets: list[str] = []
    for index in range(users):
        email = f"bench-{index:03d}@{EMAIL_DOMAIN}"
        user, created = user_model.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            user.set_unusable_password()  # no password hashing: keeps seeding fast
            user.save(update_fields=["password"])
        account = Account.objects.filter(user=user).first()
        if account is None:
            account = account_create(user=user, plan_slug="enterprise")
        account.requests_per_minute_override = HUGE_LIMIT
        account.concurrent_override = HUGE_LIMIT
        account.daily_override = HUGE_LIMIT
        account.save(
            update_fields=["requests_per_minute_override", "concurrent_override", "daily_override"]
        )
        if balance_get(account=account, mode="test") < TOP_UP // 2:
            credits_change(account=account, mode="test", amount=TOP_UP, reason="bench")
        _row, secret = api_key_create(account=account, mode="test", name="bench")
        secrets.append(secret)
    return secrets


def main() -> None:
    """Parse arguments, set Django up, seed and write the keys file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doitong.settings")
    import django

    django.setup()
    keys = seed(args.users)
    args.out.write_text(json.dumps(keys))
    args.out.chmod(0o600)
    print(f"seeded {len(keys)} bench accounts with test keys")


if __name__ == "__main__":
    main()
