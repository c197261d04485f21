"""The portal's marketing and docs content that is not in the registry or the Plan rows.

Everything here is English source text wrapped in ``gettext_lazy``; the other
languages come from ``locale/`` (their translations come from the seed pages).
Catalogue data (names, vendors, descriptions, tags, prices, options) is read
from `providers.registry`, never copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from providers.base import ProviderSpec
from providers.registry import all_specs


@dataclass(frozen=True)
class Category:
    slug: str
    title: Promise
    subtitle: Promise


# The seeds' catalogue sections, in their order (ProviderSpec.category).
CATEGORIES: tuple[Category, ...] = (
    Category(
        "text-to-video",
        _("Text-to-Video APIs"),
        _(
            "Transform text prompts into stunning videos with the world's most advanced "
            "AI video models"
        ),
    ),
    Category(
        "text-to-image",
        _("Text-to-Image APIs"),
        _("Create stunning images from text descriptions using state-of-the-art diffusion models"),
    ),
    Category(
        "image-to-video",
        _("Image-to-Video APIs"),
        _("Bring static images to life with intelligent motion and animation"),
    ),
    Category(
        "avatar-tts",
        _("Avatar, Lip Sync & TTS APIs"),
        _("Create talking avatars and generate natural speech with perfect synchronization"),
    ),
)

TYPE_LABELS: dict[str, Promise] = {
    "VIDEO": _("Video"),
    "IMAGE": _("Image"),
    "AUDIO": _("Audio"),
    "AVATAR": _("Avatar"),
}

CATEGORY_LABELS: dict[str, Promise] = {c.slug: c.title for c in CATEGORIES}


@dataclass(frozen=True)
class Feature:
    title: Promise
    text: Promise


# "One API, Infinite Possibilities", in the seeds' order.
FEATURES: tuple[Feature, ...] = (
    Feature(
        _("Universal Generation"),
        _(
            "A single 'generate' method for every content type: video, image, audio and "
            "avatar. Simplify your integration with one consistent API."
        ),
    ),
    Feature(
        _("Smart Provider Selection"),
        _(
            "Let our AI pick the best provider for your requirements, or name your "
            "preferred provider for full control."
        ),
    ),
    Feature(
        _("Idempotent Requests"),
        _(
            "Safe retries with Idempotency-Key headers. Never worry about duplicate charges "
            "from network problems."
        ),
    ),
    Feature(
        _("Smart Rate Limiting"),
        _(
            "Clear rate-limit headers (X-RateLimit-*) help you optimise request timing and "
            "avoid 429 errors."
        ),
    ),
    Feature(
        _("Secure Webhooks"),
        _(
            "HMAC-signed webhooks for secure asynchronous notifications. Hear the moment "
            "your content is ready."
        ),
    ),
    Feature(
        _("Clear Error Codes"),
        _(
            "Machine-readable error codes such as INSUFFICIENT_CREDITS and RATE_LIMIT make "
            "debugging simple."
        ),
    ),
)


@dataclass(frozen=True)
class ErrorCode:
    code: str
    http: str
    description: Promise
    action: Promise
    on_home: bool = False


# The API's error codes (docs/api.md); the first five are the seeds' home-page table.
ERROR_CODES: tuple[ErrorCode, ...] = (
    ErrorCode(
        "INSUFFICIENT_CREDITS",
        "200",
        _("Not enough credits for this operation"),
        _("Top up your account credits"),
        on_home=True,
    ),
    ErrorCode(
        "RATE_LIMIT",
        "429",
        _("Too many requests"),
        _("Check the X-RateLimit-Reset header"),
        on_home=True,
    ),
    ErrorCode(
        "INVALID_INPUT",
        "200",
        _("Invalid parameters provided"),
        _("Check the input against the schema"),
        on_home=True,
    ),
    ErrorCode(
        "PROVIDER_UNAVAILABLE",
        "200",
        _("The selected provider is temporarily unavailable"),
        _("Retry, or let Doitong select a provider"),
        on_home=True,
    ),
    ErrorCode(
        "GENERATION_FAILED",
        "—",
        _("Content generation failed"),
        _("Retry with different parameters"),
        on_home=True,
    ),
    ErrorCode(
        "UNAUTHENTICATED",
        "401",
        _("The API key is missing, unknown or revoked"),
        _("Send 'Authorization: Bearer <key>' with an active key"),
    ),
    ErrorCode(
        "NOT_FOUND",
        "200",
        _("No generation with this id in your account"),
        _("Check the id; ids of other accounts are never revealed"),
    ),
    ErrorCode(
        "IDEMPOTENCY_KEY_REUSED",
        "422",
        _("The same Idempotency-Key came with a different request"),
        _("Use a new key for every distinct request"),
    ),
    ErrorCode(
        "IDEMPOTENCY_KEY_IN_PROGRESS",
        "409",
        _("The first request with this key is still running"),
        _("Retry after the Retry-After header's seconds"),
    ),
)


def home_errors() -> list[ErrorCode]:
    return [e for e in ERROR_CODES if e.on_home]


@dataclass(frozen=True)
class Stat:
    value: int
    label: Promise


@cache
def catalogue_stats() -> tuple[Stat, ...]:
    """The hero's numbers, counted from the registry."""
    specs = all_specs()
    models = {model for spec in specs for model in spec.models}
    return (
        Stat(len(models), _("AI Models")),
        Stat(sum(1 for s in specs if s.category == "text-to-video"), _("Video APIs")),
        Stat(sum(1 for s in specs if s.type == "IMAGE"), _("Image Models")),
        Stat(sum(1 for s in specs if s.category == "avatar-tts"), _("Voice & Avatar APIs")),
    )


