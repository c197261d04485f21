"""Check every cached balance against its ledger sum; exit 1 on any mismatch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from billing.credits import ledger_mismatches


class Command(BaseCommand):
    help = "Compare each CreditBalance with the sum of its ledger rows (exit 1 on mismatch)."

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = ledger_mismatches()
        for row in mismatches:
            self.stderr.write(
                f"account {row['account']} ({row['mode']}): cached {row['cached']}, "
                f"ledger sum {row['ledger']}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} balance(s) do not match the ledger.")
        self.stdout.write("All balances match the ledger.")
