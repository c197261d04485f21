"""Home, pricing and the language-detecting root redirect."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from billing.models import Plan
from portal import content
from portal.samples import QUICKSTART
from providers.registry import all_specs
from providers.selectors import default_price


def base_url(request: HttpRequest) -> str:
    """This instance's base URL as the client sees it (what the samples call)."""
    return request.build_absolute_uri("/").rstrip("/")


def root_redirect(request: HttpRequest) -> HttpResponse:
    """``/`` → the home page in the language of the cookie or ``Accept-Language``.

    LocaleMiddleware has already activated that language for this unprefixed path.
    """
    response = HttpResponseRedirect(reverse("portal:home"))
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def home(request: HttpRequest) -> HttpResponse:
    """The seeds' sections in order: hero, stats, catalogue, features, errors, limits,
    quick start and the call to action. One query: the Plan rows."""
    categories = [
        (category, [(spec, default_price(spec)) for spec in specs])
        for category, specs in content.catalogue_by_category()
    ]
    return render(
        request,
        "portal/home.html",
        {
            "stats": content.catalogue_stats(),
            "categories": categories,
            "features": content.FEATURES,
            "errors": content.home_errors(),
            "plans": list(Plan.objects.all()),
            "quickstart": QUICKSTART,
            "base_url": base_url(request),
            "models_count": content.catalogue_stats()[0].value,
        },
    )


def pricing(request: HttpRequest) -> HttpResponse:
    """The plans (Plan rows) and what each catalogue entry costs in credits."""
    prices = [(spec, default_price(spec)) for spec in all_specs()]
    return render(
        request,
        "portal/pricing.html",
        {"plans": list(Plan.objects.all()), "prices": prices, "base_url": base_url(request)},
    )
