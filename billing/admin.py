"""Staff admin for plans, accounts, API keys and the credit ledger.

Every write that touches credits or keys goes through the services in
`billing.credits` and `billing.keys`; the admin never edits a balance or a
ledger row itself. The ledger row written by a staff action carries the staff
user as ``actor``, which is the audit trail for credit changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import BigIntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy

from billing.credits import InsufficientCredits, credits_change
from billing.forms import AdjustCreditsForm, CreditChangeForm, GrantCreditsForm
from billing.keys import api_key_revoke
from billing.models import Account, APIKey, CreditBalance, LedgerEntry, LedgerKind, Mode, Plan

admin.site.site_header = "Doitong staff"
admin.site.site_title = "Doitong staff"
admin.site.index_title = "Administration"

# The account page shows only the newest ledger rows; the ledger list has them all.
LEDGER_INLINE_LIMIT = 50


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _balance(mode: str) -> Coalesce:
    """The cached balance of the outer account in ``mode`` (0 without a row), as one subquery."""
    return Coalesce(
        Subquery(
            CreditBalance.objects.filter(account=OuterRef("pk"), mode=mode).values("balance")[:1]
        ),
        Value(0),
        output_field=BigIntegerField(),
    )


# --- Plans -------------------------------------------------------------------


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "requests_per_minute",
        "concurrent",
        "daily",
        "reads_per_minute",
        "custom",
        "sort_order",
    )
    list_editable = ("sort_order",)
    fields = (
        "slug",
        "name",
        "requests_per_minute",
        "concurrent",
        "daily",
        "reads_per_minute",
        "custom",
        "sort_order",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Plan | None = None) -> tuple[str, ...]:
        # Code refers to plans by slug (e.g. new accounts start on "free").
        return ("slug",) if obj is not None else ()


# --- Accounts ----------------------------------------------------------------


class LatestLedgerFormSet(BaseInlineFormSet):
    """The account's newest `LEDGER_INLINE_LIMIT` ledger rows.

    Slicing happens here, after the inline formset has filtered by account,
    because a sliced queryset can no longer be filtered.
    """

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:LEDGER_INLINE_LIMIT]
        return self._latest


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    formset = LatestLedgerFormSet
    fields = ("kind", "mode", "amount", "reason", "actor", "generation_id", "created_at")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = format_lazy("Latest {} ledger entries", LEDGER_INLINE_LIMIT)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LedgerEntry]:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("email", "plan", "live_credits", "test_credits", "created_at")
    list_select_related = ("user", "plan")
    list_filter = ("plan",)
    search_fields = ("user__email",)
    ordering = ("-created_at", "-id")
    fields = (
        "user",
        "plan",
        "requests_per_minute_override",
        "concurrent_override",
        "daily_override",
        "live_credits",
        "test_credits",
        "ledger_link",
        "created_at",
    )
    readonly_fields = ("user", "live_credits", "test_credits", "ledger_link", "created_at")
    inlines = (LedgerEntryInline,)
    actions = ("grant_credits", "adjust_credits")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Account]:
        # Both balances come in the same query as the rows: no query per account.
        return (
            super()
            .get_queryset(request)
            .select_related("user", "plan")
            .annotate(live_balance=_balance(Mode.LIVE), test_balance=_balance(Mode.TEST))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Accounts are created with their balances by `billing.accounts.account_create`.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The ledger is append-only and protects its accounts.
        return False

    @admin.display(description="Email", ordering="user__email")
    def email(self, obj: Account) -> str:
        return obj.user.email

    @admin.display(description="Live balance", ordering="live_balance")
    def live_credits(self, obj: Account) -> int:
        return obj.live_balance

    @admin.display(description="Test balance", ordering="test_balance")
    def test_credits(self, obj: Account) -> int:
        return obj.test_balance

    @admin.display(description="Ledger")
    def ledger_link(self, obj: Account) -> str:
        url = reverse("admin:billing_ledgerentry_changelist")
        return format_html('<a href="{}?account__id__exact={}">All ledger entries</a>', url, obj.pk)

    @admin.action(description="Grant credits", permissions=["change"])
    def grant_credits(
        self, request: HttpRequest, queryset: QuerySet[Account]
    ) -> TemplateResponse | None:
        return self._credit_change(
            request,
            queryset,
            form_class=GrantCreditsForm,
            kind=LedgerKind.GRANT,
            action="grant_credits",
            title="Grant credits",
        )

    @admin.action(description="Adjust credits", permissions=["change"])
    def adjust_credits(
        self, request: HttpRequest, queryset: QuerySet[Account]
    ) -> TemplateResponse | None:
        return self._credit_change(
            request,
            queryset,
            form_class=AdjustCreditsForm,
            kind=LedgerKind.ADJUSTMENT,
            action="adjust_credits",
            title="Adjust credits",
        )

    def _credit_change(
        self,
        request: HttpRequest,
        queryset: QuerySet[Account],
        *,
        form_class: type[CreditChangeForm],
        kind: str,
        action: str,
        title: str,
    ) -> TemplateResponse | None:
        """Show the form for the selected accounts; once it is valid, change each balance.

        Each account is changed in its own transaction by `credits_change`, so one
        refused adjustment leaves that account unchanged and does not stop the others.
        """
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                self._apply_credit_change(request, queryset, kind=kind, **form.cleaned_data)
                return None
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": f"{title} for {_plural(queryset.count(), 'account')}:",
            "submit_label": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/billing/account/credit_change.html", context)

    def _apply_credit_change(
        self,
        request: HttpRequest,
        queryset: QuerySet[Account],
        *,
        kind: str,
        mode: str,
        amount: int,
        reason: str,
        token: Any,
    ) -> None:
        changed = 0
        for account in queryset:
            email = account.user.email
            try:
                entry = credits_change(
                    account=account,
                    mode=mode,
                    amount=amount,
                    reason=reason,
                    kind=kind,
                    actor=request.user,
                    # One key per submitted page and account: a resubmit changes nothing.
                    idempotency_key=f"staff:{kind}:{account.pk}:{mode}:{token.hex}",
                )
            except InsufficientCredits:
                self.message_user(
                    request,
                    f"{email}: {amount:+d} {mode} credits would take the balance below zero; "
                    "the account is unchanged.",
                    messages.ERROR,
                )
                continue
            if entry is None:
                self.message_user(
                    request,
                    f"{email}: this form was already applied; the account is unchanged.",
                    messages.WARNING,
                )
                continue
            changed += 1
        if changed:
            verb = "Granted" if kind == LedgerKind.GRANT else "Adjusted by"
            self.message_user(
                request,
                f"{verb} {amount:+d} {mode} credits: {_plural(changed, 'account')} changed.",
                messages.SUCCESS,
            )


# --- API keys ----------------------------------------------------------------


@admin.register(APIKey)
class APIKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix_display",
        "mode",
        "email",
        "created_at",
        "last_used_at",
        "revoked_at",
        "active",
    )
    list_select_related = ("account__user",)
    list_filter = ("mode", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("prefix", "name", "account__user__email")
    ordering = ("-created_at", "-id")
    # The digest never leaves the database: it is not a field of any admin form or page.
    exclude = ("digest",)
    fields = (
        "name",
        "prefix_display",
        "mode",
        "account",
        "created_at",
        "last_used_at",
        "revoked_at",
        "active",
    )
    readonly_fields = (
        "prefix_display",
        "mode",
        "account",
        "created_at",
        "last_used_at",
        "revoked_at",
        "active",
    )
    actions = ("revoke_keys",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[APIKey]:
        return super().get_queryset(request).select_related("account__user", "account__plan")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are created by their owners; the secret is shown to them once.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: generations keep a link to the key that created them.
        return False

    @admin.display(description="Prefix", ordering="prefix")
    def prefix_display(self, obj: APIKey) -> str:
        return f"{obj.prefix}…"

    @admin.display(description="Account", ordering="account__user__email")
    def email(self, obj: APIKey) -> str:
        return obj.account.user.email

    @admin.display(description="Active", boolean=True)
    def active(self, obj: APIKey) -> bool:
        return obj.is_active

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[APIKey]) -> None:
        revoked = already = 0
        for key in queryset:
            if not key.is_active:
                already += 1
                continue
            with transaction.atomic():
                api_key_revoke(key=key)
                self.log_change(request, key, "Revoked by staff.")
            revoked += 1
        self.message_user(
            request,
            f"Revoked {_plural(revoked, 'key')}; {already} already revoked.",
            messages.SUCCESS,
        )


# --- Ledger ------------------------------------------------------------------


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """The ledger, read-only: rows are append-only and written only by the services."""

    list_display = (
        "created_at",
        "email",
        "mode",
        "kind",
        "amount",
        "reason",
        "actor",
        "generation_id",
    )
    list_select_related = ("account__user", "actor")
    list_filter = ("kind", "mode")
    search_fields = ("=generation_id", "account__user__email", "=idempotency_key")
    ordering = ("-created_at", "-id")
    # Counting the whole ledger on every page gets slow; the filtered count is enough.
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LedgerEntry]:
        return (
            super().get_queryset(request).select_related("account__user", "account__plan", "actor")
        )

    @admin.display(description="Account", ordering="account__user__email")
    def email(self, obj: LedgerEntry) -> str:
        return obj.account.user.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
