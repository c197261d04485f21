"""``GET /api/ping``: a trivial authenticated JSON endpoint.

Clients use it to check a key; the benchmark uses it as the baseline that
``generate`` is compared with (same auth, no GraphQL, no writes).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from billing.keys import api_key_authenticate


@require_GET
def ping(request: HttpRequest) -> JsonResponse:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    key = api_key_authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        return JsonResponse(
            {"error": {"code": "UNAUTHENTICATED", "message": "The API key is unknown or revoked."}},
            status=401,
        )
    return JsonResponse({"ok": True, "mode": key.mode, "key": key.prefix})
