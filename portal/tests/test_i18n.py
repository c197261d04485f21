"""The catalogues: complete, consistent, compiled, and the seeds' text on the pages."""

from __future__ import annotations

import builtins
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from portal.content import DOC_PAGES
from portal.management.commands import portal_catalogue_messages, portal_compilemessages
from providers.registry import all_specs

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = {"pt-br": "pt_BR", "zh-hans": "zh_Hans", "hi": "hi", "ko": "ko", "rm": "rm"}

# Lines of each seed page (../shared/seeds), as the page must show them.
SEED_LINES = {
    "pt-br": [
        "Suíte Completa de APIs para Geração de Conteúdo com IA",
        "APIs de Texto para Vídeo",
        "Dê vida a imagens estáticas com movimento e animação inteligente",
        "Uma API, Possibilidades Infinitas",
        "Seleção Inteligente de Provedor",
        "Créditos insuficientes para esta operação",
        "Limites de Taxa por Plano",
        "Pronto para Criar Algo Incrível?",
        "Geração de vídeo focada em e-commerce. Otimizado para vitrines de produtos e conteúdo "
        "de marketing.",
    ],
    "zh-hans": [
        "全方位 AI 内容生成 API 套件",
        "文生视频 API",
        "统一 API，无限可能",
        "幂等请求",
        "额度不足，无法执行此操作",
        "各套餐速率限制",
        "准备好开启创作了吗？",
        "专注电商的视频生成。针对产品展示和营销内容进行了深度优化。",
    ],
    "hi": [
        "संपूर्ण AI कंटेंट जनरेशन API सुइट",
        "टेक्स्ट-टू-वीडियो APIs",
        "एक API, असीमित संभावनाएँ",
        "स्मार्ट प्रोवाइडर सिलेक्शन",
        "इस ऑपरेशन के लिए पर्याप्त क्रेडिट नहीं हैं",
        "प्लान के अनुसार रेट लिमिट्स",
        "कुछ अद्भुत बनाने के लिए तैयार हैं?",
    ],
    "ko": [
        "AI 콘텐츠 생성을 위한 통합 API 솔루션",
        "텍스트 투 비디오 API",
        "하나의 API, 무한한 가능성",
        "멱등성 요청 보장",
        "작업을 수행하기 위한 크레딧이 부족합니다",
        "플랜별 속도 제한",
        "놀라운 서비스를 만들 준비가 되셨나요?",
    ],
    "rm": [
        "Suot ensemble d'API per la generaziun da cuntegn cun AI",
        "API per text-a-video",
        "Ina API, pussibilitads illimitadas",
        "Selecziun intelligenta dal purschider",
        "Betg avunda credits per questa operaziun",
        "Limits da frequenza tenor plan",
        "Pront da construir insatge fantastic?",
        "Generaziun da videos concentrada sin e-commerce. Optimà per la preschentaziun da "
        "products e cuntegn da marketing.",
    ],
}


def _po(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / TRANSLATED[code] / "LC_MESSAGES" / "django.po"))


def _text(html: str) -> str:
    html = re.sub(r"<(pre|code|script|select|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_compiled_catalogues_match_the_po_files() -> None:
    # The .mo files are committed, so a fresh clone needs no gettext; they must be current.
    call_command("portal_compilemessages", check=True)


def test_the_catalogues_compile_without_gnu_gettext(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    po = LOCALE / "rm" / "LC_MESSAGES" / "django.po"
    data = portal_compilemessages.compile_po(po)
    committed = (LOCALE / "rm" / "LC_MESSAGES" / "django.mo").read_bytes()
    assert portal_compilemessages.catalog(data) == portal_compilemessages.catalog(committed)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_catalogues_compile_with_msgfmt_when_polib_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_polib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "polib":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_polib)
    po = LOCALE / "ko" / "LC_MESSAGES" / "django.po"
    data = portal_compilemessages.compile_po(po)
    committed = (LOCALE / "ko" / "LC_MESSAGES" / "django.mo").read_bytes()
    assert portal_compilemessages.catalog(data) == portal_compilemessages.catalog(committed)


def test_the_registry_text_is_listed_for_translation() -> None:
    path = Path(portal_catalogue_messages.TARGET)
    assert path.read_text(encoding="utf-8") == portal_catalogue_messages.render(), (
        "Run manage.py portal_catalogue_messages, then makemessages"
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_portal_string_is_translated(code: str) -> None:
    # Portal text, the seeds' text and the registry text the pages show (descriptions,
    # tags, features, limitations, options, units and the schema's descriptions).
    missing = [e.msgid for e in _po(code) if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, missing[:10]


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_placeholders_and_markup(code: str) -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", text))

    def tags(text: str) -> list[str]:
        return sorted(re.findall(r"</?[a-z]+", text))

    for entry in _po(code).translated_entries():
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                wanted = placeholders(entry.msgid_plural)
                assert placeholders(form) in (wanted, [p for p in wanted if p != "%(n)s"]), (
                    entry.msgid
                )
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid
            assert tags(entry.msgstr) == tags(entry.msgid), entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_the_home_page_shows_the_seed_text(client: Any, code: str) -> None:
    text = _text(client.get(f"/{code}/").content.decode())
    for line in SEED_LINES[code]:
        assert line in text, (code, line)


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_no_page_shows_english_where_a_translation_exists(
    client: Any, developer: Any, code: str
) -> None:
    # Given every English source string that has a different translation
    sources = [
        e.msgid
        for e in _po(code).translated_entries()
        if not e.msgid_plural
        and e.msgstr != e.msgid
        and not re.search(r"[<%{]", e.msgid)
        and len(e.msgid) >= 12
        and " " in e.msgid
    ]
    paths = [
        "",
        "pricing/",
        *(f"docs/{p.slug}/" for p in DOC_PAGES),
        "docs/providers/",
        *(f"docs/providers/{spec.id}/" for spec in all_specs()),
        "docs/api/",
        "signup/",
        "login/",
        "password-reset/",
    ]
    for path in paths:
        text = _text(client.get(f"/{code}/{path}").content.decode())
        leftovers = [s for s in sources if s in text]
        assert not leftovers, (code, path, leftovers)
    client.force_login(developer)
    text = _text(client.get(f"/{code}/dashboard/").content.decode())
    assert not [s for s in sources if s in text]
