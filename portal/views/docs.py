"""Docs: guides, concepts, one reference page per catalogue entry, the API reference."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from billing.models import Plan
from portal import content
from portal.samples import provider_sample
from portal.schema_doc import reference
from portal.views.pages import base_url
from providers.registry import all_specs, get_spec
from providers.selectors import default_price


def _render(request: HttpRequest, template: str, active: str, **context: object) -> HttpResponse:
    return render(
        request,
        template,
        {
            "doc_pages": content.DOC_PAGES,
            "active_doc": active,
            "base_url": base_url(request),
            "provider_specs": all_specs(),
            **context,
        },
    )


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}
    if seconds % 60 == 0:
        n = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


def docs_index(request: HttpRequest) -> HttpResponse:
    return redirect("portal:doc", slug="getting-started")


def doc_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = content.DOC_SLUGS.get(slug)
    if page is None:
        raise Http404
    extra: dict[str, object] = {"page": page}
    if slug == "errors":
        extra["errors"] = content.ERROR_CODES
    if slug == "rate-limits":
        extra["plans"] = list(Plan.objects.all())
    if slug == "webhooks":
        from generations.webhooks import RETRY_SCHEDULE

        extra["retry_schedule"] = [_duration(seconds) for seconds in RETRY_SCHEDULE]
    if slug == "generate":
        extra["generate_input"] = next(t for t in reference().types if t.name == "GenerateInput")
        extra["input_data"] = next(t for t in reference().types if t.name == "GenerationInputData")
    return _render(request, f"portal/docs/{slug}.html", slug, **extra)


def providers_index(request: HttpRequest) -> HttpResponse:
    rows = [
        (category, [(spec, default_price(spec)) for spec in specs])
        for category, specs in content.catalogue_by_category()
    ]
    return _render(request, "portal/docs/providers.html", "providers", categories=rows)


def provider_detail(request: HttpRequest, provider_id: str) -> HttpResponse:
    spec = get_spec(provider_id)
    if spec is None:
        raise Http404
    if spec.id != provider_id:
        return redirect("portal:provider", provider_id=spec.id, permanent=True)
    return _render(
        request,
        "portal/docs/provider.html",
        "providers",
        spec=spec,
        price=default_price(spec),
        category=content.CATEGORY_LABELS.get(spec.category, spec.category),
        type_label=content.TYPE_LABELS.get(str(spec.type), spec.type),
        sample=provider_sample(spec),
    )


def api_reference(request: HttpRequest) -> HttpResponse:
    return _render(
        request, "portal/docs/api.html", "api", ref=reference(), notes=content.OPERATION_NOTES
    )


def schema_sdl(request: HttpRequest) -> HttpResponse:
    """The schema in SDL, for tools (and people) that want the file."""
    response = HttpResponse(reference().sdl, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="doitong.graphql"'
    return response
