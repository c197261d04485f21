"""Staff admin for webhook deliveries: the attempt log, redelivery, disabled endpoints."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from generations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from generations.webhooks import webhook_redeliver


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "attempted_at", "status_code", "duration_ms", "error", "response_snippet")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "event",
        "account_email",
        "url",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event")
    search_fields = ("=id", "=generation__id", "account__user__email", "url")
    list_select_related = ("account__user",)
    readonly_fields = (
        "id",
        "account",
        "generation",
        "event",
        "url",
        "payload",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
        "completed_at",
    )
    inlines = (WebhookAttemptInline,)
    actions = ("redeliver",)

    @admin.display(description="account", ordering="account__user__email")
    def account_email(self, delivery: WebhookDelivery) -> str:
        return delivery.account.user.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Redeliver (same webhook-id, new timestamp)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        with transaction.atomic():
            for delivery in queryset.select_related("account"):
                webhook_redeliver(delivery=delivery)
        self.message_user(request, f"Queued {queryset.count()} redelivery(ies).", messages.SUCCESS)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "account", "disabled_at", "disabled_reason")
    list_filter = (("disabled_at", admin.EmptyFieldListFilter),)
    search_fields = ("url", "account__user__email")
    list_select_related = ("account__user",)
    actions = ("enable",)

    @admin.action(description="Enable again")
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        updated = queryset.update(disabled_at=None, disabled_reason="")
        self.message_user(request, f"Enabled {updated} endpoint(s).", messages.SUCCESS)
