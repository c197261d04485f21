"""The portal in a real browser: Playwright (pip) driving Debian's chromium.

Marked ``browser``; skipped when the playwright package or /usr/bin/chromium is
missing (``.ci/run`` installs both). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings

from portal.tests.sample_runner import Context, extract, run_curl
from tests.helpers import run_to_completion

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]

# A distinctive string from each language's seed page, and the page's <html lang>.
SEED_STRINGS = {
    "en": ("en", "One API, Infinite Possibilities"),
    "pt-br": ("pt-BR", "Uma API, Possibilidades Infinitas"),
    "zh-hans": ("zh-Hans", "统一 API，无限可能"),
    "hi": ("hi", "एक API, असीमित संभावनाएँ"),
    "ko": ("ko", "하나의 API, 무한한 가능성"),
    "rm": ("rm", "Ina API, pussibilitads illimitadas"),
}
LOCALE_DIRS = {"pt-br": "pt_BR", "zh-hans": "zh_Hans", "hi": "hi", "ko": "ko", "rm": "rm"}
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run
    # next to one unless told that these (synchronous) tests are fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any, plans: None) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    tab.problems = problems
    yield tab
    context.close()
    assert not problems, problems


def _visible_text(tab: Any) -> str:
    """The page's text outside code samples (code is the same in every language)."""
    return tab.evaluate(
        """() => {
            const clone = document.body.cloneNode(true);
            clone.querySelectorAll('pre, code, script, select').forEach(n => n.remove());
            return clone.innerText;
        }"""
    )


def _translated_sources(code: str) -> list[str]:
    """English msgids with a different translation, plain enough to look for in text."""
    po = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / LOCALE_DIRS[code] / "LC_MESSAGES" / "django.po")
    )
    found = []
    for entry in po.translated_entries():
        source = entry.msgid
        if entry.msgid_plural or entry.msgstr == source or re.search(r"[<%{]", source):
            continue
        if len(source) >= 12 and " " in source:
            found.append(source)
    return found


