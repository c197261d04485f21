"""A small server-side syntax highlighter for the portal's code samples.

It wraps comments, strings, keywords, numbers and a few language-specific tokens in
``<span class="tok-…">`` so that samples are coloured without JavaScript. The text
content of the result is exactly the source (tests extract and run it).
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_PY_KEYWORDS = [
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "None",
    "True",
    "False",
]
_JS_KEYWORDS = [
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "yield",
    "true",
    "false",
    "null",
    "undefined",
]
_GRAPHQL_KEYWORDS = ["query", "mutation", "subscription", "fragment", "on", "true", "false", "null"]


def _words(words: list[str]) -> str:
    return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


_NUMBER = r"\b\d+(?:\.\d+)?\b"
_DQ = r'"(?:[^"\\\n]|\\.)*"'
_SQ = r"'(?:[^'\\\n]|\\.)*'"

_RULES: dict[str, list[tuple[str, str]]] = {
    "python": [
        ("c", r"#[^\n]*"),
        ("s", r'[rbfuRBFU]{0,2}(?:"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')'),
        ("s", r"[rbfuRBFU]{0,2}(?:" + _DQ + "|" + _SQ + ")"),
        ("k", _words(_PY_KEYWORDS)),
        ("f", r"(?<=\bdef )\w+|(?<=\bclass )\w+"),
        ("n", _NUMBER),
    ],
    "javascript": [
        ("c", r"//[^\n]*|/\*[\s\S]*?\*/"),
        ("s", r"`(?:[^`\\]|\\.)*`"),
        ("s", _DQ + "|" + _SQ),
        ("k", _words(_JS_KEYWORDS)),
        ("f", r"(?<=\bfunction )\w+|(?<=\bclass )\w+"),
        ("n", _NUMBER),
    ],
    "curl": [
        ("c", r"(?:(?<=\n)|^)[ \t]*#[^\n]*"),
        ("s", _SQ.replace(r"[^'\\\n]", r"[^'\\]") + "|" + _DQ),
        ("k", r"\bcurl\b"),
        ("v", r"(?<=\s)--?[A-Za-z][\w-]*"),
    ],
    "graphql": [
        ("c", r"#[^\n]*"),
        ("s", _DQ),
        ("k", _words(_GRAPHQL_KEYWORDS)),
        ("v", r"\$\w+"),
        ("t", r"\b[A-Z][A-Za-z]*!?"),
        ("n", _NUMBER),
    ],
    "json": [
        ("p", _DQ + r"(?=\s*:)"),
        ("s", _DQ),
        ("k", r"\b(?:true|false|null)\b"),
        ("n", r"-?" + _NUMBER),
    ],
    "http": [
        ("k", r"^HTTP/[\d.]+ \d+[^\n]*"),
        ("p", r"(?:(?<=\n)|^)[A-Za-z][\w-]*(?=:)"),
    ],
}


@cache
def _pattern(lang: str) -> re.Pattern[str] | None:
    rules = _RULES.get(lang)
    if not rules:
        return None
    alternatives = [f"(?P<{kind}{i}>{rx})" for i, (kind, rx) in enumerate(rules)]
    return re.compile("|".join(alternatives), re.M)


def highlight(code: str, lang: str) -> SafeString:
    """``code`` as escaped HTML with token spans (no ``<pre>``)."""
    pattern = _pattern(lang)
    if pattern is None:
        return mark_safe(escape(code))
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(code):
        if match.start() == match.end():
            continue
        out.append(escape(code[pos : match.start()]))
        kind = (match.lastgroup or "x").rstrip("0123456789")
        out.append(f'<span class="tok-{kind}">{escape(match.group())}</span>')
        pos = match.end()
    out.append(escape(code[pos:]))
    return mark_safe("".join(out))
