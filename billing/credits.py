"""The credit ledger: grants, holds, captures and releases (whole credits).

Rules (see docs/adr/0001-credits-ledger.md):
- never read, decide in Python, then write: a hold is one conditional
  ``UPDATE … SET balance = balance - cost WHERE balance >= cost``;
- the cached `CreditBalance` changes only in the transaction of its ledger row;
- settlement (capture or release) writes the unique key ``settle:<generation>``,
  so a hold is settled exactly once however often the settling task runs.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from billing.models import Account, CreditBalance, LedgerEntry, LedgerKind


class InsufficientCredits(Exception):
    """The balance is below the job's cost (code INSUFFICIENT_CREDITS)."""

    code = "INSUFFICIENT_CREDITS"

    def __init__(self, *, required: int, mode: str) -> None:
        super().__init__(
            f"This job costs {required} credits, which is more than your {mode} balance. "
            f"Top up your {mode} credits and try again."
        )
        self.required = required
        self.mode = mode


def balance_get(*, account: Account, mode: str) -> int:
    """The cached balance in credits (0 when the account has no row yet)."""
    row = CreditBalance.objects.filter(account=account, mode=mode).values("balance").first()
    return row["balance"] if row else 0


def _append(
    *,
    account: Account,
    mode: str,
    kind: str,
    amount: int,
    reason: str,
    key: str,
    generation_id: str = "",
    actor: AbstractBaseUser | None = None,
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        account=account,
        mode=mode,
        kind=kind,
        amount=amount,
        reason=reason[:255],
        idempotency_key=key,
        generation_id=generation_id,
        actor=actor,
    )


@transaction.atomic
def credits_change(
    *,
    account: Account,
    mode: str,
    amount: int,
    reason: str,
    kind: str = LedgerKind.GRANT,
    actor: AbstractBaseUser | None = None,
    idempotency_key: str | None = None,
) -> LedgerEntry | None:
    """Grant (amount > 0) or adjust (signed) credits; the path staff actions use too.

    Returns the new ledger row, or None when ``idempotency_key`` was used before.
    Raises `InsufficientCredits` when a negative adjustment would go below zero.
    """
    if not reason.strip():
        raise ValueError("A credit change needs a reason.")
    if amount == 0:
        raise ValueError("A credit change needs a non-zero amount.")
    key = idempotency_key or f"{kind}:{account.pk}:{mode}:{uuid.uuid4().hex}"
    CreditBalance.objects.get_or_create(account=account, mode=mode)
    try:
        with transaction.atomic():
            entry = _append(
                account=account,
                mode=mode,
                kind=kind,
                amount=amount,
                reason=reason,
                key=key,
                actor=actor,
            )
    except IntegrityError:
        return None
    updated = CreditBalance.objects.filter(
        account=account, mode=mode, balance__gte=max(0, -amount)
    ).update(balance=F("balance") + amount)
    if updated != 1:
        raise InsufficientCredits(required=-amount, mode=mode)
    return entry


def credits_hold(*, account: Account, mode: str, amount: int, generation_id: str) -> None:
    """Hold ``amount`` credits for a generation; call inside the creating transaction.

    Raises `InsufficientCredits` (and writes nothing) when the balance is short.
    """
    updated = CreditBalance.objects.filter(account=account, mode=mode, balance__gte=amount).update(
        balance=F("balance") - amount
    )
    if updated != 1:
        raise InsufficientCredits(required=amount, mode=mode)
    _append(
        account=account,
        mode=mode,
        kind=LedgerKind.HOLD,
        amount=-amount,
        reason=f"Hold for {generation_id}",
        key=f"hold:{generation_id}",
        generation_id=generation_id,
    )


def _held(generation_id: str) -> int:
    total = LedgerEntry.objects.filter(generation_id=generation_id, kind=LedgerKind.HOLD).aggregate(
        total=Sum("amount")
    )["total"]
    return -(total or 0)