def catalogue_by_category() -> list[tuple[Category, list[ProviderSpec]]]:
    specs = all_specs()
    return [(c, [s for s in specs if s.category == c.slug]) for c in CATEGORIES]


# --- Docs navigation ------------------------------------------------------------


@dataclass(frozen=True)
class DocPage:
    slug: str
    title: Promise
    section: Promise


GUIDES = pgettext_lazy("docs section", "Guides")
CONCEPTS = pgettext_lazy("docs section", "Concepts")
REFERENCE = pgettext_lazy("docs section", "Reference")

DOC_PAGES: tuple[DocPage, ...] = (
    DocPage("getting-started", _("Getting started"), GUIDES),
    DocPage("authentication", _("Authentication and keys"), GUIDES),
    DocPage("generate", _("Generating content"), GUIDES),
    DocPage("status", _("Status and polling"), GUIDES),
    DocPage("cancellation", _("Cancellation"), GUIDES),
    DocPage("errors", _("Errors"), CONCEPTS),
    DocPage("rate-limits", _("Rate limits and headers"), CONCEPTS),
    DocPage("idempotency", _("Idempotency"), CONCEPTS),
    DocPage("webhooks", _("Webhooks"), CONCEPTS),
    DocPage("test-mode", _("Test mode and the sandbox"), CONCEPTS),
)
DOC_SLUGS = {page.slug: page for page in DOC_PAGES}


# What each root operation does, for the API reference (the schema leaves them bare).
OPERATION_NOTES: dict[str, Promise] = {
    "generation": _("One generation of your account, or NOT_FOUND."),
    "generations": _("Your generations, newest first, with cursor pagination (first ≤ 100)."),
    "providers": _(
        "The catalogue, with options, allowed values, defaults, prices and availability."
    ),
    "me": _("The key's account: plan, limits, live and test balances and current usage."),
    "generate": _("Validate, choose a provider, hold the price and queue the job."),
    "cancelGeneration": _(
        "Cancel a QUEUED or PROCESSING generation and release its credits; false if it was final."
    ),
    "videoCreate": _("Legacy: generate with type VIDEO, provider model and options.duration."),
}
