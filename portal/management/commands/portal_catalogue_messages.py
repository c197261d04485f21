"""Write portal/catalogue_i18n.py: the registry's text as gettext messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from providers.registry import all_specs

TARGET = Path(__file__).resolve().parents[2] / "catalogue_i18n.py"

HEADER = '''\
"""Registry text as gettext messages, so that makemessages extracts them.

The catalogue (`providers.catalogue`) is English and is not ours to change; the portal
translates what it shows from it with ``{{ value|trans }}``. This module only lists the
messages. `portal/tests/test_i18n.py` fails when the registry has text that is missing
here; regenerate it with ``manage.py portal_catalogue_messages`` (then makemessages).
"""

# ruff: noqa: E501
from __future__ import annotations

from django.utils.translation import gettext_noop as _

# fmt: off
MESSAGES = (
'''


def registry_messages() -> list[tuple[str, list[str]]]:
    """(group title, unique messages) for every piece of registry text the portal shows."""
    specs = all_specs()

    def unique(items: Any) -> list[str]:
        return list(dict.fromkeys(items))

    return [
        ("Card descriptions", unique(s.description for s in specs)),
        ("Card tags", unique(t for s in specs for t in s.tags)),
        ("Features", unique(f for s in specs for f in s.features)),
        ("Limitations", unique(item for s in specs for item in s.limitations)),
        ("Option descriptions", unique(o.description for s in specs for o in s.options)),
        ("Option units", unique(o.unit for s in specs for o in s.options if o.unit)),
        ("GraphQL schema descriptions", unique(schema_descriptions())),
    ]


def schema_descriptions() -> list[str]:
    """Every description the API reference page shows (portal.schema_doc)."""
    from portal.schema_doc import reference

    ref = reference()
    found: list[str] = []
    for f in (*ref.queries, *ref.mutations):
        found.append(f.description)
        found.extend(a.description for a in f.args)
    for t in ref.types:
        found.append(t.description)
        found.extend(f.description for f in t.fields)
        found.extend(description for _, description in t.values)
    return [text for text in found if text]


def render() -> str:
    lines = [HEADER.rstrip("\n")]
    for title, items in registry_messages():
        lines.append(f"    # {title}")
        for item in items:
            if "%" in item:
                # A literal per cent sign ("40% of") is not a format directive.
                lines.append("    # xgettext:no-python-format")
            lines.append(f"    _({item!r}),")
    lines.append(")")
    lines.append("# fmt: on")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Regenerate portal/catalogue_i18n.py from the provider registry."

    def handle(self, *args: Any, **options: Any) -> None:
        TARGET.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {TARGET}")