@transaction.atomic
def credits_capture(*, account: Account, mode: str, generation_id: str) -> bool:
    """Make the generation's hold final. True if this call settled it."""
    try:
        with transaction.atomic():
            _append(
                account=account,
                mode=mode,
                kind=LedgerKind.CAPTURE,
                amount=0,
                reason=f"Capture of {_held(generation_id)} credits for {generation_id}",
                key=f"settle:{generation_id}",
                generation_id=generation_id,
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def credits_release(*, account: Account, mode: str, generation_id: str, reason: str) -> bool:
    """Give the generation's hold back. True if this call settled it."""
    amount = _held(generation_id)
    try:
        with transaction.atomic():
            _append(
                account=account,
                mode=mode,
                kind=LedgerKind.RELEASE,
                amount=amount,
                reason=reason,
                key=f"settle:{generation_id}",
                generation_id=generation_id,
            )
    except IntegrityError:
        return False
    if amount:
        CreditBalance.objects.filter(account=account, mode=mode).update(
            balance=F("balance") + amount
        )
    return True


@transaction.atomic
def credits_refund(
    *,
    account: Account,
    mode: str,
    generation_id: str,
    reason: str,
    actor: AbstractBaseUser | None = None,
) -> LedgerEntry | None:
    """Give back the captured credits of a COMPLETED generation, once.

    Returns the refund row, or None when the generation was never captured or was
    refunded before (the key ``refund:<generation id>`` is unique).
    """
    captured = LedgerEntry.objects.filter(
        generation_id=generation_id, kind=LedgerKind.CAPTURE
    ).exists()
    amount = _held(generation_id)
    if not captured or amount <= 0:
        return None
    try:
        with transaction.atomic():
            entry = _append(
                account=account,
                mode=mode,
                kind=LedgerKind.REFUND,
                amount=amount,
                reason=reason,
                key=f"refund:{generation_id}",
                generation_id=generation_id,
                actor=actor,
            )
    except IntegrityError:
        return None
    CreditBalance.objects.filter(account=account, mode=mode).update(balance=F("balance") + amount)
    return entry


def ledger_mismatches() -> list[dict[str, int | str]]:
    """Every (account, mode) whose cached balance differs from its ledger sum."""
    sums = {
        (row["account_id"], row["mode"]): row["total"]
        for row in LedgerEntry.objects.values("account_id", "mode").annotate(total=Sum("amount"))
    }
    found = []
    for balance in CreditBalance.objects.values("account_id", "mode", "balance"):
        key = (balance["account_id"], balance["mode"])
        expected = sums.pop(key, 0)
        if expected != balance["balance"]:
            found.append(
                {
                    "account": key[0],
                    "mode": key[1],
                    "cached": balance["balance"],
                    "ledger": expected,
                }
            )
    for (account_id, mode), total in sums.items():
        found.append({"account": account_id, "mode": mode, "cached": 0, "ledger": total})
    return found


def credits_requote(
    *,
    account: Account,
    mode: str,
    generation_id: str,
    old: int,
    new: int,
    attempt: int,
    reason: str,
) -> None:
    """Adjust a generation's hold from ``old`` to ``new`` credits (fallback re-quote).

    Call inside a transaction. A higher price holds the difference with the same
    conditional UPDATE as a hold (raising `InsufficientCredits` and writing nothing
    when the balance is short); a lower one gives the difference back at once.
    """
    delta = new - old
    if delta == 0:
        return
    balances = CreditBalance.objects.filter(account=account, mode=mode)
    if delta > 0:
        if balances.filter(balance__gte=delta).update(balance=F("balance") - delta) != 1:
            raise InsufficientCredits(required=delta, mode=mode)
    else:
        balances.update(balance=F("balance") - delta)
    _append(
        account=account,
        mode=mode,
        kind=LedgerKind.HOLD,
        amount=-delta,
        reason=reason,
        key=f"hold:{generation_id}:{attempt}",
        generation_id=generation_id,
    )
