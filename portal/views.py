"""Portal pages. They read the registry and Plan rows; no business logic here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from billing.models import Plan
from providers.registry import all_specs


def home(request: HttpRequest) -> HttpResponse:
    specs = all_specs()
    return render(
        request,
        "portal/home.html",
        {
            "specs": specs,
            "plans": Plan.objects.all(),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )
