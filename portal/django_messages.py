"""Django's own messages that portal pages can show, listed for makemessages.

Django ships catalogues for pt-BR, zh-Hans, hi and ko but none for Romansh, so
the rm catalogue translates these (the other languages leave them empty and
Django's own translations apply). Nothing calls `_messages`; it only exists so
that the exact msgids end up in locale/*/django.po.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def _messages() -> list[str]:  # pragma: no cover - never called
    return [
        gettext("This field is required."),
        gettext("Enter a valid email address."),
        gettext("Enter a valid URL."),
        gettext("This password is too common."),
        gettext("This password is entirely numeric."),
        gettext("The password is too similar to the %(verbose_name)s."),
        ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            8,
        ),
        ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            100,
        ),
        gettext("Select a valid choice. %(value)s is not one of the available choices."),
    ]
