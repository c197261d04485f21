"""The developer dashboard: credits, keys, generations, usage and webhooks.

Each action is a POST form (CSRF-protected, works without JavaScript) that calls
a billing or generations service and redirects back, except key creation, which
renders the page directly so that the new secret is shown once and never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from billing.accounts import account_create, account_limits
from billing.credits import balance_get, credits_change
from billing.keys import api_key_create, api_key_revoke
from billing.models import Account, APIKey, Mode
from generations import webhooks
from generations.models import Generation, WebhookDelivery
from generations.selectors import encode_cursor, generations_page, output_url, usage_counts
from portal.forms import GenerationFilterForm, KeyCreateForm, WebhookEndpointForm
from portal.views.pages import base_url
from providers.base import InvalidInput

PAGE_SIZE = 20
PREVIEW_KIND = {"IMAGE": "image", "VIDEO": "video", "AVATAR": "video", "AUDIO": "audio"}


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``login_required``, but to the log-in page in the current language."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('portal:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


def _account(request: HttpRequest) -> Account:
    """The user's account; users made outside the portal (staff) get one on first visit."""
    account = Account.objects.select_related("plan").filter(user=request.user).first()
    return account or account_create(user=request.user)


def _back(anchor: str) -> HttpResponse:
    return redirect(reverse("portal:dashboard") + f"#{anchor}")


class GenerationRow:
    """What the list shows for one generation."""

    def __init__(self, generation: Generation, request: HttpRequest) -> None:
        self.g = generation
        self.url = output_url(generation, request=request)
        # The preview loads from this origin (a relative URL), so it plays even when
        # PUBLIC_BASE_URL names another host or port; the link shows the API's URL.
        self.src = generation.output.url if generation.output else None
        self.kind = PREVIEW_KIND.get(generation.type, "")
        fmt = (generation.metadata or {}).get("format")
        if self.kind == "audio" and fmt:
            self.mime = {"mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg"}.get(fmt)
        elif self.kind == "video":
            self.mime = "video/mp4"
        else:
            self.mime = None
        self.seconds = (
            round((generation.completed_at - generation.created_at).total_seconds(), 1)
            if generation.completed_at
            else None
        )


def _context(request: HttpRequest, account: Account, **extra: Any) -> dict[str, Any]:
    filters = GenerationFilterForm(request.GET or None)
    status = type_ = None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or None
        type_ = filters.cleaned_data["type"] or None
    after = request.GET.get("after") or None
    try:
        rows, has_more = generations_page(
            account=account, first=PAGE_SIZE, after=after, status=status, type=type_
        )
    except ValueError:
        rows, has_more = generations_page(
            account=account, first=PAGE_SIZE, status=status, type=type_
        )
    next_query = None
    if has_more and rows:
        params = {k: v for k, v in (("status", status), ("type", type_)) if v}
        params["after"] = encode_cursor(rows[-1])
        next_query = urlencode(params)
    limits = account_limits(account)
    usage = usage_counts(account)
    endpoint_url = account.webhook_url
    disabled = webhooks.endpoint_disabled(account, endpoint_url) if endpoint_url else None
    # Active keys first (NULL revoked_at), newest first within each group, on every database.
    keys = list(
        APIKey.objects.filter(account=account).order_by(
            F("revoked_at").asc(nulls_first=True), "-created_at"
        )
    )
    return {
        "account": account,
        "balances": {
            "live": balance_get(account=account, mode=Mode.LIVE),
            "test": balance_get(account=account, mode=Mode.TEST),
        },
        "starter_credits": settings.STARTER_TEST_CREDITS,
        "keys": keys,
        "key_form": extra.pop("key_form", None) or KeyCreateForm(),
        "filter_form": filters,
        "filtered": bool(status or type_),
        "generations": [GenerationRow(g, request) for g in rows],
        "next_query": next_query,
        "limits": limits,
        "usage": usage,
        "usage_percent": {
            "concurrent": _percent(usage["concurrent"], limits["concurrent"]),
            "daily": _percent(usage["today"], limits["daily"]),
        },
        "webhook_form": extra.pop("webhook_form", None)
        or WebhookEndpointForm(initial={"url": endpoint_url}),
        "endpoint_url": endpoint_url,
        "endpoint_disabled": disabled,
        "reveal_secret": request.GET.get("reveal") == "secret",
        "deliveries": list(webhooks.deliveries_recent(account=account, limit=20)),
        "base_url": base_url(request),
        # The language switcher on a POST result (e.g. a new key) goes back to the dashboard.
        "language_next": reverse("portal:dashboard"),
        **extra,
    }


def _percent(used: int, limit: int | None) -> int | None:
    if not limit:
        return None
    return min(100, round(100 * used / limit))


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "portal/dashboard/dashboard.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@portal_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, _context(request, _account(request)))


@require_POST
@portal_login_required
def key_create(request: HttpRequest) -> HttpResponse:
    """Create a key and show its secret on this one response; it is never stored."""
    account = _account(request)
    form = KeyCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, _context(request, account, key_form=form), status=400)
    key, secret = api_key_create(
        account=account, mode=form.cleaned_data["mode"], name=form.cleaned_data["name"]
    )
    context = _context(request, account, new_key=key, new_secret=secret)
    context["sample_api_key"] = secret
    return _page(request, context, status=201)


@require_POST
@portal_login_required
def key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(APIKey, pk=key_id, account=_account(request))
    api_key_revoke(key=key)
    messages.success(request, _("Key %(prefix)s… is revoked.") % {"prefix": key.prefix})
    return _back("keys")


@require_POST
@portal_login_required
def credits_refill(request: HttpRequest) -> HttpResponse:
    """Top the test balance back up to the starter amount (test credits only)."""
    account = _account(request)
    shortfall = settings.STARTER_TEST_CREDITS - balance_get(account=account, mode=Mode.TEST)
    if shortfall > 0:
        credits_change(
            account=account, mode=Mode.TEST, amount=shortfall, reason="Test credits refill (portal)"
        )
        messages.success(
            request,
            _("Added %(amount)s test credits.") % {"amount": f"{shortfall:,}"},
        )
    else:
        messages.info(request, _("Your test balance is already full."))
    return _back("credits")


@require_POST
@portal_login_required
def webhook_set(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            webhooks.webhook_endpoint_set(account=account, url=form.cleaned_data["url"])
        except InvalidInput as exc:
            form.add_error(
                "url", _("Doitong cannot send to this URL: %(reason)s") % {"reason": exc.message}
            )
        else:
            if form.cleaned_data["url"]:
                messages.success(request, _("Webhook endpoint saved."))
            else:
                messages.success(request, _("Webhook endpoint removed."))
            return _back("webhooks")
    return _page(request, _context(request, account, webhook_form=form), status=400)


@require_POST
@portal_login_required
def webhook_rotate(request: HttpRequest) -> HttpResponse:
    webhooks.webhook_secret_rotate(account=_account(request))
    messages.success(
        request, _("New signing secret created. The old one keeps signing for 24 hours.")
    )
    return redirect(reverse("portal:dashboard") + "?reveal=secret#webhooks")


@require_POST
@portal_login_required
def webhook_redeliver(request: HttpRequest, delivery_id: str) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, account=_account(request))
    webhooks.webhook_redeliver(delivery=delivery)
    messages.success(request, _("Delivery %(id)s is queued again.") % {"id": delivery.id})
    return _back("webhooks")
