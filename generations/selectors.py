"""Reads on generations: one account's rows only, with keyset pagination."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from billing.models import Account
from generations.models import ACTIVE_STATUSES, Generation

MAX_PAGE = 100


def generation_get(*, account: Account, generation_id: str) -> Generation | None:
    """The account's generation, or None (also for another account's id)."""
    return Generation.objects.filter(id=generation_id, account=account).first()


def output_url(generation: Generation, *, request: HttpRequest | None = None) -> str | None:
    """Absolute URL of the stored output, served by this app; None until COMPLETED."""
    if not generation.output:
        return None
    path = generation.output.url
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def encode_cursor(generation: Generation) -> str:
    raw = f"{generation.created_at.isoformat()}|{generation.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    try:
        created, _, gen_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(created), gen_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def generations_page(
    *,
    account: Account,
    first: int = 20,
    after: str | None = None,
    status: str | None = None,
    type: str | None = None,
) -> tuple[list[Generation], bool]:
    """Newest first: (up to ``first`` rows, whether more follow). ``after`` is a cursor."""
    first = max(1, min(first, MAX_PAGE))
    qs: QuerySet[Generation] = Generation.objects.filter(account=account)
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    if after:
        decoded = decode_cursor(after)
        if decoded is None:
            raise ValueError("after is not a cursor returned by this API.")
        created, gen_id = decoded
        qs = qs.filter(Q(created_at__lt=created) | Q(created_at=created, id__lt=gen_id))
    rows = list(qs.order_by("-created_at", "-id")[: first + 1])
    return rows[:first], len(rows) > first


def usage_counts(account: Account) -> dict[str, int]:
    """Generations active now and generation requests this UTC day."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "concurrent": Generation.objects.filter(
            account=account, status__in=ACTIVE_STATUSES
        ).count(),
        "today": Generation.objects.filter(account=account, created_at__gte=today).count(),
    }
