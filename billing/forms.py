"""Staff forms: the intermediate page of the "Grant credits" and "Adjust credits" actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from billing.models import Mode


class CreditChangeForm(forms.Form):
    """One credit change (whole credits) applied to each selected account.

    ``token`` is generated when the page is first shown and becomes part of each
    ledger row's idempotency key, so submitting the same page twice (a double
    click, a browser resubmit) changes each balance only once.
    """

    mode = forms.ChoiceField(choices=Mode.choices, initial=Mode.LIVE)
    amount = forms.IntegerField(help_text="Whole credits.")
    reason = forms.CharField(
        max_length=255, help_text="Stored on the ledger row; the account owner may see it."
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class GrantCreditsForm(CreditChangeForm):
    """A grant: a positive number of credits."""

    amount = forms.IntegerField(min_value=1, help_text="Whole credits to add.")


class AdjustCreditsForm(CreditChangeForm):
    """An adjustment: signed, non-zero; it may not take a balance below zero."""

    amount = forms.IntegerField(
        help_text="Whole credits; negative to take credits away. A balance never goes below 0."
    )

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("An adjustment needs a non-zero amount.")
        return amount
