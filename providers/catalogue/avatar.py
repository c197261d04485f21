"""AVATAR catalogue entries: Hedra (portrait lip-sync) and HeyGen (stock avatars).

The video length follows the speech, so there is no ``duration`` option; prices
are per second of speech estimated from ``input.text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.base import GenerationType, Inputs, OptionSpec, ProviderSpec
from providers.catalogue.common import aspect_ratio_option, resolution_option, speed_option
from providers.pricing import PerSpokenSecond

AVATAR = GenerationType.AVATAR

# --------------------------------------------------------------------------
# Hedra: hedra
# --------------------------------------------------------------------------


def hedra_needs_speech(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    if not inputs.text and not inputs.audio:
        return (
            "hedra needs something to say: give input.text (spoken with input.voice) or "
            "input.audio (a speech recording) along with the input.image portrait."
        )
    return None


HEDRA = ProviderSpec(
    id="hedra",
    name="Hedra Lip Sync",
    vendor="Hedra AI",
    type=AVATAR,
    description=(
        "Character animation with perfect audio sync. Bring portraits to life with "
        "natural expressions and movement."
    ),
    models=("character-3",),
    features=(
        "Animates any portrait in input.image",
        "Lip-sync to input.audio, or to speech generated from input.text",
        "Expression and motion guidance with motionPrompt",
        "16:9, 9:16 or 1:1 at 540p or 720p",
    ),
    limitations=(
        "input.image (a clear, front-facing portrait) is required",
        "Needs input.text or input.audio",
        "The price is estimated from input.text; audio-driven jobs are billed the minimum length",
        "At most 720p",
    ),
    options=(
        aspect_ratio_option(("16:9", "9:16", "1:1"), "16:9"),
        resolution_option(("540p", "720p"), "720p"),
        OptionSpec(
            name="motionPrompt",
            type="string",
            description=(
                "How the character should look and move while speaking, e.g. 'smiles "
                "warmly, nods occasionally'."
            ),
            max_length=500,
        ),
    ),
    price=PerSpokenSecond(  # ≈ $0.06 per second at 720p
        credits_per_second=120,
        by={"resolution": {"540p": 0.67}},
    ),
    estimated_time=120,
    quality=8,
    speed=5,
    credentials=("HEDRA_API_KEY",),
    adapter="providers.vendors.hedra.HedraAdapter",
    doc_url="https://api.hedra.com/web-app/redoc",
    image_input="required",
    required_inputs=("image",),
    max_text_length=1000,
    rules=(hedra_needs_speech,),
    category="avatar-tts",
    tags=("Character animation", "Audio sync", "Portraits", "Expression control"),
)

# --------------------------------------------------------------------------
# HeyGen: heygen
# --------------------------------------------------------------------------

# Friendly names; the adapter maps them to HeyGen avatar ids and backgrounds.
HEYGEN_AVATARS = ("kate", "josh", "anna", "daisy", "tyler", "monica", "eric", "lily")
HEYGEN_BACKGROUNDS = (
    "white",
    "modern_office",
    "home_office",
    "studio",
    "living_room",
    "classroom",
    "green_screen",
)
HEYGEN_GESTURES = ("neutral", "friendly", "professional", "enthusiastic", "calm")

HEYGEN = ProviderSpec(
    id="heygen",
    name="HeyGen Avatars",
    vendor="HeyGen",
    type=AVATAR,
    description=(
        "Studio-quality talking avatars: a stock presenter reads input.text in the "
        "chosen voice, in front of the chosen background."
    ),
    models=("avatar-v2",),
    features=(
        "Stock presenters such as kate, josh and anna",
        "Voices by name in input.voice, e.g. 'professional_female'",
        "Office, studio, plain and green-screen backgrounds",
        "Up to 1080p, landscape, portrait or square",
    ),
    limitations=(
        "No custom photo avatars (use hedra for a portrait)",
        "Gestures are a style hint, not exact body-language control",
        "Up to 5000 characters of script",
        "Rendering takes a few minutes",
    ),
    options=(
        OptionSpec(
            name="avatarId",
            type="string",
            description="Presenter; Doitong maps the name to a HeyGen stock avatar.",
            allowed_values=HEYGEN_AVATARS,
            default="kate",
        ),
        OptionSpec(
            name="background",
            type="string",
            description=(
                "Backdrop behind the presenter: a plain colour, or a scene whose image "
                "URL is configured in the HeyGen adapter (a matching colour until then)."
            ),
            allowed_values=HEYGEN_BACKGROUNDS,
            default="white",
        ),
        OptionSpec(
            name="gesture",
            type="string",
            description=(
                "Body-language style. HeyGen has no gesture field: the adapter picks the "
                "avatar look that matches it where one exists."
            ),
            allowed_values=HEYGEN_GESTURES,
            default="neutral",
        ),
        aspect_ratio_option(("16:9", "9:16", "1:1"), "16:9"),
        resolution_option(("720p", "1080p"), "720p"),
        speed_option(0.5, 1.5, 1.0, "Speaking rate of the voice: 1.0 is normal."),
    ),
    price=PerSpokenSecond(credits_per_second=40),  # ≈ $1.20 per minute of video
    estimated_time=150,
    quality=8,
    speed=4,
    credentials=("HEYGEN_API_KEY",),
    adapter="providers.vendors.heygen.HeygenAdapter",
    doc_url="https://docs.heygen.com/reference/create-an-avatar-video-v2",
    max_text_length=5000,
    category="avatar-tts",
    tags=("Stock avatars", "Natural voices", "Custom backgrounds", "1080p"),
)

ENTRIES: tuple[ProviderSpec, ...] = (HEDRA, HEYGEN)