def _shot(tab: Any, name: str, viewport: dict[str, int]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.set_viewport_size(viewport)
    tab.wait_for_timeout(200)
    tab.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name


def test_a_new_developer_signs_up_creates_a_key_and_sees_their_first_generation(
    page: Any, live_server: Any, settings: Any
) -> None:
    # Given a visitor on the home page
    page.goto("/en/")
    page.get_by_role("link", name="Sign up").first.click()
    # When they sign up
    page.get_by_label("Email").fill("first@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password again").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign up").click()
    # Then they land on their dashboard
    page.wait_for_url(re.compile(r"/en/dashboard/$"))
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert page.get_by_test_id("test-balance").inner_text() == f"{settings.STARTER_TEST_CREDITS:,}"

    # When they create a test key, they can read it once
    page.get_by_label("Name").fill("browser")
    page.get_by_label("Test (sandbox, test credits)").check()
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_test_id("new-key-secret").inner_text().strip()
    assert secret.startswith("dt_test_")
    assert page.locator("#new-key-title").is_visible()

    # And the page's own curl sample (with the key in it) starts a generation
    sample = page.locator("#sample-dashboard-curl").inner_text()
    assert secret in sample and live_server.url in sample
    (block,) = [b for b in extract(page.content()) if b.id == "dashboard-curl"]
    ctx = Context(base_url=live_server.url, key=secret, generation_id="")
    (body,) = run_curl(block, ctx)
    generation_id = body["data"]["generate"]["id"]
    assert run_to_completion(generation_id).status == "COMPLETED"

    # Then it is in the dashboard list with a preview that shows
    page.goto("/en/dashboard/")
    assert secret not in page.content()
    item = page.locator(f'[data-generation-id="{generation_id}"]')
    assert item.get_attribute("data-status") == "COMPLETED"
    image = item.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert "Completed" in item.inner_text() and "50 credits" in item.inner_text()

    # And a video from the same key gets a player that loads and plays
    import requests

    response = requests.post(
        f"{live_server.url}/graphql",
        json={
            "query": 'mutation { generate(input: { type: VIDEO, provider: "luma", '
            'input: { text: "Waves" }, options: { duration: 5 } }) { id } }'
        },
        headers={"Authorization": f"Bearer {secret}"},
        timeout=60,
    )
    video_id = response.json()["data"]["generate"]["id"]
    run_to_completion(video_id)
    page.goto("/en/dashboard/")
    video = page.locator(f'[data-generation-id="{video_id}"] video')
    video.scroll_into_view_if_needed()
    page.wait_for_function("v => v.readyState >= 1 && v.duration > 0", arg=video.element_handle())
    if page.evaluate(
        "document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E\"')"
    ):
        page.evaluate("v => { v.muted = true; return v.play(); }", video.element_handle())
        page.wait_for_function("v => v.currentTime > 0", arg=video.element_handle())

    _shot(page, "dashboard-desktop.png", DESKTOP)
    _shot(page, "dashboard-mobile.png", MOBILE)


def test_the_switcher_goes_through_all_six_languages(page: Any, settings: Any) -> None:
    page.goto("/en/")
    for code in ("pt-br", "zh-hans", "hi", "ko", "en", "rm"):
        # When the visitor picks a language in the switcher
        page.locator("#language-select").select_option(code)
        page.locator(".lang-submit").click()
        page.wait_for_url(re.compile(rf"/{code}/$"))
        tag, seed_string = SEED_STRINGS[code]
        # Then the page is in that language
        assert page.locator("html").get_attribute("lang") == tag
        text = _visible_text(page)
        assert seed_string in text, code
        if code != "en":
            leftovers = [s for s in _translated_sources(code) if s in text]
            assert not leftovers, (code, leftovers)
    # And the choice is remembered: the bare address opens the last language picked
    page.goto("/")
    assert page.url.endswith("/rm/")


def test_home_page_tabs_copy_buttons_and_screenshots(page: Any) -> None:
    page.goto("/en/")
    tabs = page.get_by_role("tab")
    assert tabs.count() == 4
    python_panel = page.locator("#panel-python")
    assert not python_panel.is_visible()
    page.get_by_role("tab", name="Python").click()
    assert python_panel.is_visible() and not page.locator("#panel-curl").is_visible()
    assert 'result["status"] == "COMPLETED"' in python_panel.inner_text()
    assert python_panel.get_by_role("button", name=re.compile("Copy")).count() == 1
    page.get_by_role("tab", name="curl").click()
    _shot(page, "home-desktop.png", DESKTOP)
    _shot(page, "home-mobile.png", MOBILE)


def test_pages_work_without_javascript(browser: Any, live_server: Any, plans: None) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    try:
        tab.goto("/en/")
        # Every quick-start language is shown (no tabs without JavaScript).
        for panel in ("curl", "javascript", "python", "graphql"):
            assert tab.locator(f"#panel-{panel}").is_visible()
        tab.goto("/en/signup/")
        tab.get_by_label("Email").fill("nojs@example.com")
        tab.get_by_label("Password", exact=True).fill("a-long-passphrase")
        tab.get_by_label("Password again").fill("a-long-passphrase")
        tab.get_by_role("button", name="Sign up").click()
        tab.wait_for_url(re.compile(r"/en/dashboard/$"))
        tab.get_by_role("button", name="Create key").click()
        assert tab.get_by_test_id("new-key-secret").inner_text().startswith("dt_test_")
        tab.locator("#language-select").select_option("ko")
        tab.locator(".lang-submit").click()
        tab.wait_for_url(re.compile(r"/ko/dashboard/"))
    finally:
        context.close()


def test_graphiql_loads_from_this_origin_under_the_csp(page: Any) -> None:
    page.goto("/graphql")
    page.wait_for_selector(".graphiql-container")
    assert page.title() == "GraphiQL · Doitong"
