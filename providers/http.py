"""The one HTTP seam every provider adapter uses: timeouts, a User-Agent, size limits.

Tests patch this seam (or use `responses`); nothing else in the code base opens
connections to vendors.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from providers.base import PermanentProviderError, TransientProviderError

USER_AGENT = "Doitong/0.1 (+https://doitong.com)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0


def session() -> requests.Session:
    """A session with Doitong's User-Agent. Redirects are the caller's choice."""
    s = requests.Session()
    s.headers["User-Agent"] = USER_AGENT
    return s


def download(
    url: str, *, headers: Mapping[str, str] | None = None, max_bytes: int, untrusted: bool = False
) -> tuple[bytes, str]:
    """GET ``url`` and return (body, content type), refusing bodies over ``max_bytes``.

    ``untrusted`` URLs (a client's input media) must pass the SSRF check and are
    fetched through a session pinned to the checked public address.
    Raises `TransientProviderError` on timeouts, connection errors, 429 and 5xx;
    `PermanentProviderError` on other non-2xx answers, unsafe URLs and oversized bodies.
    """
    http = session()
    if untrusted:
        from providers.ssrf import UnsafeURL, check_url, safe_session

        try:
            check_url(url)
        except UnsafeURL as exc:
            raise PermanentProviderError(exc.message) from exc
        http = safe_session(read_timeout=READ_TIMEOUT)
    try:
        with http.get(
            url, headers=dict(headers or {}), stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
        ) as response:
            if response.status_code == 429 or response.status_code >= 500:
                raise TransientProviderError(f"Output download answered {response.status_code}.")
            if response.status_code >= 300:
                raise PermanentProviderError(f"Output download answered {response.status_code}.")
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise PermanentProviderError(
                    f"Output is {declared} bytes; the limit is {max_bytes}."
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=256 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise PermanentProviderError(f"Output is over the {max_bytes}-byte limit.")
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            return b"".join(chunks), content_type
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise TransientProviderError(f"Output download failed: {exc.__class__.__name__}.") from exc
