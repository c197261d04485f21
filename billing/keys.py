"""API keys: ``dt_live_…`` / ``dt_test_…``, stored as a lookup prefix and a digest.

Follows healthchecks' scheme: the visible prefix is indexed for lookup, the
secret is stored only as SHA-256, compared in constant time, and shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from billing.models import Account, APIKey, Mode

# Characters of the key, after ``dt_live_``/``dt_test_``, that are stored in clear.
PREFIX_CHARS = 8
# ``last_used_at`` is written at most this often, so auth does not write per request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_create(*, account: Account, mode: str, name: str = "") -> tuple[APIKey, str]:
    """Create a key; returns the row and the full secret, which is never stored."""
    if mode not in Mode.values:
        raise ValueError(f"mode must be one of {Mode.values}")
    raw = f"dt_{mode}_{secrets.token_urlsafe(32).replace('-', 'x').replace('_', 'y')}"
    prefix = raw[: len(f"dt_{mode}_") + PREFIX_CHARS]
    key = APIKey.objects.create(
        account=account, mode=mode, name=name[:100], prefix=prefix, digest=_digest(raw)
    )
    return key, raw


def api_key_authenticate(raw_key: str) -> APIKey | None:
    """The active key for ``raw_key``, with its account and plan loaded, or None."""
    if not raw_key.startswith(("dt_live_", "dt_test_")) or len(raw_key) > 128:
        return None
    mode = raw_key[3:7]
    prefix = raw_key[: len(f"dt_{mode}_") + PREFIX_CHARS]
    key = (
        APIKey.objects.select_related("account__plan", "account__user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.digest, _digest(raw_key)):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        APIKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_key_revoke(*, key: APIKey) -> None:
    """Revoke ``key``; later requests with it get UNAUTHENTICATED."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        APIKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=key.revoked_at)
