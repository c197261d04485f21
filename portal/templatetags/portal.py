"""Template helpers: language codes and alternates, code samples, catalogue text."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from portal.highlight import highlight
from portal.samples import RUNNABLE, SAMPLES, Sample, variables_of
from providers.base import OptionSpec, ProviderSpec

register = template.Library()


@register.filter
def bcp47(code: str) -> str:
    """Django's language code as a BCP 47 tag: pt-br → pt-BR, zh-hans → zh-Hans."""
    return translation.to_locale(code).replace("_", "-")


@register.simple_tag(takes_context=True)
def languages(context: template.Context) -> list[dict[str, Any]]:
    """The six languages with their own URL for the current page."""
    request = context.get("request")
    current = translation.get_language()
    found = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        url = translate_url(request.get_full_path(), code) if request else "/"
        found.append(
            {
                "code": code,
                "tag": bcp47(code),
                "name": info["name_local"],
                "url": url,
                "absolute": request.build_absolute_uri(url) if request else url,
                "current": code == current,
            }
        )
    return found


@register.simple_tag(takes_context=True)
def sample(context: template.Context, sample_or_id: Sample | str, **attrs: Any) -> SafeString:
    """One code block with its syntax highlighting (and copy button, with JavaScript)."""
    item = SAMPLES[sample_or_id] if isinstance(sample_or_id, str) else sample_or_id
    return _render_sample(context, item, **attrs)


@register.simple_tag(takes_context=True)
def graphql_sample(context: template.Context, sample_id: str) -> SafeString:
    """A GraphQL operation followed by the variables blocks it is shown with."""
    parts = [_render_sample(context, SAMPLES[sample_id])]
    parts += [_render_sample(context, v) for v in variables_of(sample_id)]
    return SafeString("".join(parts))


def _render_sample(context: template.Context, item: Sample, **attrs: Any) -> SafeString:
    base_url = context.get("base_url", "")
    api_key = context.get("sample_api_key") if item.lang == "curl" else None
    code = item.render(base_url, api_key)
    return render_to_string(
        "portal/includes/code.html",
        {
            "sample": item,
            "code": highlight(code, item.lang),
            "runnable": item.lang in RUNNABLE,
            "caption": attrs.get("caption") or item.label,
        },
    )


# --- Catalogue text ---------------------------------------------------------------

_PRICE_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"^(\d+) credits per job$"),
        lambda n: ngettext("%(n)s credit per job", "%(n)s credits per job", n) % {"n": n},
    ),
    (
        re.compile(r"^(\d+) credits per second of output$"),
        lambda n: (
            ngettext("%(n)s credit per second of output", "%(n)s credits per second of output", n)
            % {"n": n}
        ),
    ),
    (
        re.compile(r"^(\d+) credits per second of speech$"),
        lambda n: (
            ngettext("%(n)s credit per second of speech", "%(n)s credits per second of speech", n)
            % {"n": n}
        ),
    ),
]
_PER_CHARS = re.compile(r"^(\d+) credits per 1,000 characters \(minimum (\d+)\)$")


@register.filter
def price_rule(spec: ProviderSpec) -> str:
    """The entry's price rule (``price.describe()``) in the current language."""
    text = spec.price.describe()
    for pattern, render in _PRICE_PATTERNS:
        match = pattern.match(text)
        if match:
            return render(int(match.group(1)))
    match = _PER_CHARS.match(text)
    if match:
        return gettext("%(n)s credits per 1,000 characters (minimum %(minimum)s)") % {
            "n": match.group(1),
            "minimum": match.group(2),
        }
    return gettext(text)


@register.filter
def trans(value: str) -> str:
    """gettext on a value from the registry (its msgids are in portal/catalogue_i18n.py)."""
    return gettext(value) if value else value


@register.filter
def option_values(option: OptionSpec) -> str:
    if option.allowed_values is None:
        return ""
    return ", ".join(_show(v) for v in option.allowed_values)


@register.filter
def option_range(option: OptionSpec) -> str:
    if option.minimum is None and option.maximum is None:
        return ""
    low = _show(option.minimum) if option.minimum is not None else "…"
    high = _show(option.maximum) if option.maximum is not None else "…"
    return f"{low} – {high}"


@register.filter
def show_value(value: Any) -> str:
    return _show(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@register.filter
def thousands(value: Any) -> str:
    """A number with the current language's grouping (1,000 / 1.000)."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def type_label(value: Any) -> str:
    from portal.content import TYPE_LABELS

    return str(TYPE_LABELS.get(str(value), value))


@register.filter
def credits(value: int) -> str:
    """“1,250 credits” in the current language."""
    return ngettext("%(n)s credit", "%(n)s credits", value) % {"n": thousands(value)}


@register.filter
def from_credits(value: int) -> str:
    """“From 1,250 credits”: a catalogue card's price for the default options."""
    return ngettext("From %(n)s credit", "From %(n)s credits", value) % {"n": thousands(value)}


@register.filter
def seconds(value: int) -> str:
    return ngettext("%(n)s second", "%(n)s seconds", value) % {"n": thousands(value)}


@register.filter
def characters(value: int) -> str:
    return ngettext("%(n)s character", "%(n)s characters", value) % {"n": thousands(value)}
