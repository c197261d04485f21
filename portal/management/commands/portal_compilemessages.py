"""Compile locale/*/LC_MESSAGES/*.po into .mo files, with or without GNU gettext.

The compiled catalogues are committed, so a fresh clone needs no compiling at
all. After editing a .po file, run ``manage.py portal_compilemessages``: it uses
polib (a dev dependency, pure Python) when it is installed and GNU ``msgfmt``
otherwise. ``--check`` compiles in memory and exits non-zero when a committed
.mo file is missing or differs from its .po (the test suite runs the same check).

Updating the catalogues after changing text (needs GNU gettext's xgettext):

    manage.py portal_catalogue_messages          # registry text -> portal/catalogue_i18n.py
    manage.py makemessages -l en -l pt_BR -l zh_Hans -l hi -l ko -l rm --no-obsolete \
        --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='billing/*' \
        --ignore='generations/*' --ignore='providers/*' --ignore='tests/*' \
        --ignore='doitong/*' --ignore='admin/*' --ignore='static/*' --ignore='graphene/*'
    # translate the new entries in locale/*/LC_MESSAGES/django.po, then:
    manage.py portal_compilemessages
"""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def po_files() -> list[Path]:
    found: list[Path] = []
    for folder in settings.LOCALE_PATHS:
        found.extend(sorted(Path(folder).glob("*/LC_MESSAGES/*.po")))
    return found


def compile_po(po: Path) -> bytes:
    """The .mo bytes for ``po``: translated, non-fuzzy entries only."""
    try:
        import polib
    except ImportError:
        polib = None
    if polib is not None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "out.mo"
            polib.pofile(str(po)).save_as_mofile(str(target))
            return target.read_bytes()
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise CommandError(
            "Neither polib nor GNU gettext's msgfmt is available: "
            "pip install polib (it is in the dev dependencies)."
        )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.mo"
        subprocess.run([msgfmt, "--check-format", "-o", str(target), str(po)], check=True)
        return target.read_bytes()


def catalog(data: bytes) -> dict[Any, str]:
    """The messages of a compiled catalogue, for comparing two compilations."""
    translations = gettext.GNUTranslations(io.BytesIO(data))
    messages = dict(translations._catalog)  # type: ignore[attr-defined]
    messages.pop("", None)  # the header: dates and tool names, not translations
    return messages


class Command(BaseCommand):
    help = "Compile the portal's .po catalogues to .mo without needing GNU gettext."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if a committed .mo is missing or out of date.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        stale = []
        for po in po_files():
            mo = po.with_suffix(".mo")
            data = compile_po(po)
            if check:
                if not mo.exists() or catalog(mo.read_bytes()) != catalog(data):
                    stale.append(str(mo))
                continue
            mo.write_bytes(data)
            self.stdout.write(f"compiled {mo}")
        if stale:
            raise CommandError(
                "Out of date (run manage.py portal_compilemessages): " + ", ".join(stale)
            )
