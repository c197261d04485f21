"""The Content-Security-Policy header (Django 5.2 has no built-in one).

Every portal page, the admin and GraphiQL load scripts, styles, fonts and images
from this origin only: no CDN, no inline ``<script>`` or ``<style>``, no
framing. Outputs shown in the dashboard (``<img>``, ``<video>``, ``<audio>``)
may come from ``PUBLIC_BASE_URL`` when it names another origin. JSON responses
(the API) get the header too; it costs nothing and browsers ignore it there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


@cache
def _policy(public_base_url: str, extra_media: tuple[str, ...]) -> str:
    media = ["'self'"]
    parts = urlsplit(public_base_url)
    if parts.scheme and parts.netloc:
        media.append(f"{parts.scheme}://{parts.netloc}")
    media.extend(extra_media)
    media_sources = " ".join(dict.fromkeys(media))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"{media_sources} data:",
        "media-src": media_sources,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def content_security_policy() -> str:
    """The policy for the current settings."""
    return _policy(
        settings.PUBLIC_BASE_URL or "",
        tuple(getattr(settings, "CSP_EXTRA_MEDIA_SOURCES", ()) or ()),
    )


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        if settings.DEBUG and response.status_code >= 400:
            # Django's technical 404/500 pages are inline HTML with inline styles and
            # scripts; they exist only in development.
            return response
        response[HEADER] = content_security_policy()
        return response
