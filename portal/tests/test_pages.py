"""The portal's pages: languages, content from the registry and Plan rows, security."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from billing.models import Plan
from portal.content import DOC_PAGES
from providers.registry import all_specs
from providers.selectors import default_price

pytestmark = pytest.mark.django_db

LANGS = [code for code, _ in settings.LANGUAGES]
TAGS = {"en": "en", "pt-br": "pt-BR", "zh-hans": "zh-Hans", "hi": "hi", "ko": "ko", "rm": "rm"}


def _pages() -> list[str]:
    return [
        "/en/",
        "/en/pricing/",
        *(f"/en/docs/{p.slug}/" for p in DOC_PAGES),
        "/en/docs/providers/",
        "/en/docs/api/",
        "/en/signup/",
        "/en/login/",
        "/en/password-reset/",
    ]


# --- Languages ---------------------------------------------------------------------


def test_the_root_redirects_to_the_accept_language_home(client: Any) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/ko/"
    assert "Accept-Language" in response["Vary"]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.8")
    assert response["Location"] == "/pt-br/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/"
    assert client.get("/")["Location"] == "/en/"


def test_the_language_switcher_remembers_the_choice(client: Any) -> None:
    # Given a visitor on the English docs
    # When they pick Romansh in the switcher (a plain POST form)
    response = client.post(
        "/i18n/setlang/", {"language": "rm", "next": "/en/docs/webhooks/"}, follow=False
    )
    # Then they land on the same page in Romansh, and the choice is kept in a cookie
    assert response.status_code == 302 and response["Location"] == "/rm/docs/webhooks/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "rm"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ko")["Location"] == "/rm/"


@pytest.mark.parametrize("code", LANGS)
def test_every_page_has_its_html_lang_and_hreflang_alternates(client: Any, code: str) -> None:
    response = client.get(f"/{code}/docs/idempotency/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{TAGS[code]}" dir="ltr">' in body
    for other in LANGS:
        assert (
            f'<link rel="alternate" hreflang="{TAGS[other]}" '
            f'href="http://testserver/{other}/docs/idempotency/">' in body
        )
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/en/docs/' in body
    assert response["Content-Language"] == code


def test_romansh_is_registered_for_django() -> None:
    info = translation.get_language_info("rm")
    assert info["name_local"] == "Rumantsch" and not info["bidi"]
    assert translation.check_for_language("rm")


def test_the_api_admin_ping_and_media_stay_unprefixed(client: Any, test_key: str) -> None:
    ping = client.get("/api/ping", HTTP_AUTHORIZATION=f"Bearer {test_key}")
    assert ping.status_code == 200
    assert client.get("/api/ping").status_code == 401
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/en/graphql").status_code == 404
    response = client.post(
        "/graphql",
        '{"query": "{ me { email } }"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {test_key}",
    )
    assert response.status_code == 200 and "errors" not in response.json()
    assert client.get("/media/generations/none.png").status_code == 404


def test_cookies_never_authenticate_graphql(dev_client: Any) -> None:
    # A logged-in portal session is not an API credential.
    response = dev_client.post(
        "/graphql", '{"query": "{ me { email } }"}', content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_graphiql_is_served_from_this_origin_without_inline_scripts(client: Any) -> None:
    response = client.get("/graphql", HTTP_ACCEPT="text/html")
    body = response.content.decode()
    assert response.status_code == 200 and "graphiql.min.js" in body
    assert "cdn." not in body and "https://" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body


# --- Content ---------------------------------------------------------------------------


def test_the_home_page_follows_the_seeds_order_and_reads_the_registry(client: Any) -> None:
    body = client.get("/en/").content.decode()
    order = [
        "Complete AI Content Generation API Suite",
        "AI Models",
        "Text-to-Video APIs",
        "Text-to-Image APIs",
        "Image-to-Video APIs",
        "Avatar, Lip Sync &amp; TTS APIs",
        "One API, Infinite Possibilities",
        "Common Error Codes",
        "Rate Limits by Plan",
        "Quick Start Code Examples",
        "Ready to Build Something Amazing?",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    for spec in all_specs():
        assert spec.name in body and spec.vendor in body
        for tag in spec.tags:
            assert escape(tag) in body
    models = len({m for s in all_specs() for m in s.models})
    assert f"<dd>{models}</dd>" in body
    text_to_video = sum(1 for s in all_specs() if s.category == "text-to-video")
    assert f"<dt>Video APIs</dt><dd>{text_to_video}</dd>" in body


def test_the_plan_tables_come_from_the_plan_rows(client: Any) -> None:
    Plan.objects.filter(slug="starter").update(requests_per_minute=37, daily=1234)
    home = client.get("/en/").content.decode()
    assert re.search(r"<th scope=\"row\">Starter</th>\s*<td>37</td>", home)
    assert "1,234" in home
    assert "1,234" in client.get("/en/pricing/").content.decode()
    assert "1,234" in client.get("/en/docs/rate-limits/").content.decode()


def test_the_home_page_renders_in_a_few_queries(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    client.get("/en/")  # warm the registry caches
    with django_assert_max_num_queries(2):
        assert client.get("/en/").status_code == 200


def test_every_provider_has_a_reference_page_from_the_registry(client: Any) -> None:
    index = client.get("/en/docs/providers/").content.decode()
    for spec in all_specs():
        response = client.get(f"/en/docs/providers/{spec.id}/")
        body = response.content.decode()
        assert response.status_code == 200, spec.id
        assert f'href="/en/docs/providers/{spec.id}/"' in index
        assert f"<h1>{spec.name}</h1>" in body
        assert f"{default_price(spec):,} credit" in body
        for option in spec.options:
            assert f"<code>{option.name}</code>" in body, (spec.id, option.name)
            for value in option.allowed_values or ():
                assert str(value) in body
        for item in (*spec.features, *spec.limitations):
            assert escape(item) in body, (spec.id, item)
    assert client.get("/en/docs/providers/hailuo/")["Location"] == "/en/docs/providers/minimax/"
    assert client.get("/en/docs/providers/nope/").status_code == 404


def test_the_api_reference_lists_every_type_of_the_live_schema(client: Any) -> None:
    from doitong.schema import schema

    body = client.get("/en/docs/api/").content.decode()
    gql = schema.graphql_schema
    for name, type_ in gql.type_map.items():
        if name.startswith("__") or type_ in (gql.query_type, gql.mutation_type):
            continue
        assert f'id="type-{name}"' in body, name
    for name in (*gql.query_type.fields, *gql.mutation_type.fields):
        assert f'id="op-{name}"' in body, name
    sdl = client.get("/en/docs/api/schema.graphql")
    assert sdl["Content-Type"].startswith("text/plain") and b"type Query" in sdl.content


# --- Security and self-containment ---------------------------------------------------------


@pytest.mark.parametrize("path", _pages())
def test_pages_are_self_contained_with_csp_and_csrf(client: Any, path: str) -> None:
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    # No inline scripts or styles, no style attributes, nothing loaded from elsewhere.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
    assert "<style" not in body and " style=" not in body, path
    for url in re.findall(
        r'<(?:script|link|img|source|video|audio)[^>]*(?:src|href)="([^"]+)"', body
    ):
        if 'rel="alternate"' in url:
            continue
        parts = urlsplit(url)
        assert not parts.netloc or parts.netloc == "testserver", (path, url)
    # Every POST form carries a CSRF token.
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", body, flags=re.S):
        assert "csrfmiddlewaretoken" in form, (path, form[:120])
    assert '<main id="content"' in body and "<nav" in body and "<footer" in body


def test_cookies_are_secure_when_debug_is_off(client: Any) -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.LANGUAGE_COOKIE_SECURE
    response = client.get("/en/signup/")
    assert response.cookies["csrftoken"]["secure"]
    assert response.cookies["csrftoken"]["httponly"]


def test_static_assets_are_served_by_whitenoise() -> None:
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    from django.contrib.staticfiles import finders

    for name in (
        "portal/css/portal.css",
        "portal/js/portal.js",
        "vendor/graphiql/graphiql.min.js",
        "vendor/graphiql/react.production.min.js",
    ):
        assert finders.find(name), name


def test_the_pages_render_in_every_language(client: Any) -> None:
    for code in LANGS:
        for path in _pages():
            localized = path.replace("/en/", f"/{code}/", 1)
            assert client.get(localized).status_code == 200, localized
        assert (
            client.get(
                reverse("portal:provider", args=["kling"]).replace("/en/", f"/{code}/")
            ).status_code
            == 200
        )


@pytest.mark.parametrize("code", [c for c in LANGS if c != "en"])
def test_every_language_shows_the_same_code_samples(client: Any, code: str) -> None:
    from portal.tests.sample_runner import extract

    for path in ("", "docs/webhooks/", "docs/providers/hedra/"):
        english = extract(client.get(f"/en/{path}").content.decode())
        other = extract(client.get(f"/{code}/{path}").content.decode())
        assert [(b.id, b.text) for b in other] == [(b.id, b.text) for b in english]
