"""The building blocks of the portal's code samples: `Sample`, `curl()`, placeholders.

Samples are written against two placeholders: ``BASE_URL`` (replaced by this
instance's own base URL when a page renders) and ``YOUR_API_KEY`` (which the
reader, or the dashboard right after a key is created, fills in). A sample that
needs an existing generation names it ``GENERATION_ID``.

The code is the same in every language (as in the seed pages); only the prose
around it is translated. The test suite fetches each page from a live server,
extracts every sample from the HTML and runs it (portal/tests/test_samples.py):
the portal never shows an example that does not run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

BASE = "BASE_URL"
KEY = "YOUR_API_KEY"
GENERATION_ID = "GENERATION_ID"

RUNNABLE = ("curl", "python", "javascript", "graphql")
LANG_LABELS = {
    "curl": "curl",
    "python": "Python",
    "javascript": "JavaScript",
    "graphql": "GraphQL",
    "json": "JSON",
    "http": "HTTP",
}


@dataclass(frozen=True)
class Sample:
    """One code block.

    - ``lang``: curl, python, javascript or graphql (run by the tests); json or http.
    - ``expect``: "" when the sample must succeed, else the error code it demonstrates.
    - ``variables_for``: on a json block, the id of the GraphQL sample it feeds.
    - ``output``: an illustrative response or payload, not something to run.
    """

    id: str
    lang: str
    code: str
    expect: str = ""
    variables_for: str = ""
    output: bool = False

    def render(self, base_url: str, api_key: str | None = None) -> str:
        code = self.code.replace(BASE, base_url)
        if api_key:
            code = code.replace(KEY, api_key)
        return code

    @property
    def label(self) -> str:
        if self.variables_for:
            return "Variables"
        return LANG_LABELS.get(self.lang, self.lang)


def curl(
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    comment: str = "",
    headers: tuple[str, ...] = (),
    key: str = KEY,
    flags: str = "",
) -> str:
    """A curl command posting one GraphQL request (the body in single quotes)."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    text = json.dumps(body, indent=2, ensure_ascii=False)
    assert "'" not in text, "a curl body must not contain single quotes"
    text = text.replace("\n", "\n  ")
    lines = []
    if comment:
        lines.append(f"# {comment}")
    lines.append(f"curl {flags + ' ' if flags else ''}-X POST {BASE}/graphql \\")
    lines.append(f'  -H "Authorization: Bearer {key}" \\')
    lines.append('  -H "Content-Type: application/json" \\')
    lines.extend(f'  -H "{header}" \\' for header in headers)
    lines.append(f"  -d '{text}'")
    return "\n".join(lines)


def _join(*commands: str) -> str:
    return "\n\n".join(commands)
