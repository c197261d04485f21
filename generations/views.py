"""Serving stored outputs. Paths contain the unguessable generation id."""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.views.decorators.http import require_GET


@require_GET
def media_serve(request: HttpRequest, path: str) -> FileResponse:
    """Stream an output file; immutable, so browsers and CDNs may cache it forever."""
    if not path.startswith("generations/"):
        raise Http404
    try:
        safe_join(str(default_storage.location), path)  # type: ignore[attr-defined]
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Accept-Ranges"] = "none"
    return response
