"""Staff admin for generations: a read-only view with output preview, cancel and refund.

Cancelling goes through `generation_cancel` (which releases the hold) and
refunding through `credits_refund` (idempotent per generation), the same
services the API and the worker use.
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from billing.credits import credits_refund
from generations.models import ACTIVE_STATUSES, Generation, Status, Type
from generations.selectors import output_url
from generations.services import generation_cancel

# The preview tag per generation type, for outputs whose name has no known extension.
_KIND_BY_TYPE = {
    Type.IMAGE: "image",
    Type.VIDEO: "video",
    Type.AVATAR: "video",
    Type.AUDIO: "audio",
}


def _plural(count: int, singular: str) -> str:
    return f"{count} {singular if count == 1 else singular + 's'}"


def _media_kind(generation: Generation) -> str | None:
    """The preview tag to use ("image", "video" or "audio"): by extension, else by type."""
    content_type = mimetypes.guess_type(generation.output.name)[0] or ""
    kind = content_type.split("/", 1)[0]
    if kind in {"image", "video", "audio"}:
        return kind
    return _KIND_BY_TYPE.get(generation.type)


def _pretty_json(value: Any) -> str:
    if not value:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True))


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "email",
        "type",
        "provider",
        "mode",
        "status",
        "credit_cost",
        "created_at",
        "completed_at",
    )
    list_filter = ("status", "type", "provider", "mode")
    list_select_related = ("account__user",)
    search_fields = ("=id", "account__user__email")
    ordering = ("-created_at", "-id")
    # Counting the whole table on every page gets slow; the filtered count is enough.
    show_full_result_count = False
    actions = ("cancel_and_refund", "refund")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "id",
                    "account",
                    "api_key",
                    ("type", "provider", "auto_selected"),
                    ("mode", "priority"),
                    ("status", "progress"),
                    ("credit_cost", "estimated_time"),
                )
            },
        ),
        ("Output", {"fields": ("output_preview", "output_metadata")}),
        ("Request", {"fields": ("request_input", "request_options", "webhook_url")}),
        ("Error", {"fields": ("error_code", "error_message")}),
        (
            "Provider",
            {"fields": ("provider_job_id", "provider_job_data", "provider_attempts", "poll_count")},
        ),
        ("Times", {"fields": ("created_at", "started_at", "completed_at", "updated_at")}),
    )
    readonly_fields = (
        "id",
        "account",
        "api_key",
        "type",
        "provider",
        "auto_selected",
        "mode",
        "priority",
        "status",
        "progress",
        "credit_cost",
        "estimated_time",
        "output_preview",
        "output_metadata",
        "request_input",
        "request_options",
        "webhook_url",
        "error_code",
        "error_message",
        "provider_job_id",
        "provider_job_data",
        "provider_attempts",
        "poll_count",
        "created_at",
        "started_at",
        "completed_at",
        "updated_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Generation]:
        return super().get_queryset(request).select_related("account__user", "account__plan")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Generations are created through the API, which holds their price.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The page is read-only; state changes go through the actions below.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_settle_permission(self, request: HttpRequest) -> bool:
        """Cancel and refund move credits: they need the model's change permission."""
        return request.user.has_perm("generations.change_generation")

    # --- Columns and read-only fields ---------------------------------------------

    @admin.display(description="Account", ordering="account__user__email")
    def email(self, obj: Generation) -> str:
        return obj.account.user.email

    @admin.display(description="Preview")
    def output_preview(self, obj: Generation) -> str:
        url = output_url(obj)
        if url is None:
            return "—"
        kind = _media_kind(obj)
        if kind == "image":
            tag = format_html('<img src="{}" alt="{}" style="max-width: 480px">', url, obj.id)
        elif kind == "video":
            tag = format_html(
                '<video src="{}" controls preload="metadata" style="max-width: 480px"></video>',
                url,
            )
        elif kind == "audio":
            tag = format_html('<audio src="{}" controls preload="metadata"></audio>', url)
        else:
            tag = ""
        return format_html('{}<p><a href="{}">{}</a></p>', tag, url, obj.output.name)

    @admin.display(description="Metadata")
    def output_metadata(self, obj: Generation) -> str:
        return _pretty_json(obj.metadata)

    @admin.display(description="Input")
    def request_input(self, obj: Generation) -> str:
        return _pretty_json(obj.input)

    @admin.display(description="Options")
    def request_options(self, obj: Generation) -> str:
        return _pretty_json(obj.options)

    @admin.display(description="Provider job")
    def provider_job_data(self, obj: Generation) -> str:
        return _pretty_json(obj.provider_job)

    @admin.display(description="Attempts")
    def provider_attempts(self, obj: Generation) -> str:
        return _pretty_json(obj.attempts)

    # --- Actions ------------------------------------------------------------------

    @admin.action(description="Cancel and refund", permissions=["settle"])
    def cancel_and_refund(self, request: HttpRequest, queryset: QuerySet[Generation]) -> None:
        """Cancel QUEUED/PROCESSING generations; `generation_cancel` releases each hold."""
        cancelled = finished = 0
        for generation in queryset:
            done = False
            if generation.status in ACTIVE_STATUSES:
                with transaction.atomic():
                    done = generation_cancel(
                        account=generation.account, generation_id=generation.id
                    )
                    if done:
                        self.log_change(request, generation, "Cancelled by staff; hold released.")
            if done:
                cancelled += 1
            else:
                finished += 1
        self.message_user(
            request,
            f"Cancelled {_plural(cancelled, 'generation')} and released the held credits; "
            f"{finished} already finished.",
            messages.SUCCESS if cancelled else messages.WARNING,
        )

    @admin.action(description="Refund", permissions=["settle"])
    def refund(self, request: HttpRequest, queryset: QuerySet[Generation]) -> None:
        """Give back the captured credits of COMPLETED generations, at most once each."""
        refunded = skipped = credits = 0
        for generation in queryset:
            entry = None
            if generation.status == Status.COMPLETED:
                entry = credits_refund(
                    account=generation.account,
                    mode=generation.mode,
                    generation_id=generation.id,
                    reason=f"Staff refund of {generation.id}",
                    actor=request.user,
                )
            if entry is None:
                skipped += 1
            else:
                refunded += 1
                credits += entry.amount
        self.message_user(
            request,
            f"Refunded {_plural(refunded, 'generation')} ({credits} credits); "
            f"skipped {skipped} (not completed, or already refunded).",
            messages.SUCCESS if refunded else messages.WARNING,
        )


from generations import admin_webhooks  # noqa: E402,F401 - registers the webhook admin
